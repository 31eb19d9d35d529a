// The bundled extension (dist/extension.js, as shipped in the .vsix) activated under plain Node with
// a fake `vscode` module, talking to a stand-in server over stdio through the real
// vscode-languageclient. This checks the wiring that unit tests of ./config cannot: the command
// that is spawned, the settings the server receives at start and on request, the commands, trust.
// It is not VS Code: the editor UI and the real server are tested elsewhere.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";

import { SERVER_ARGS, SERVER_LAUNCHER } from "../config";
import { FakeState, FakeUri, createFakeVscode, createState, fakeTextDocument } from "../testing/fakeVscode";

const root = path.resolve(__dirname, "..", "..");
const bundle = path.join(root, "dist", "extension.js");
const mockServer = path.join(root, "out", "testing", "mockServer.js");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const properties: Record<string, { default: unknown }> = manifest.contributes.configuration.properties;

interface Recorded {
  event: string;
  payload: any;
  pid: number;
}

interface Extension {
  activate(context: unknown): Promise<void>;
  deactivate(): Promise<void>;
}

function defaults(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, structuredClone(schema.default)]));
}

/** Load a fresh copy of the bundle wired to `state` through a fake `vscode` module. */
function loadExtension(state: FakeState): Extension {
  const Module = require("node:module");
  const originalLoad = Module._load;
  const fake = createFakeVscode(state);
  Module._load = function (request: string, parent: unknown, isMain: boolean) {
    return request === "vscode" ? fake : originalLoad.call(this, request, parent, isMain);
  };
  try {
    delete require.cache[bundle];
    return require(bundle) as Extension;
  } finally {
    Module._load = originalLoad;
  }
}

class Recording {
  constructor(readonly file: string) {}
  events(): Recorded[] {
    if (!fs.existsSync(this.file)) {
      return [];
    }
    return fs
      .readFileSync(this.file, "utf8")
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Recorded);
  }
  all(event: string): Recorded[] {
    return this.events().filter((e) => e.event === event);
  }
  async waitFor(event: string, count = 1, timeoutMs = 15_000): Promise<Recorded[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.all(event);
      if (found.length >= count) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${count} × ${event}; recorded: ${JSON.stringify(this.events())}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

function setUp(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hasten-${name}-`));
  const workspace = path.join(dir, "workspace");
  fs.mkdirSync(workspace);
  const recording = new Recording(path.join(dir, "record.jsonl"));
  const state = createState(defaults(), workspace);
  const storage = path.join(dir, "global-storage");
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    extension: { packageJSON: manifest },
    globalStorageUri: FakeUri.file(storage),
  };
  return { dir, workspace, storage, recording, state, context };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Remove a suite's folder once its servers are gone. A server can still be writing (the stand-in
 * appends to its recording until it exits), and removing a folder while a file appears in it fails
 * with ENOTEMPTY: wait for the processes, kill what is left, and retry the removal.
 */
async function removeWhenDone(dir: string, pids: readonly number[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone in between
    }
  }
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
}

function pythonEditor(workspace: string, line: number, character: number) {
  const uri = FakeUri.file(path.join(workspace, "slow.py"));
  return {
    uri,
    editor: { document: { uri, languageId: "python" }, selection: { active: { line, character } } },
  };
}

function hastenDiagnostic(data: unknown) {
  return {
    range: { start: { line: 4, character: 11 }, end: { line: 4, character: 24 } },
    source: "hasten",
    code: "HS101",
    message: "`known` is a list",
    data,
  };
}

describe("activation in a trusted workspace", { skip: !fs.existsSync(bundle) && "run `npm run build` first" }, () => {
  const { dir, workspace, storage, recording, state, context } = setUp("trusted");
  let extension: Extension;

  before(async () => {
    // The stand-in server inherits this and records into this suite's file.
    process.env.HASTEN_MOCK_RECORD = recording.file;
    Object.assign(state.settings, {
      "hasten.interpreter": [process.execPath, mockServer],
      "hasten.model.threshold": 0.5,
      "hasten.severity": { HS101: "warning" },
      "hasten.verify.testCommand": "pytest -q",
    });
    extension = loadExtension(state);
    await extension.activate(context);
    await recording.waitFor("response:workspace/configuration");
  });

  after(async () => {
    await extension?.deactivate();
    delete process.env.HASTEN_MOCK_RECORD;
    await removeWhenDone(dir, recording.events().map((e) => e.pid));
  });

  const expectedSettings = () => ({
    enable: true,
    select: [],
    ignore: [],
    preview: false,
    severity: { HS101: "warning" },
    logLevel: "info",
    debounce: 0,
    hotOnly: false,
    hotThreshold: 0.01,
    model: { enable: true, threshold: 0.5, severity: "information" },
    metrics: { codeLens: true, complexityMax: 15, growthMin: "off" },
    verify: { enable: true, onSave: false, timeout: 120, testCommand: "pytest -q" },
  });

  it("starts `<interpreter> -c <launcher> server` outside the workspace folder", () => {
    const [initialize] = recording.all("initialize");
    assert.deepEqual(initialize.payload.argv, SERVER_ARGS);
    assert.notEqual(fs.realpathSync(initialize.payload.cwd), fs.realpathSync(workspace));
    assert.equal(fs.realpathSync(initialize.payload.cwd), fs.realpathSync(storage));
  });

  it("sends the hasten settings, nested and without client-only ones, as initializationOptions", () => {
    const [initialize] = recording.all("initialize");
    assert.deepEqual(initialize.payload.params.initializationOptions, expectedSettings());
  });

  it("answers workspace/configuration for hasten with the same object", () => {
    const [response] = recording.all("response:workspace/configuration");
    assert.deepEqual(response.payload[0], expectedSettings());
    assert.equal(response.payload[1], null);
  });

  it("registers the contributed commands", () => {
    for (const command of ["hasten.restart", "hasten.showLogs", "hasten.verifyFixAtCursor", "hasten.fixAllInEditor", "hasten.profileTests"]) {
      assert.ok(state.commands.has(command), command);
    }
  });

  it("registers the server's commands except those that share an id with the extension's", () => {
    assert.ok(state.commands.has("hasten.verifyFix"));
    assert.ok(state.commands.has("hasten.fixAll"));
    assert.ok(state.commands.has("hasten.mockOnly"));
    assert.ok(state.log.some((line) => line.includes("the server's hasten.restart run through the extension's command")));
  });

  it("verifies the fix of the finding under the cursor through hasten.verifyFix", async () => {
    const { uri, editor } = pythonEditor(workspace, 4, 15);
    state.activeTextEditor = editor;
    state.diagnostics.set(uri.toString(), [
      { ...hastenDiagnostic({ other: true }), source: "ruff" },
      hastenDiagnostic({ rule: "HS101", fix: 1 }),
    ]);
    await state.commands.get("hasten.verifyFixAtCursor")!();
    const [call] = await recording.waitFor("executeCommand");
    assert.deepEqual(call.payload, { command: "hasten.verifyFix", arguments: [{ rule: "HS101", fix: 1 }] });
    assert.ok(
      state.messages.some((m) => m.level === "info" && m.text === "hasten: verified: 2.0x faster"),
      JSON.stringify(state.messages),
    );
  });

  it("says so when no finding is under the cursor", async () => {
    const { editor } = pythonEditor(workspace, 0, 0);
    state.activeTextEditor = editor;
    const before = recording.all("executeCommand").length;
    await state.commands.get("hasten.verifyFixAtCursor")!();
    assert.equal(recording.all("executeCommand").length, before);
    assert.match(state.messages[state.messages.length - 1].text, /no hasten finding with a fix at the cursor/);
  });

  it("runs the source.fixAll.hasten code action", async () => {
    state.activeTextEditor = pythonEditor(workspace, 0, 0).editor;
    await state.commands.get("hasten.fixAllInEditor")!();
    assert.deepEqual(state.executed[state.executed.length - 1], {
      command: "editor.action.codeAction",
      args: [{ kind: "source.fixAll.hasten", apply: "first" }],
    });
  });

  it("pushes changed settings to the running server", async () => {
    state.settings["hasten.preview"] = true;
    state.configurationChanged.fire({ affectsConfiguration: (n) => n === "hasten" || n === "hasten.preview" });
    const [change] = await recording.waitFor("workspace/didChangeConfiguration");
    assert.deepEqual(change.payload.settings.hasten, { ...expectedSettings(), preview: true });
  });

  it("restarts the server when the interpreter changes", async () => {
    const firstPid = recording.all("initialize")[0].pid;
    state.settings["hasten.interpreter"] = [process.execPath, mockServer, "--second"];
    state.configurationChanged.fire({ affectsConfiguration: (n) => n === "hasten" || n === "hasten.interpreter" });
    const starts = await recording.waitFor("initialize", 2);
    assert.ok(recording.all("shutdown").some((e) => e.pid === firstPid), "the old server was not shut down");
    assert.deepEqual(starts[1].payload.argv, ["--second", ...SERVER_ARGS]);
  });

  it("shows the output channel", async () => {
    await state.commands.get("hasten.showLogs")!();
    assert.ok(state.log.includes("[hasten] shown"));
    assert.ok(state.log.some((line) => line.includes(SERVER_LAUNCHER) && line.includes("hasten.interpreter")));
  });
});

describe("activation in an untrusted workspace", { skip: !fs.existsSync(bundle) && "run `npm run build` first" }, () => {
  const { dir, workspace, recording, state, context } = setUp("untrusted");
  let extension: Extension;

  before(async () => {
    process.env.HASTEN_MOCK_RECORD = recording.file;
    state.trusted = false;
    // What an untrusted workspace might set; none of it may be used.
    Object.assign(state.settings, {
      "hasten.interpreter": [path.join(workspace, "evil-python")],
      "hasten.path": path.join(workspace, "evil-hasten"),
      "hasten.verify.enable": true,
    });
    // The Python extension's interpreter lives outside the workspace, so it may run the server.
    state.pythonExecCommand = [process.execPath, mockServer];
    extension = loadExtension(state);
    await extension.activate(context);
    await recording.waitFor("response:workspace/configuration");
  });

  after(async () => {
    await extension?.deactivate();
    delete process.env.HASTEN_MOCK_RECORD;
    await removeWhenDone(dir, recording.events().map((e) => e.pid));
  });

  it("ignores hasten.interpreter and hasten.path", () => {
    const [initialize] = recording.all("initialize");
    assert.deepEqual(initialize.payload.argv, SERVER_ARGS);
    assert.ok(state.log.some((line) => line.includes("python extension") && line.includes("untrusted")));
    assert.notEqual(fs.realpathSync(initialize.payload.cwd), fs.realpathSync(workspace));
  });

  it("turns verification off in both settings channels", () => {
    const [initialize] = recording.all("initialize");
    assert.equal(initialize.payload.params.initializationOptions.verify.enable, false);
    const [response] = recording.all("response:workspace/configuration");
    assert.equal(response.payload[0].verify.enable, false);
  });

  it("does not run verification", async () => {
    const { uri, editor } = pythonEditor(workspace, 4, 15);
    state.activeTextEditor = editor;
    state.diagnostics.set(uri.toString(), [hastenDiagnostic({ fix: 1 })]);
    await state.commands.get("hasten.verifyFixAtCursor")!();
    assert.equal(recording.all("executeCommand").length, 0);
    assert.match(state.messages[state.messages.length - 1].text, /trust/);
  });

  it("restarts with full settings once the workspace is trusted", async () => {
    state.settings["hasten.interpreter"] = [process.execPath, mockServer, "--trusted"];
    state.trusted = true;
    state.trustGranted.fire();
    const starts = await recording.waitFor("initialize", 2);
    assert.deepEqual(starts[1].payload.argv, ["--trusted", ...SERVER_ARGS]);
    assert.equal(starts[1].payload.params.initializationOptions.verify.enable, true);
  });
});

describe("a server that cannot start", { skip: !fs.existsSync(bundle) && "run `npm run build` first" }, () => {
  const { dir, state, context } = setUp("missing");
  let extension: Extension;

  after(async () => {
    await extension?.deactivate();
    await removeWhenDone(dir, []);
  });

  it("names the command that failed and what to do", async () => {
    const missing = path.join(dir, "no-such-python");
    state.settings["hasten.interpreter"] = missing;
    extension = loadExtension(state);
    await extension.activate(context);
    const deadline = Date.now() + 15_000;
    while (!state.messages.some((m) => m.level === "error") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const errors = state.messages.filter((m) => m.level === "error").map((m) => m.text);
    assert.ok(
      errors.some((text) => text.includes(`\`${missing} -c "${SERVER_LAUNCHER}" server\``) && text.includes("hasten.interpreter")),
      JSON.stringify(errors),
    );
  });
});

// With HASTEN_TEST_PYTHON naming a Python that has hasten installed (the Python suite sets it), the
// same harness drives the real server: the bundled client must get diagnostics with fix data for an
// open file, and the server must accept the settings without complaint.
const realPython = process.env.HASTEN_TEST_PYTHON;

describe("with the real hasten server", { skip: (!realPython && "HASTEN_TEST_PYTHON is not set") || (!fs.existsSync(bundle) && "run `npm run build` first") }, () => {
  const { dir, workspace, state, context } = setUp("real");
  const source = [
    "def common(items, others):",
    "    known = list(others)",
    "    found = []",
    "    for item in items:",
    "        if item in known:",
    "            found.append(item)",
    "    return found",
    "",
  ].join("\n");
  let extension: Extension;

  after(async () => {
    await extension?.deactivate();
    await removeWhenDone(dir, []);
  });

  // A workspace that would take over a server started with `python -m hasten server` in it: its
  // argparse.py would run at start (the server imports argparse), its hasten/ replace the server.
  const marker = path.join(dir, "workspace-code-ran");
  const plant = `import pathlib\npathlib.Path(${JSON.stringify(marker)}).write_text(__file__)\n`;
  fs.writeFileSync(path.join(workspace, "argparse.py"), plant);
  fs.mkdirSync(path.join(workspace, "hasten"));
  fs.writeFileSync(path.join(workspace, "hasten", "__init__.py"), plant);
  fs.writeFileSync(path.join(workspace, "hasten", "__main__.py"), plant);

  it("shows hasten diagnostics that carry their fix data", async () => {
    const file = path.join(workspace, "slow.py");
    fs.writeFileSync(file, source);
    const document = fakeTextDocument(file, source);
    state.textDocuments.push(document);
    state.settings["hasten.interpreter"] = [realPython!];
    // HS101 (list membership in a loop) is a preview rule.
    state.settings["hasten.preview"] = true;
    extension = loadExtension(state);
    await extension.activate(context);

    const uri = document.uri.toString();
    const deadline = Date.now() + 60_000;
    while (!(state.diagnostics.get(uri) ?? []).length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const diagnostics = (state.diagnostics.get(uri) ?? []) as { source?: string; code?: unknown; data?: unknown; range: { start: { line: number } } }[];
    assert.ok(diagnostics.length > 0, `no diagnostics; log:\n${state.log.join("\n")}`);
    assert.ok(diagnostics.every((d) => d.source === "hasten" && d.code !== undefined), JSON.stringify(diagnostics));
    assert.ok(diagnostics.some((d) => d.data !== undefined && d.range.start.line === 4), JSON.stringify(diagnostics));

    assert.ok(!fs.existsSync(marker), `the server ran ${fs.existsSync(marker) ? fs.readFileSync(marker, "utf8") : ""} from the workspace`);

    const complaints = state.log.filter((line) => /unknown setting|invalid value/.test(line));
    assert.deepEqual(complaints, []);
    assert.deepEqual(
      state.messages.filter((m) => m.level === "error"),
      [],
    );
  });

  it("verifies the fix under the cursor and shows the server's verdict", async () => {
    const document = state.textDocuments[0];
    state.activeTextEditor = { document, selection: { active: { line: 4, character: 15 } } };
    const before = state.messages.length;
    await state.commands.get("hasten.verifyFixAtCursor")!();
    const deadline = Date.now() + 120_000;
    while (state.messages.length === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const shown = state.messages.slice(before);
    assert.ok(shown.length > 0, `no verdict shown; log:\n${state.log.join("\n")}`);
    // No tests reach this function, so the verdict cannot be a success; what matters is that the
    // request went through and its answer reached the user.
    assert.ok(shown.every((m) => m.text.startsWith("hasten")), JSON.stringify(shown));
    assert.ok(state.log.some((line) => line.includes("hasten.verifyFix returned")), state.log.join("\n"));
    // Verification runs the workspace's tests in a copy on the user's request, so the copy's
    // argparse.py may run there; that is the only place workspace code runs.
    if (fs.existsSync(marker)) {
      const ran = fs.readFileSync(marker, "utf8");
      assert.ok(!ran.startsWith(workspace + path.sep), `the server ran ${ran} from the workspace`);
    }
  });
});
