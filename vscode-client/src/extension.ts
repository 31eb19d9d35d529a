// The VS Code side of hasten: start the hasten server (see SERVER_LAUNCHER), hand it the `hasten` settings, and
// offer a few commands. Every decision lives in ./config so it can be tested without VS Code.

import * as fs from "fs";
import * as os from "os";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from "vscode-languageclient/node";

import {
  DIAGNOSTIC_SOURCE,
  FIX_ALL_KIND,
  SERVER_PROFILE_COMMAND,
  SERVER_VERIFY_COMMAND,
  ServerCommand,
  buildServerSettings,
  commandLineText,
  describeVerifyResult,
  needsRestart,
  resolveServerCommand,
  serverCommandsToRegister,
  serverSettingNames,
  serverWorkingDirectory,
  verifiableDiagnosticsAt,
} from "./config";

const CLIENT_ID = "hasten";
const PYTHON_EXTENSION_ID = "ms-python.python";
/** How long to wait for the Python extension before falling back to the default interpreter. */
const PYTHON_EXTENSION_TIMEOUT_MS = 10_000;

/** The part of the Python extension's API this extension reads; all of it is optional. */
interface PythonExtensionApi {
  /** Resolves once the environments are discovered (newer versions of the extension). */
  ready?: Thenable<void>;
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(
      environment: { id: string; path: string } | string,
    ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails(resource?: vscode.Uri): { execCommand: string[] | undefined };
    onDidChangeExecutionDetails?: vscode.Event<unknown>;
  };
}

type HastenDiagnostic = vscode.Diagnostic & { data?: unknown };

let client: LanguageClient | undefined;
let serverCommand: ServerCommand | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.LanguageStatusItem;
let settingNames: string[] = [];
/** Starts and stops run one after another, never interleaved. */
let lifecycle: Promise<void> = Promise.resolve();
let pythonEventsHooked = false;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("hasten", { log: true });
  status = vscode.languages.createLanguageStatusItem("hasten.status", { language: "python" });
  status.name = "hasten";
  status.command = { title: "Show Logs", command: "hasten.showLogs" };
  context.subscriptions.push(output, status);
  settingNames = serverSettingNames(context.extension.packageJSON);

  context.subscriptions.push(
    vscode.commands.registerCommand("hasten.restart", () => restart(context)),
    vscode.commands.registerCommand("hasten.showLogs", () => output.show()),
    vscode.commands.registerCommand("hasten.verifyFixAtCursor", verifyFixAtCursor),
    vscode.commands.registerCommand("hasten.fixAllInEditor", fixAll),
    vscode.commands.registerCommand("hasten.profileTests", profileTests),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration("hasten")) {
        return;
      }
      if (needsRestart((name) => event.affectsConfiguration(name))) {
        void restart(context);
      } else {
        pushSettings();
      }
    }),
    // Trust changes the interpreter that may be used and whether verification runs.
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(context)),
  );

  await restart(context);
}

export async function deactivate(): Promise<void> {
  await lifecycle;
  await stopClient();
}

function restart(context: vscode.ExtensionContext): Promise<void> {
  // A failed step must not block the ones queued after it.
  lifecycle = lifecycle
    .catch((error) => output.error(`hasten: ${errorText(error)}`))
    .then(async () => {
      await stopClient();
      await startClient(context);
    });
  return lifecycle;
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (!running) {
    return;
  }
  // A client whose start failed has nothing left to stop, and stopping it would throw.
  if (!running.needsStop()) {
    return;
  }
  try {
    await running.dispose();
  } catch (error) {
    output.warn(`hasten: stopping the server failed: ${errorText(error)}`);
  }
}

function primaryFolder(): vscode.WorkspaceFolder | undefined {
  const editorUri = vscode.window.activeTextEditor?.document.uri;
  return (editorUri && vscode.workspace.getWorkspaceFolder(editorUri)) ?? vscode.workspace.workspaceFolders?.[0];
}

/** The `hasten` settings object for a scope, as the server receives it. */
function serverSettings(scope?: vscode.Uri): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration("hasten", scope);
  return buildServerSettings(settingNames, (name) => config.get(name), vscode.workspace.isTrusted);
}

function pushSettings(): void {
  if (client?.state !== State.Running) {
    return;
  }
  const settings = { hasten: serverSettings(primaryFolder()?.uri) };
  client.sendNotification(DidChangeConfigurationNotification.type, { settings }).catch((error) => {
    output.warn(`hasten: sending settings to the server failed: ${errorText(error)}`);
  });
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const folder = primaryFolder();
  const config = vscode.workspace.getConfiguration("hasten", folder?.uri);
  const trusted = vscode.workspace.isTrusted;
  serverCommand = resolveServerCommand({
    interpreter: config.get("interpreter"),
    hastenPath: config.get("path"),
    environment: await pythonEnvironment(context, folder?.uri),
    trusted,
    platform: process.platform,
    workspaceFolder: folder?.uri.fsPath,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
  });
  const commandLine = commandLineText(serverCommand);
  output.info(
    `hasten: starting \`${commandLine}\` (interpreter from ${serverCommand.origin}` +
      `${trusted ? "" : "; untrusted workspace: verification off, custom interpreter ignored"})`,
  );

  const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const cwd = serverWorkingDirectory(
    [context.globalStorageUri?.fsPath, os.homedir(), os.tmpdir()],
    workspaceFolders,
    process.platform,
    ensureDirectory,
  );
  const serverOptions: ServerOptions = {
    command: serverCommand.command,
    args: serverCommand.args,
    // Never a workspace folder: see serverWorkingDirectory.
    options: { cwd },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: serverSettings(folder?.uri),
    middleware: {
      workspace: {
        // Answer `workspace/configuration` for "hasten" with the same object as the initialization
        // options: nested, without client-only settings, and with verification off when untrusted.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) =>
            item.section === "hasten"
              ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : folder?.uri)
              : answers[index],
          );
        },
      },
    },
  };

  const next = new LanguageClient(CLIENT_ID, "hasten", serverOptions, clientOptions);
  keepServerCommandsApart(next);
  next.onDidChangeState((event) => showState(event.newState));
  client = next;
  showState(State.Starting);
  try {
    await next.start();
  } catch (error) {
    showState(State.Stopped);
    output.error(`hasten: the server did not start: ${errorText(error)}`);
    void offerHelp(commandLine);
  }
}

/** Let the client register only the server commands that do not clash with the extension's own. */
function keepServerCommandsApart(languageClient: LanguageClient): void {
  const feature = languageClient.getFeature(ExecuteCommandRequest.method);
  const register = feature.register.bind(feature);
  feature.register = (data) => {
    const offered = data.registerOptions.commands ?? [];
    const kept = serverCommandsToRegister(offered);
    if (kept.length < offered.length) {
      const skipped = offered.filter((command) => !kept.includes(command));
      output.info(`hasten: the server's ${skipped.join(", ")} run through the extension's command of the same name`);
    }
    register({ ...data, registerOptions: { ...data.registerOptions, commands: kept } });
  };
}

function ensureDirectory(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true });
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function showState(state: State): void {
  const commandLine = serverCommand ? commandLineText(serverCommand) : "";
  status.detail = commandLine;
  status.busy = state === State.Starting;
  if (state === State.Running) {
    status.text = "hasten";
    status.severity = vscode.LanguageStatusSeverity.Information;
  } else if (state === State.Stopped) {
    status.text = "hasten: stopped";
    status.severity = vscode.LanguageStatusSeverity.Error;
  } else {
    status.text = "hasten: starting";
    status.severity = vscode.LanguageStatusSeverity.Information;
  }
}

async function offerHelp(commandLine: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    `hasten: could not start the server with \`${commandLine}\`. Install hasten into that Python ` +
      "environment (from a clone of its repository: pip install ./path/to/hasten, or pip install a " +
      "built hasten wheel), or point hasten.interpreter or hasten.path at one that has it.",
    "Show Logs",
    "Open Settings",
  );
  if (choice === "Show Logs") {
    output.show();
  } else if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "hasten.interpreter");
  }
}

/** The Python extension's active interpreter as argv, or undefined when it is absent or silent. */
async function pythonEnvironment(
  context: vscode.ExtensionContext,
  scope: vscode.Uri | undefined,
): Promise<string[] | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive
      ? extension.exports
      : await withTimeout(extension.activate(), PYTHON_EXTENSION_TIMEOUT_MS);
    if (!api) {
      output.warn("hasten: the Python extension did not answer in time; using the default interpreter");
      return undefined;
    }
    hookPythonEvents(context, api);
    if (api.ready) {
      await withTimeout(api.ready, PYTHON_EXTENSION_TIMEOUT_MS);
    }
    if (api.environments) {
      const active = api.environments.getActiveEnvironmentPath(scope);
      const resolved = await api.environments.resolveEnvironment(active);
      const executable = resolved?.executable.uri?.fsPath;
      if (executable) {
        return [executable];
      }
    }
    const execCommand = api.settings?.getExecutionDetails(scope).execCommand;
    return execCommand && execCommand.length > 0 ? execCommand : undefined;
  } catch (error) {
    output.warn(`hasten: could not ask the Python extension for its interpreter: ${errorText(error)}`);
    return undefined;
  }
}

/** Restart when the user picks another environment, if that environment is what the server runs in. */
function hookPythonEvents(context: vscode.ExtensionContext, api: PythonExtensionApi): void {
  if (pythonEventsHooked) {
    return;
  }
  pythonEventsHooked = true;
  const onChange = () => {
    if (serverCommand?.origin === "python extension" || serverCommand?.origin === "default") {
      void restart(context);
    }
  };
  const event = api.environments?.onDidChangeActiveEnvironmentPath ?? api.settings?.onDidChangeExecutionDetails;
  if (event) {
    context.subscriptions.push(event(onChange));
  }
}

function withTimeout<T>(promise: Thenable<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function verifyFixAtCursor(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "python") {
    void vscode.window.showInformationMessage("hasten: open a Python file and put the cursor on a finding.");
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      "hasten: verification runs the workspace's tests, so it is off until you trust this workspace.",
    );
    return;
  }
  const running = client;
  if (!running || running.state !== State.Running) {
    void vscode.window.showErrorMessage("hasten: the server is not running; see hasten: Show Logs.");
    return;
  }
  const offered = running.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!offered.includes(SERVER_VERIFY_COMMAND)) {
    void vscode.window.showWarningMessage(
      `hasten: this version of the server does not offer ${SERVER_VERIFY_COMMAND}; update hasten.`,
    );
    return;
  }

  const candidates = verifiableDiagnosticsAt(
    vscode.languages.getDiagnostics(editor.document.uri) as HastenDiagnostic[],
    editor.selection.active,
  );
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(
      `hasten: no ${DIAGNOSTIC_SOURCE} finding with a fix at the cursor.`,
    );
    return;
  }
  let chosen = candidates[0];
  if (candidates.length > 1) {
    const picked = await vscode.window.showQuickPick(
      candidates.map((diagnostic) => ({
        label: diagnosticCode(diagnostic),
        detail: diagnostic.message,
        diagnostic,
      })),
      { placeHolder: "Which finding's fix should hasten verify?" },
    );
    if (!picked) {
      return;
    }
    chosen = picked.diagnostic;
  }

  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `hasten: verifying ${diagnosticCode(chosen)}` },
      () =>
        running.sendRequest(ExecuteCommandRequest.type, {
          command: SERVER_VERIFY_COMMAND,
          arguments: [chosen.data],
        }),
    );
    output.info(`hasten: ${SERVER_VERIFY_COMMAND} returned ${JSON.stringify(result)}`);
    const text = describeVerifyResult(result);
    if (text) {
      void vscode.window.showInformationMessage(`hasten: ${text}`);
    }
  } catch (error) {
    output.error(`hasten: ${SERVER_VERIFY_COMMAND} failed: ${errorText(error)}`);
    void vscode.window.showErrorMessage(`hasten: verification failed: ${errorText(error)}`);
  }
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "python") {
    void vscode.window.showInformationMessage("hasten: open a Python file to fix.");
    return;
  }
  await vscode.commands.executeCommand("editor.action.codeAction", { kind: FIX_ALL_KIND, apply: "first" });
}

/** "Profile the Tests": the server runs the tests of the active file's folder (else the first
 * workspace folder) under its profiler, with progress and cancel, and refreshes the diagnostics. */
async function profileTests(): Promise<void> {
  if (!client) {
    void vscode.window.showWarningMessage("hasten: the server is not running.");
    return;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showInformationMessage("hasten: open a folder to profile its tests.");
    return;
  }
  try {
    await client.sendRequest("workspace/executeCommand", { command: SERVER_PROFILE_COMMAND, arguments: [folder.uri.toString()] });
  } catch (error) {
    void vscode.window.showErrorMessage(`hasten: profiling failed: ${errorText(error)}`);
  }
}

function diagnosticCode(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (code === undefined) {
    return DIAGNOSTIC_SOURCE;
  }
  return typeof code === "object" ? String(code.value) : String(code);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
