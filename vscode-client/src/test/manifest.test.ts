// Checks on package.json and the built bundle that need no running VS Code.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { CLIENT_COMMANDS, CLIENT_ONLY_SETTINGS, RESTRICTED_SETTINGS, serverSettingNames } from "../config";

// Compiled to out/test/, so the package root is two levels up.
const root = path.resolve(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;
const SCOPES = new Set(["application", "machine", "machine-overridable", "window", "resource", "language-overridable"]);

describe("package.json", () => {
  it("activates for Python files", () => {
    assert.ok(manifest.activationEvents.includes("onLanguage:python"));
  });

  it("declares limited support for untrusted workspaces with the restricted settings", () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, "limited");
    assert.deepEqual(
      [...untrusted.restrictedConfigurations].sort(),
      RESTRICTED_SETTINGS.map((name) => `hasten.${name}`).sort(),
    );
    for (const name of untrusted.restrictedConfigurations) {
      assert.ok(name in properties, `${name} is restricted but not contributed`);
    }
  });

  it("gives every setting a description, type, default and scope", () => {
    for (const [name, schema] of Object.entries(properties)) {
      assert.ok(name.startsWith("hasten."), name);
      assert.ok(
        typeof schema.description === "string" || typeof schema.markdownDescription === "string",
        `${name} has no description`,
      );
      assert.ok(schema.type !== undefined, `${name} has no type`);
      assert.ok("default" in schema, `${name} has no default`);
      assert.ok(SCOPES.has(schema.scope as string), `${name} has scope ${String(schema.scope)}`);
    }
  });

  it("has defaults that fit their own schema", () => {
    for (const [name, schema] of Object.entries(properties)) {
      const value = schema.default;
      const types = ([] as unknown[]).concat(schema.type);
      const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
      assert.ok(
        types.includes(actual) || (actual === "number" && types.includes("integer")),
        `${name}: default ${JSON.stringify(value)} is not ${types.join(" or ")}`,
      );
      if (Array.isArray(schema.enum)) {
        assert.ok(schema.enum.includes(value), `${name}: default not in its enum`);
      }
      if (typeof value === "number") {
        assert.ok(schema.minimum === undefined || value >= (schema.minimum as number), `${name} below minimum`);
        assert.ok(schema.maximum === undefined || value <= (schema.maximum as number), `${name} above maximum`);
      }
    }
  });

  it("contributes the client-only settings and sends all others to the server", () => {
    for (const name of CLIENT_ONLY_SETTINGS) {
      assert.ok(`hasten.${name}` in properties, `hasten.${name} missing`);
    }
    const names = serverSettingNames(manifest);
    assert.ok(names.includes("enable") && names.includes("model.threshold") && names.includes("verify.enable"));
    assert.equal(names.length + CLIENT_ONLY_SETTINGS.size, Object.keys(properties).length);
  });

  it("registers every contributed command in the extension and no undeclared one", () => {
    const source = fs.readFileSync(path.join(root, "src", "extension.ts"), "utf8");
    const registered = [...source.matchAll(/registerCommand\(\s*"([^"]+)"/g)].map((m) => m[1]).sort();
    const declared = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(registered, declared);
    assert.deepEqual(declared, ["hasten.fixAllInEditor", "hasten.profileTests", "hasten.restart", "hasten.showLogs", "hasten.verifyFixAtCursor"]);
    assert.deepEqual([...CLIENT_COMMANDS].sort(), declared);
  });

  it("points main at the bundle that .vscodeignore keeps", () => {
    assert.equal(manifest.main, "./dist/extension.js");
    const ignore = fs.readFileSync(path.join(root, ".vscodeignore"), "utf8");
    assert.match(ignore, /^!dist\/extension\.js$/m);
  });
});

describe("module boundaries", () => {
  it("keeps the pure logic free of the vscode module", () => {
    const compiled = fs.readFileSync(path.join(root, "out", "config.js"), "utf8");
    assert.doesNotMatch(compiled, /require\(["']vscode["']\)/);
  });
});

/**
 * A stand-in for the `vscode` module that only has to survive being loaded: every property is a
 * constructible function whose properties are again such functions.
 */
function fakeModule(): unknown {
  const cache = new Map<PropertyKey, unknown>();
  const target = function () {
    /* constructible placeholder */
  };
  return new Proxy(target, {
    get(t, key) {
      if (key in t) {
        return Reflect.get(t, key);
      }
      if (key === "then" || typeof key === "symbol") {
        return undefined;
      }
      if (!cache.has(key)) {
        cache.set(key, fakeModule());
      }
      return cache.get(key);
    },
  });
}

describe("bundle", () => {
  const bundle = path.join(root, "dist", "extension.js");

  it("loads with vscode as its only external module and exports activate/deactivate", (t) => {
    if (!fs.existsSync(bundle)) {
      t.skip("dist/extension.js not built; run `npm run build`");
      return;
    }
    const Module = require("node:module");
    const originalLoad = Module._load;
    const external: string[] = [];
    Module._load = function (request: string, parent: unknown, isMain: boolean) {
      if (request === "vscode") {
        return fakeModule();
      }
      if (!request.startsWith("node:") && !Module.builtinModules.includes(request)) {
        external.push(request);
      }
      return originalLoad.call(this, request, parent, isMain);
    };
    try {
      delete require.cache[bundle];
      const extension = require(bundle);
      assert.equal(typeof extension.activate, "function");
      assert.equal(typeof extension.deactivate, "function");
    } finally {
      Module._load = originalLoad;
    }
    assert.deepEqual(
      external.filter((request) => request !== bundle),
      [],
      "the bundle requires modules that the .vsix does not ship",
    );
  });
});
