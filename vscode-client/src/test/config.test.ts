import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  SERVER_ARGS,
  SERVER_LAUNCHER,
  buildServerSettings,
  commandLineText,
  describeVerifyResult,
  expandVariables,
  needsRestart,
  resolveServerCommand,
  serverCommandsToRegister,
  serverSettingNames,
  serverWorkingDirectory,
  toArgv,
  verifiableDiagnosticsAt,
} from "../config";

const SERVER = [...SERVER_ARGS];

describe("resolveServerCommand", () => {
  const base = { trusted: true, platform: "linux" as NodeJS.Platform, home: "/home/u" };

  it("uses hasten.interpreter given as a string", () => {
    const got = resolveServerCommand({ ...base, interpreter: "/opt/py/bin/python" });
    assert.deepEqual(got, { command: "/opt/py/bin/python", args: SERVER, origin: "hasten.interpreter" });
  });

  it("uses hasten.interpreter given as a command with arguments", () => {
    const got = resolveServerCommand({ ...base, interpreter: ["uv", "run", "python"] });
    assert.deepEqual(got, { command: "uv", args: ["run", "python", ...SERVER], origin: "hasten.interpreter" });
  });

  it("keeps a path with spaces in one argument", () => {
    const got = resolveServerCommand({ ...base, interpreter: "/My Pythons/3.12/bin/python" });
    assert.equal(got.command, "/My Pythons/3.12/bin/python");
  });

  it("prefers hasten.interpreter over hasten.path and the environment", () => {
    const got = resolveServerCommand({
      ...base,
      interpreter: ["/a/python"],
      hastenPath: "/b/hasten",
      environment: ["/c/python"],
    });
    assert.equal(got.command, "/a/python");
  });

  it("runs `<path> server` for hasten.path", () => {
    const got = resolveServerCommand({ ...base, interpreter: [], hastenPath: "/b/hasten", environment: ["/c/python"] });
    assert.deepEqual(got, { command: "/b/hasten", args: ["server"], origin: "hasten.path" });
  });

  it("treats empty strings and arrays as unset", () => {
    const got = resolveServerCommand({ ...base, interpreter: ["", "  "], hastenPath: "", environment: ["/c/python"] });
    assert.deepEqual(got, { command: "/c/python", args: SERVER, origin: "python extension" });
  });

  it("falls back to python3, or python on Windows", () => {
    assert.deepEqual(resolveServerCommand(base), { command: "python3", args: SERVER, origin: "default" });
    assert.deepEqual(resolveServerCommand({ ...base, platform: "win32" }), {
      command: "python",
      args: SERVER,
      origin: "default",
    });
  });

  it("ignores settings of the wrong type", () => {
    const got = resolveServerCommand({ ...base, interpreter: 42, hastenPath: { x: 1 } });
    assert.equal(got.origin, "default");
  });

  it("expands ${workspaceFolder}, ${userHome} and ~", () => {
    const got = resolveServerCommand({
      ...base,
      workspaceFolder: "/ws",
      interpreter: ["${workspaceFolder}/.venv/bin/python"],
    });
    assert.equal(got.command, "/ws/.venv/bin/python");
    assert.equal(resolveServerCommand({ ...base, hastenPath: "~/.local/bin/hasten" }).command, "/home/u/.local/bin/hasten");
    assert.equal(resolveServerCommand({ ...base, hastenPath: "${userHome}/bin/hasten" }).command, "/home/u/bin/hasten");
  });

  describe("in an untrusted workspace", () => {
    const untrusted = { ...base, trusted: false, workspaceFolders: ["/ws"], workspaceFolder: "/ws" };

    it("ignores hasten.interpreter and hasten.path", () => {
      const got = resolveServerCommand({ ...untrusted, interpreter: ["/evil/python"], hastenPath: "/evil/hasten" });
      assert.deepEqual(got, { command: "python3", args: SERVER, origin: "default" });
    });

    it("uses an environment outside the workspace", () => {
      const got = resolveServerCommand({ ...untrusted, environment: ["/usr/bin/python3.12"] });
      assert.equal(got.command, "/usr/bin/python3.12");
      assert.equal(got.origin, "python extension");
    });

    it("refuses an environment inside the workspace", () => {
      for (const environment of [
        ["/ws/.venv/bin/python"],
        ["/ws"],
        [".venv/bin/python"],
        ["conda", "run", "-p", "/ws/env", "python"],
      ]) {
        const got = resolveServerCommand({ ...untrusted, environment });
        assert.equal(got.origin, "default", JSON.stringify(environment));
      }
    });

    it("does not mistake a sibling folder for the workspace", () => {
      const got = resolveServerCommand({ ...untrusted, environment: ["/ws-other/bin/python"] });
      assert.equal(got.origin, "python extension");
    });

    it("compares Windows paths without regard to case", () => {
      const got = resolveServerCommand({
        ...untrusted,
        platform: "win32",
        workspaceFolders: ["C:\\Work\\Proj"],
        environment: ["c:\\work\\proj\\.venv\\Scripts\\python.exe"],
      });
      assert.deepEqual(got, { command: "python", args: SERVER, origin: "default" });
    });
  });
});

describe("toArgv and expandVariables", () => {
  it("normalises strings and arrays", () => {
    assert.deepEqual(toArgv(" python3 "), ["python3"]);
    assert.deepEqual(toArgv(["py", "", "-3"]), ["py", "-3"]);
    assert.deepEqual(toArgv(undefined), []);
    assert.deepEqual(toArgv(null), []);
  });

  it("leaves unknown variables alone and reads ${env:NAME}", () => {
    assert.equal(expandVariables("${workspaceFolder}/x", { home: "/h" }), "${workspaceFolder}/x");
    assert.equal(expandVariables("${env:PYHOME}/python", { home: "/h", env: { PYHOME: "/p" } }), "/p/python");
    assert.equal(expandVariables("a~b", { home: "/h" }), "a~b");
  });
});

describe("serverSettingNames", () => {
  it("lists hasten.* properties except the client-only ones", () => {
    const manifest = {
      contributes: {
        configuration: {
          properties: {
            "hasten.interpreter": {},
            "hasten.path": {},
            "hasten.trace.server": {},
            "hasten.enable": {},
            "hasten.model.threshold": {},
            "other.setting": {},
          },
        },
      },
    };
    assert.deepEqual(serverSettingNames(manifest), ["enable", "model.threshold"]);
  });

  it("copes with a manifest without settings", () => {
    assert.deepEqual(serverSettingNames({}), []);
    assert.deepEqual(serverSettingNames(undefined), []);
  });
});

describe("buildServerSettings", () => {
  const values: Record<string, unknown> = {
    enable: true,
    select: ["A1"],
    severity: { A1: "warning" },
    "model.enable": true,
    "model.threshold": 0.8,
    "verify.enable": true,
    "verify.testCommand": "pytest -x",
  };
  const names = Object.keys(values);

  it("nests dotted names and keeps severity as one mapping", () => {
    assert.deepEqual(
      buildServerSettings(names, (n) => values[n], true),
      {
        enable: true,
        select: ["A1"],
        severity: { A1: "warning" },
        model: { enable: true, threshold: 0.8 },
        verify: { enable: true, testCommand: "pytest -x" },
      },
    );
  });

  it("turns verification off in an untrusted workspace", () => {
    const got = buildServerSettings(names, (n) => values[n], false);
    assert.deepEqual(got.verify, { enable: false, testCommand: "pytest -x" });
  });

  it("turns verification off when untrusted even if no verify setting is known", () => {
    assert.deepEqual(buildServerSettings([], () => undefined, false), { verify: { enable: false } });
  });

  it("skips settings that have no value", () => {
    assert.deepEqual(buildServerSettings(["enable", "debounce"], (n) => (n === "enable" ? false : undefined), true), {
      enable: false,
    });
  });
});

describe("how the server starts", () => {
  it("runs the launcher with -c, never -m, so the working directory is not put on sys.path", () => {
    assert.deepEqual(SERVER_ARGS, ["-c", SERVER_LAUNCHER, "server"]);
    assert.ok(!SERVER_ARGS.includes("-m"));
    // The path is cleaned before the first import that could be looked up on it.
    const statements = SERVER_LAUNCHER.split(";").map((s) => s.trim());
    assert.equal(statements[0], "import sys");
    assert.match(statements[1], /^sys\.path\[:\] = /);
    assert.doesNotMatch(SERVER_LAUNCHER, /["']/);
  });

  it("starts outside every workspace folder", () => {
    const made: string[] = [];
    const ensure = (dir: string) => (made.push(dir), !dir.includes("unwritable"));
    assert.equal(serverWorkingDirectory(["/home/u/.config/storage", "/home/u"], ["/ws"], "linux", ensure), "/home/u/.config/storage");
    // A candidate inside a workspace folder is never used, nor one that cannot be created.
    assert.equal(serverWorkingDirectory(["/ws/sub", "/unwritable", "/home/u"], ["/ws"], "linux", ensure), "/home/u");
    assert.ok(!made.includes("/ws/sub"));
    assert.equal(serverWorkingDirectory([undefined, "C:\\WS\\x"], ["c:\\ws"], "win32", ensure), undefined);
  });

  it("shows a command line that can be pasted into a shell", () => {
    const text = commandLineText({ command: "/My Py/python", args: SERVER, origin: "default" });
    assert.equal(text, `"/My Py/python" -c "${SERVER_LAUNCHER}" server`);
  });
});

describe("serverCommandsToRegister", () => {
  it("drops server commands that share an id with the extension's commands", () => {
    assert.deepEqual(serverCommandsToRegister(["hasten.verifyFix", "hasten.fixAll", "hasten.restart"]), [
      "hasten.verifyFix",
      "hasten.fixAll",
    ]);
    assert.deepEqual(serverCommandsToRegister(undefined), []);
  });
});

describe("needsRestart", () => {
  it("restarts for interpreter and path only", () => {
    assert.equal(needsRestart((n) => n === "hasten.interpreter"), true);
    assert.equal(needsRestart((n) => n === "hasten.path"), true);
    assert.equal(needsRestart((n) => n === "hasten.model.enable"), false);
  });
});

describe("verifiableDiagnosticsAt", () => {
  const range = (sl: number, sc: number, el: number, ec: number) => ({
    start: { line: sl, character: sc },
    end: { line: el, character: ec },
  });
  const wide = { range: range(1, 0, 5, 0), source: "hasten", data: { fix: "wide" } };
  const narrow = { range: range(2, 4, 2, 10), source: "hasten", data: { fix: "narrow" } };
  const other = { range: range(2, 0, 2, 20), source: "ruff", data: { fix: "x" } };
  const noFix = { range: range(2, 0, 2, 20), source: "hasten" };

  it("keeps hasten diagnostics with data that cover the cursor, narrowest first", () => {
    assert.deepEqual(verifiableDiagnosticsAt([wide, other, noFix, narrow], { line: 2, character: 6 }), [narrow, wide]);
  });

  it("counts both ends of a range", () => {
    assert.deepEqual(verifiableDiagnosticsAt([narrow], { line: 2, character: 4 }), [narrow]);
    assert.deepEqual(verifiableDiagnosticsAt([narrow], { line: 2, character: 10 }), [narrow]);
    assert.deepEqual(verifiableDiagnosticsAt([narrow], { line: 2, character: 11 }), []);
  });
});

describe("describeVerifyResult", () => {
  it("reads strings and message-like fields", () => {
    assert.equal(describeVerifyResult("verified: 3.1x faster"), "verified: 3.1x faster");
    assert.equal(describeVerifyResult({ message: "no test reaches this function" }), "no test reaches this function");
    assert.equal(describeVerifyResult({ verdict: "slower" }), "slower");
    assert.equal(describeVerifyResult(null), undefined);
    assert.equal(describeVerifyResult({ ok: true }), undefined);
    assert.equal(describeVerifyResult("  "), undefined);
  });
});
