"""The VS Code extension: its settings match the server's, and it builds, tests and packages.

The settings check needs only package.json. The build check runs the real npm toolchain
(`npm ci`, `npm run build`, `npm test`, `npm run package`), checks that the server accepts the
settings object the extension builds, and is skipped when npm is missing.
"""

from __future__ import annotations

import json
import os
import asyncio
import importlib.util
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import pytest_asyncio
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from hasten.server.lsp.settings import CLIENT_ONLY, DEFAULTS, Settings
from tests.editors.server_start import vscode_server_args

CLIENT_DIR = Path(__file__).resolve().parent.parent / "vscode-client"
PREFIX = "hasten."

JSON_TYPES = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}


def _properties() -> dict[str, dict]:
    manifest = json.loads((CLIENT_DIR / "package.json").read_text(encoding="utf-8"))
    return manifest["contributes"]["configuration"]["properties"]


def _server_settings() -> dict[str, dict]:
    return {
        name[len(PREFIX):]: schema
        for name, schema in _properties().items()
        if name.startswith(PREFIX) and name[len(PREFIX):] not in CLIENT_ONLY
    }


def _nested_defaults() -> dict:
    """package.json's server-setting defaults as one nested object, the shape the extension sends."""
    nested: dict = {}
    for name, schema in _server_settings().items():
        *parents, leaf = name.split(".")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = schema["default"]
    return nested


def test_every_server_setting_is_contributed():
    missing = sorted(set(DEFAULTS) - set(_server_settings()))
    assert not missing, (
        "vscode-client/package.json lacks settings the server has: "
        + ", ".join(PREFIX + name for name in missing)
        + " (add them under contributes.configuration.properties)"
    )


def test_no_contributed_setting_is_unknown_to_the_server():
    unknown = sorted(set(_server_settings()) - set(DEFAULTS))
    assert not unknown, (
        "vscode-client/package.json contributes settings the server does not know: "
        + ", ".join(PREFIX + name for name in unknown)
        + " (add them to DEFAULTS in server/lsp/settings.py, or to CLIENT_ONLY if only the extension reads them)"
    )


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_default_matches_server(name):
    schema = _server_settings().get(name)
    if schema is None:
        pytest.fail(f"{PREFIX}{name} is missing from vscode-client/package.json")
    assert "default" in schema, f"{PREFIX}{name} has no default in vscode-client/package.json"
    expected = DEFAULTS[name]
    actual = schema["default"]
    # bool is an int in Python and 1 == 1.0; compare the JSON types too.
    assert (type(actual) is bool) == (type(expected) is bool) and actual == expected, (
        f"{PREFIX}{name}: package.json default {actual!r} differs from the server's {expected!r} "
        "(server/lsp/settings.py DEFAULTS is the source of truth)"
    )
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    assert JSON_TYPES[type(expected)] in types or (type(expected) is int and "integer" in types), (
        f"{PREFIX}{name}: package.json type {schema['type']!r} does not fit the server's default {expected!r}"
    )


# hasten is not on PyPI: `pip install hasten` would fail, or install someone else's package.
_PIP_INSTALL_BY_NAME = re.compile(r"pip install (?:-U |--upgrade )?hasten(?![\w.*/-])")


@pytest.mark.parametrize(
    "path", ["vscode-client/README.md", "vscode-client/src/extension.ts", "docs/editors.md"], ids=lambda p: p
)
def test_install_instructions_do_not_name_an_unpublished_package(path):
    text = (CLIENT_DIR.parent / path).read_text(encoding="utf-8")
    found = _PIP_INSTALL_BY_NAME.findall(text)
    assert not found, f"{path} tells users to `pip install hasten`, which is not published; install from the repository"


def test_manifest_has_no_placeholder_repository():
    manifest = json.loads((CLIENT_DIR / "package.json").read_text(encoding="utf-8"))
    # The project has no public address yet: no made-up URL, and vsce is told not to expect one.
    assert "repository" not in manifest, manifest.get("repository")
    assert "--allow-missing-repository" in manifest["scripts"]["package"]


def test_client_only_settings_are_contributed():
    properties = _properties()
    missing = sorted(PREFIX + name for name in CLIENT_ONLY if PREFIX + name not in properties)
    assert not missing, f"vscode-client/package.json lacks the client settings {', '.join(missing)}"


def _npm(cwd: Path, *args: str, timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    npm = shutil.which("npm")
    assert npm is not None
    env = {**os.environ, "CI": "1", "npm_config_update_notifier": "false", "npm_config_fund": "false", **(env or {})}
    try:
        result = subprocess.run(
            [npm, *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"`npm {' '.join(args)}` in vscode-client/ took more than {timeout:.0f} s:\n{exc.stdout}\n{exc.stderr}")
    assert result.returncode == 0, (
        f"`npm {' '.join(args)}` in vscode-client/ failed with exit status {result.returncode}:\n"
        f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    return result


needs_npm = pytest.mark.skipif(
    shutil.which("npm") is None, reason="npm is not on PATH; the VS Code extension cannot be built"
)


@pytest.fixture(scope="module")
def built_client(tmp_path_factory) -> Path:
    """A private copy of vscode-client/ after `npm ci` and `npm run build`.

    The copy keeps parallel test runs from sharing one node_modules and leaves the work tree alone.
    """
    copy = tmp_path_factory.mktemp("vscode") / "vscode-client"
    shutil.copytree(CLIENT_DIR, copy, ignore=shutil.ignore_patterns("node_modules", "out", "dist", "*.vsix"))
    _npm(copy, "ci", "--no-audit", "--prefer-offline", timeout=600)
    _npm(copy, "run", "build", timeout=300)
    return copy


def _client_settings(client_dir: Path, trusted: bool) -> dict:
    """The settings object the extension sends, built by its own code from package.json's defaults."""
    script = (
        "const config = require('./out/config.js');"
        "const manifest = require('./package.json');"
        "const properties = manifest.contributes.configuration.properties;"
        "const names = config.serverSettingNames(manifest);"
        f"const settings = config.buildServerSettings(names, (n) => properties['hasten.' + n].default, {str(trusted).lower()});"
        "process.stdout.write(JSON.stringify(settings));"
    )
    node = shutil.which("node")
    assert node is not None, "npm is on PATH but node is not"
    result = subprocess.run(
        [node, "-e", script], cwd=client_dir, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@needs_npm
def test_server_accepts_the_settings_the_extension_sends(built_client):
    settings = _client_settings(built_client, trusted=True)
    assert settings == _nested_defaults()
    parsed = Settings.from_raw(settings)
    assert not parsed.problems
    assert parsed.flat() == DEFAULTS

    untrusted = Settings.from_raw(_client_settings(built_client, trusted=False))
    assert not untrusted.problems
    assert untrusted.verify.enable is False


@needs_npm
def test_extension_builds_tests_and_packages(built_client):
    # With HASTEN_TEST_PYTHON the extension's Node tests also drive this Python's real server.
    real_server = {"HASTEN_TEST_PYTHON": sys.executable} if _server_exists() else {}
    tested = _npm(built_client, "test", timeout=300, env=real_server)
    assert "# fail 0" in tested.stdout, tested.stdout[-4000:]
    _npm(built_client, "run", "package", timeout=300)

    version = json.loads((built_client / "package.json").read_text(encoding="utf-8"))["version"]
    vsix = built_client / f"hasten-{version}.vsix"
    assert vsix.is_file(), f"npm run package did not produce {vsix.name} in vscode-client/"

    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
    assert "extension/dist/extension.js" in names, sorted(names)
    assert not any(name.startswith("extension/node_modules/") for name in names), "the .vsix should be bundled"
    assert not any(name.startswith(("extension/src/", "extension/out/")) for name in names), sorted(names)
    assert manifest["contributes"]["configuration"]["properties"] == _properties()


# The extension's side of the protocol, checked against the real server: what the commands and the
# settings middleware rely on. The server's own behaviour is tested in its end-to-end tests.

SLOW_SOURCE = """\
def common(items, others):
    known = list(others)
    found = []
    for item in items:
        if item in known:
            found.append(item)
    return found
"""


def _server_exists() -> bool:
    return importlib.util.find_spec("hasten.server.lsp.server") is not None


@pytest_asyncio.fixture
async def vscode_session(tmp_path):
    """The server started as the extension starts it, with VS Code's capabilities and settings."""
    if not _server_exists():
        pytest.skip("the language server (hasten.server.lsp.server) is not written yet")
    settings = _nested_defaults()
    settings["preview"] = True  # the sample's rule, HS101, is a preview rule
    client = await ClientServerConfig(server_command=[sys.executable, *vscode_server_args()]).start()
    assert isinstance(client, LanguageClient)
    client.set_configuration(settings, section="hasten")
    result = await asyncio.wait_for(
        client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities("visual-studio-code"),
                initialization_options=settings,
                root_uri=tmp_path.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name=tmp_path.name)],
            )
        ),
        timeout=30,
    )
    yield client, result, tmp_path
    await client.shutdown_session()
    await client.stop()


async def test_server_offers_what_the_extension_calls(vscode_session):
    client, result, _ = vscode_session
    actions = result.capabilities.code_action_provider
    kinds = actions.code_action_kinds if isinstance(actions, types.CodeActionOptions) else None
    assert kinds and "source.fixAll.hasten" in kinds, (
        f"hasten: Fix All runs the code action kind source.fixAll.hasten; the server offers {kinds!r}"
    )
    complaints = [m.message for m in client.log_messages + client.messages if "hasten." in m.message]
    assert not [c for c in complaints if "unknown setting" in c or "invalid value" in c], complaints


async def test_server_registers_verify_fix(vscode_session):
    _, result, _ = vscode_session
    provider = result.capabilities.execute_command_provider
    commands = provider.commands if provider else []
    if "hasten.verifyFix" not in commands:
        pytest.xfail(f"the server does not register hasten.verifyFix yet (issue 5); it offers {commands!r}")


async def test_diagnostics_carry_what_verify_fix_at_cursor_needs(vscode_session):
    client, result, workspace = vscode_session
    path = workspace / "slow.py"
    path.write_text(SLOW_SOURCE, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=SLOW_SOURCE)
        )
    )
    if result.capabilities.diagnostic_provider is not None:
        report = await asyncio.wait_for(
            client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            ),
            timeout=30,
        )
        diagnostics = list(report.items)
    else:
        async def pushed():
            while not client.diagnostics.get(uri):
                await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            return client.diagnostics[uri]

        diagnostics = await asyncio.wait_for(pushed(), timeout=30)

    assert diagnostics, "no diagnostics for a list membership test inside a loop"
    assert all(d.source == "hasten" for d in diagnostics), [d.source for d in diagnostics]
    assert all(d.code for d in diagnostics), "every diagnostic needs its rule code"
    assert any(d.data is not None for d in diagnostics), (
        "hasten: Verify Fix at Cursor sends Diagnostic.data to hasten.verifyFix; no diagnostic carries data"
    )
