// The extension's decisions, kept free of the `vscode` module so `node --test` can check them
// without a running editor: which command starts the server, what settings it receives, what an
// untrusted workspace may change, and which diagnostic a command acts on.

import * as os from "os";
import * as path from "path";

/** Settings the extension reads itself; everything else under `hasten.` goes to the server. */
export const CLIENT_ONLY_SETTINGS: ReadonlySet<string> = new Set(["interpreter", "path", "trace.server"]);

/** Settings an untrusted workspace may not set (mirrors `restrictedConfigurations` in package.json). */
export const RESTRICTED_SETTINGS: readonly string[] = [
  "interpreter",
  "path",
  "verify.enable",
  "verify.testCommand",
];

/** The `source` the server puts on every diagnostic it publishes. */
export const DIAGNOSTIC_SOURCE = "hasten";

/** The server's command that verifies one fix; its argument is the diagnostic's `data`. */
export const SERVER_VERIFY_COMMAND = "hasten.verifyFix";

/**
 * Commands the extension registers itself (package.json `contributes.commands`). They are named
 * apart from the server's commands (`hasten.fixAll` and `hasten.verifyFix`, which take a URI or a
 * diagnostic's data): the extension's work on the active editor.
 */
export const CLIENT_COMMANDS: readonly string[] = [
  "hasten.restart",
  "hasten.showLogs",
  "hasten.verifyFixAtCursor",
  "hasten.fixAllInEditor",
  "hasten.profileTests",
];

/** The server's command that profiles the workspace's tests; its argument is a folder's URI. */
export const SERVER_PROFILE_COMMAND = "hasten.profile";

/**
 * The server's commands that may become VS Code commands. VS Code refuses a second command with the
 * same id, and the language client would fail to start, so should a server ever offer a command
 * named like one of the extension's own, it stays reachable through `workspace/executeCommand` only.
 */
export function serverCommandsToRegister(commands: readonly string[] | undefined): string[] {
  return (commands ?? []).filter((command) => !CLIENT_COMMANDS.includes(command));
}

/** The code action kind of "apply every safe fix in this file". */
export const FIX_ALL_KIND = "source.fixAll.hasten";

export interface ServerCommand {
  command: string;
  args: string[];
  /** Where the command came from, for the log and for error messages. */
  origin: "hasten.interpreter" | "hasten.path" | "python extension" | "default";
}

export interface ResolveInputs {
  /** `hasten.interpreter`: a path, or a command with arguments. */
  interpreter?: unknown;
  /** `hasten.path`: a hasten executable. */
  hastenPath?: unknown;
  /** The Python extension's active interpreter as a command (argv), when that extension is present. */
  environment?: readonly string[];
  trusted: boolean;
  platform: NodeJS.Platform;
  /** The folder `${workspaceFolder}` expands to. */
  workspaceFolder?: string;
  /** All folders of the workspace: in an untrusted one, an interpreter inside them is not used. */
  workspaceFolders?: readonly string[];
  home?: string;
}

/** Turn a setting that may be a string or an array of strings into argv; blanks are dropped. */
export function toArgv(value: unknown): string[] {
  if (typeof value === "string") {
    return value.trim() === "" ? [] : [value.trim()];
  }
  if (Array.isArray(value)) {
    return value.filter((part): part is string => typeof part === "string" && part.trim() !== "");
  }
  return [];
}

/** Expand `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~` in one argument. */
export function expandVariables(
  value: string,
  context: { workspaceFolder?: string; home?: string; env?: NodeJS.ProcessEnv },
): string {
  const home = context.home ?? os.homedir();
  const env = context.env ?? process.env;
  let out = value.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (match, name, envName) => {
    if (name === "workspaceFolder") {
      return context.workspaceFolder ?? match;
    }
    if (name === "userHome") {
      return home;
    }
    return env[envName] ?? "";
  });
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    out = home + out.slice(1);
  }
  return out;
}

function isInside(file: string, folder: string, platform: NodeJS.Platform): boolean {
  const paths = platform === "win32" ? path.win32 : path.posix;
  const norm = (p: string) => (platform === "win32" ? paths.resolve(p).toLowerCase() : paths.resolve(p));
  const relative = paths.relative(norm(folder), norm(file));
  return relative === "" || (!relative.startsWith("..") && !paths.isAbsolute(relative));
}

/**
 * The Python code that starts the server, run as `<python> -c SERVER_LAUNCHER server`.
 *
 * `python -m hasten server` would put the working directory first on `sys.path`, so a workspace's
 * `argparse.py` would run when the server starts and a workspace `hasten/` package would replace
 * the server. With `-c` that entry is the empty string, which the launcher drops before it imports
 * anything; `sys` is built in, so nothing is looked up until the path is clean. Unlike `python -I`
 * it keeps the user site-packages and `PYTHONPATH`, where hasten may be installed, and unlike
 * `python -P` it works on Python 3.10. It calls the entry point of the `hasten` executable
 * (`[project.scripts]` in pyproject.toml; a Python test checks that they agree).
 */
export const SERVER_LAUNCHER =
  "import sys; sys.path[:] = [p for p in sys.path if p]; from hasten.server.cli import main; sys.exit(main())";

/** The arguments after the interpreter (and its own arguments) that start the server. */
export const SERVER_ARGS: readonly string[] = ["-c", SERVER_LAUNCHER, "server"];

/**
 * The folder the server process starts in: never a workspace folder, so nothing that resolves
 * against the working directory (a relative `PYTHONPATH` entry, a wrapper looking for a project)
 * picks up the workspace. The first candidate that exists or can be created and lies outside every
 * workspace folder wins (the extension passes its global storage folder, then the home folder).
 */
export function serverWorkingDirectory(
  candidates: readonly (string | undefined)[],
  workspaceFolders: readonly string[],
  platform: NodeJS.Platform,
  ensureDirectory: (dir: string) => boolean,
): string | undefined {
  for (const candidate of candidates) {
    if (!candidate || workspaceFolders.some((folder) => isInside(candidate, folder, platform))) {
      continue;
    }
    if (ensureDirectory(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** The command line for logs and messages; arguments with blanks or shell characters are quoted. */
export function commandLineText(command: ServerCommand): string {
  return [command.command, ...command.args]
    .map((arg) => (arg === "" || /[\s;"'()[\]$&|<>*?]/.test(arg) ? `"${arg.replace(/(["\\$`])/g, "\\$1")}"` : arg))
    .join(" ");
}

/** The default interpreter name when nothing else is known. */
export function defaultPython(platform: NodeJS.Platform): string {
  return platform === "win32" ? "python" : "python3";
}

/**
 * Decide how to start the server, in this order: `hasten.interpreter`, `hasten.path`, the Python
 * extension's active environment, then `python3` (`python` on Windows).
 *
 * An untrusted workspace could point the settings, or the selected environment, at a program it
 * ships, so there only an environment outside every workspace folder is used, else the default.
 */
export function resolveServerCommand(inputs: ResolveInputs): ServerCommand {
  const expand = (arg: string) =>
    expandVariables(arg, { workspaceFolder: inputs.workspaceFolder, home: inputs.home });
  const serverArgs = [...SERVER_ARGS];

  if (inputs.trusted) {
    const interpreter = toArgv(inputs.interpreter).map(expand);
    if (interpreter.length > 0) {
      return { command: interpreter[0], args: [...interpreter.slice(1), ...serverArgs], origin: "hasten.interpreter" };
    }
    const hastenPath = toArgv(inputs.hastenPath).map(expand);
    if (hastenPath.length > 0) {
      return { command: hastenPath[0], args: [...hastenPath.slice(1), "server"], origin: "hasten.path" };
    }
  }

  const environment = toArgv(inputs.environment);
  if (environment.length > 0) {
    const paths = inputs.platform === "win32" ? path.win32 : path.posix;
    // A bare name is looked up on PATH; a relative path resolves inside the workspace. Every
    // argument counts, since a wrapper such as `conda run -p ENV python` names the environment later.
    const fromWorkspace = environment.some((arg) =>
      paths.isAbsolute(arg)
        ? (inputs.workspaceFolders ?? []).some((folder) => isInside(arg, folder, inputs.platform))
        : /[\\/]/.test(arg),
    );
    if (inputs.trusted || !fromWorkspace) {
      return { command: environment[0], args: [...environment.slice(1), ...serverArgs], origin: "python extension" };
    }
  }

  return { command: defaultPython(inputs.platform), args: serverArgs, origin: "default" };
}

/** Setting names (without `hasten.`) that the server receives, read from package.json's manifest. */
export function serverSettingNames(manifest: unknown): string[] {
  const properties = (manifest as { contributes?: { configuration?: { properties?: object } } })?.contributes
    ?.configuration?.properties;
  if (!properties || typeof properties !== "object") {
    return [];
  }
  return Object.keys(properties)
    .filter((key) => key.startsWith("hasten."))
    .map((key) => key.slice("hasten.".length))
    .filter((key) => !CLIENT_ONLY_SETTINGS.has(key));
}

/**
 * Build the nested `hasten` settings object the server receives as `initializationOptions` and
 * through `workspace/configuration`: `model.enable` becomes `{model: {enable: ...}}`.
 *
 * `get` returns a setting's effective value (VS Code already skips workspace values of restricted
 * settings in an untrusted workspace); on top of that verification is forced off there, since it
 * runs the workspace's own tests.
 */
export function buildServerSettings(
  names: readonly string[],
  get: (name: string) => unknown,
  trusted: boolean,
): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const name of names) {
    const value = get(name);
    if (value === undefined) {
      continue;
    }
    setNested(settings, name.split("."), value);
  }
  if (!trusted) {
    setNested(settings, ["verify", "enable"], false);
  }
  return settings;
}

function setNested(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    if (typeof child !== "object" || child === null || Array.isArray(child)) {
      node[key] = {};
    }
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** True when a change to these settings needs a new server process rather than a settings push. */
export function needsRestart(affects: (name: string) => boolean): boolean {
  return ["interpreter", "path"].some((name) => affects(`hasten.${name}`));
}

export interface Position {
  line: number;
  character: number;
}

export interface RangeLike {
  start: Position;
  end: Position;
}

export interface DiagnosticLike {
  range: RangeLike;
  source?: string;
  data?: unknown;
  message?: string;
  code?: unknown;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Does `range` contain `position`, ends included (a cursor just past a name still counts)? */
export function rangeContains(range: RangeLike, position: Position): boolean {
  return !before(position, range.start) && !before(range.end, position);
}

/**
 * The hasten diagnostics that `hasten.verifyFix` can act on at `position`: from this server, with
 * fix data, and covering the position; narrowest first, so the innermost finding comes first.
 */
export function verifiableDiagnosticsAt<T extends DiagnosticLike>(diagnostics: readonly T[], position: Position): T[] {
  const size = (range: RangeLike) => [range.end.line - range.start.line, range.end.character - range.start.character];
  return diagnostics
    .filter((d) => d.source === DIAGNOSTIC_SOURCE && d.data !== undefined && d.data !== null)
    .filter((d) => rangeContains(d.range, position))
    .sort((a, b) => {
      const [al, ac] = size(a.range);
      const [bl, bc] = size(b.range);
      return al - bl || ac - bc;
    });
}

/** A one-line text for the outcome of `hasten.verifyFix`, or undefined when there is nothing to say. */
export function describeVerifyResult(result: unknown): string | undefined {
  if (typeof result === "string") {
    return result.trim() || undefined;
  }
  if (typeof result === "object" && result !== null) {
    for (const key of ["message", "summary", "verdict"]) {
      const value = (result as Record<string, unknown>)[key];
      if (typeof value === "string" && value.trim()) {
        return value.trim();
      }
    }
  }
  return undefined;
}
