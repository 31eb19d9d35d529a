"""The command line never loses a byte of a user's file and never crashes on hostile input.

Regression tests for the adversarial review's data-loss and robustness items: each one failed on
the code before the fix. Most run the real entry point (``hasten.server.cli.main``) in process, so
that a write can be made to fail; the rest run ``python -m hasten`` as a subprocess.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap

import pytest

from hasten.server.cli import main

SLOW = textwrap.dedent(
    """\
    def known(events, users):
        names = [u.name for u in users]
        out = []
        for e in events:
            if e.user in names:
                out.append(e)
        return out
    """
)


def hasten(*args, input=None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "hasten", *args], input=input, capture_output=True, cwd=cwd, timeout=120
    )


def fix(*paths, extra=()):
    return main(["check", "--fix", "--unsafe-fixes", "--select", "HS101", "--no-cache", "-q", *extra, *map(str, paths)])


# -- 3. atomic writes ----------------------------------------------------------------------------


def test_fix_that_fails_to_write_leaves_the_file_intact(tmp_path, monkeypatch, capsys):
    target = tmp_path / "slow.py"
    target.write_text(SLOW)
    target.chmod(0o640)

    def disk_full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    assert fix(target) == 2
    assert target.read_text() == SLOW
    assert "No space left on device" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slow.py"]  # no temporary file left


def test_fix_keeps_the_mode_and_replaces_by_rename(tmp_path):
    target = tmp_path / "slow.py"
    target.write_text(SLOW)
    target.chmod(0o751)
    before = target.stat().st_ino
    assert fix(target) == 0
    assert "names_set = set(names)" in target.read_text()
    assert oct(target.stat().st_mode & 0o777) == oct(0o751)
    assert target.stat().st_ino != before  # a new file renamed over the old one, not a truncation
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slow.py"]


def test_fix_leaves_a_read_only_file_alone(tmp_path, capsys):
    target = tmp_path / "slow.py"
    target.write_text(SLOW)
    target.chmod(0o444)  # (also for root, who could write it)
    assert fix(target) == 2
    assert target.read_text() == SLOW and "read-only" in capsys.readouterr().err


# -- 4. lost updates -----------------------------------------------------------------------------


def test_fix_skips_a_file_changed_since_it_was_read(tmp_path, monkeypatch, capsys):
    import hasten.server.cli.commands.check as check_command

    target = tmp_path / "slow.py"
    target.write_text(SLOW)
    edited = SLOW + "\n# saved meanwhile in the editor\n"
    real_fix_text = check_command.fix_text

    def fix_then_user_saves(*args, **kwargs):
        result = real_fix_text(*args, **kwargs)
        target.write_text(edited)
        return result

    monkeypatch.setattr(check_command, "fix_text", fix_then_user_saves)
    assert fix(target) == 2
    assert target.read_text() == edited
    assert "changed since it was read" in capsys.readouterr().err


# -- 5, 6. the file's own encoding ----------------------------------------------------------------


def test_fix_writes_a_latin1_file_back_in_latin1(tmp_path):
    target = tmp_path / "slow.py"
    original = ("# -*- coding: latin-1 -*-\n# café\n" + SLOW).encode("latin-1")
    target.write_bytes(original)
    assert fix(target) == 0
    data = target.read_bytes()
    assert data != original
    assert data.startswith(b"# -*- coding: latin-1 -*-\n# caf\xe9\n")
    assert data.decode("latin-1").count("café") == 1


def test_fix_keeps_a_utf8_bom(tmp_path):
    target = tmp_path / "slow.py"
    target.write_bytes(b"\xef\xbb\xbf" + SLOW.encode())
    assert fix(target) == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdef known") and data != b"\xef\xbb\xbf" + SLOW.encode()


def test_writer_refuses_text_the_encoding_cannot_hold(tmp_path):
    from hasten.server.cli.files import WriteRefused, write_user_file

    target = tmp_path / "m.py"
    original = "# coding: latin-1\nx = 'é'\n"
    target.write_bytes(original.encode("latin-1"))
    with pytest.raises(WriteRefused, match="iso-8859-1"):
        write_user_file(target, original, original + "y = '€'\n")
    assert target.read_bytes() == original.encode("latin-1")


def test_verification_copies_are_written_in_the_files_encoding(tmp_path):
    from hasten.analyzers.source import decode_source
    from hasten.server.verify import core

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    target = tmp_path / "m.py"
    text = "# coding: latin-1\nNAME = 'é'\n"
    target.write_bytes(text.encode("latin-1"))
    session = core._Session(tmp_path, core.VerifyConfig(), None)
    copy = session.copy("old", {"m.py": text + "X = 1\n"})
    data = (copy / "m.py").read_bytes()
    assert data == (text + "X = 1\n").encode("latin-1")
    assert decode_source(data) == text + "X = 1\n"


# -- 17. links out of the tree ---------------------------------------------------------------------


def test_fix_does_not_write_through_a_link_out_of_the_tree(tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.py"
    victim.write_text(SLOW)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "link.py").symlink_to(victim)
    assert fix(tree) == 2
    assert victim.read_text() == SLOW
    assert (tree / "link.py").is_symlink()
    assert "outside" in capsys.readouterr().err


def test_fix_follows_a_link_inside_the_tree_and_keeps_it_a_link(tmp_path):
    (tmp_path / "real.py").write_text(SLOW)
    (tmp_path / "alias.py").symlink_to("real.py")
    assert fix(tmp_path / "alias.py") == 0
    assert (tmp_path / "alias.py").is_symlink()
    assert (tmp_path / "real.py").read_text() != SLOW


# -- 18. lone CR line endings ----------------------------------------------------------------------


def test_lone_cr_file_is_analyzed_like_its_lf_twin(tmp_path):
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.source import Source

    cr = Source(SLOW.replace("\n", "\r"), "m.py")
    lf = Source(SLOW, "m.py")
    assert not cr.has_syntax_errors
    found_cr = [(f.code, cr.byte_to_cli(f.start)) for f in check(cr, Config(select=("HS101",))).findings]
    found_lf = [(f.code, lf.byte_to_cli(f.start)) for f in check(lf, Config(select=("HS101",))).findings]
    assert found_cr == found_lf and found_cr
    target = tmp_path / "cr.py"
    target.write_bytes(SLOW.replace("\n", "\r").encode())
    result = hasten("check", "--select", "HS101", "--no-cache", str(target))
    assert result.returncode == 1 and b"HS" in result.stdout and b"syntax" not in result.stdout.lower()


# -- 14. messages instead of tracebacks (exit 2) ------------------------------------------------


UTF8_ENV = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONUTF8": "0", "PYTHONIOENCODING": "utf-8"}


def _no_traceback(result):
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")


def test_non_utf8_standard_input_is_a_message():
    result = subprocess.run(
        [sys.executable, "-m", "hasten", "check", "-"], input=b"x = '\xe9'\n", capture_output=True, env=UTF8_ENV, timeout=120
    )
    _no_traceback(result)
    assert result.returncode == 2 and b"standard input: cannot decode" in result.stderr


def test_non_utf8_pyproject_is_a_message(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.hasten]\n# caf\xe9\npreview = true\n")
    (tmp_path / "m.py").write_text("x = 1\n")
    result = hasten("check", "--no-cache", str(tmp_path), cwd=tmp_path)
    _no_traceback(result)
    assert b"not UTF-8" in result.stderr and result.returncode == 0
    # The file, what is wrong and where, and what happens.
    assert f"{tmp_path / 'pyproject.toml'}: cannot read the file: it is not UTF-8 (byte 0xE9 at line 2, column 6)".encode() in result.stderr
    assert b"using defaults" in result.stderr


def test_symlink_loop_named_as_the_path_is_a_message(tmp_path):
    (tmp_path / "loop").symlink_to("loop")
    result = hasten("check", "--no-cache", "loop", cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 2 and b"loop: a symbolic link that leads nowhere" in result.stderr


def test_infinite_timeout_and_unbalanced_test_command_are_rejected(tmp_path):
    from hasten.analyzers.config import config_from_table
    from hasten.analyzers.config import VerifyConfig
    from hasten.server.verify import core

    cfg, messages = config_from_table({"verify": {"timeout": float("inf"), "test-command": 'pytest "-x'}}, "p")
    assert cfg.verify.timeout == VerifyConfig().timeout and cfg.verify.test_command == "pytest"
    assert {m.key for m in messages} == {"verify.timeout", "verify.test-command"}
    cfg, messages = config_from_table({"verify": {"timeout": float("nan")}}, "p")
    assert cfg.verify.timeout == VerifyConfig().timeout and messages
    # the same values arriving from elsewhere (editor settings) give a verdict, not a traceback
    target = tmp_path / "m.py"
    target.write_text(SLOW)
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.source import Source

    finding = check(Source(SLOW, str(target)), Config(select=("HS101",))).findings[0]
    for verify in (VerifyConfig(test_command='pytest "-x'), VerifyConfig(timeout=float("inf"))):
        verdict = core.verify_fix(target, finding.fix, config=Config(verify=verify))
        assert verdict.kind == core.CANNOT_VERIFY
    result = hasten("verify", "--timeout", "inf", str(target))
    _no_traceback(result)
    assert result.returncode == 2 and b"positive number of seconds" in result.stderr


# -- 15. unknown codes in the project's selection --------------------------------------------------


def test_unknown_codes_in_pyproject_select_are_reported_and_do_not_turn_rules_off(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.hasten]\nselect = ["NOPE1", "HS101"]\n')
    (tmp_path / "m.py").write_text(SLOW)
    result = hasten("check", "--no-cache", str(tmp_path / "m.py"), cwd=tmp_path)
    assert b"unknown rule selector 'NOPE1'" in result.stderr
    assert result.returncode == 1 and b"HS101" in result.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.hasten]\nselect = ["NOPE1"]\nextend-select = ["HS101"]\n')
    result = hasten("check", "--no-cache", str(tmp_path / "m.py"), cwd=tmp_path)
    assert b"unknown rule selector 'NOPE1'" in result.stderr and b"default selection" in result.stderr
    assert result.returncode == 1 and b"HS101" in result.stdout


# -- 16. the cache: keyed by every setting, validated, never through a link -------------------------


@pytest.fixture
def cached_project(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.hasten]\nselect = ["HS101"]\n')
    (project / "m.py").write_text(SLOW)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    return project, env


def _check(project, env):
    return subprocess.run([sys.executable, "-m", "hasten", "check", "-v", "m.py"], cwd=project, env=env, capture_output=True, timeout=120)


def test_cache_key_covers_the_model_settings():
    from hasten.analyzers.config import Config, ModelConfig
    from hasten.server.cli.cache import config_key

    keys = {config_key(Config(model=m), "m.py") for m in (ModelConfig(), ModelConfig(enable=False), ModelConfig(threshold=0.5))}
    assert len(keys) == 3
    assert config_key(Config(root="/a", exclude=("x",)), "m.py") == config_key(Config(), "m.py")


def test_cache_entries_written_by_someone_else_are_ignored(cached_project):
    project, env = cached_project
    first = _check(project, env)
    assert first.returncode == 1 and b"HS101" in first.stdout
    entries = [p for p in (project / ".hasten_cache").rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert entries
    assert b"(1 from cache)" in _check(project, env).stderr
    for entry in entries:  # a committed "no findings" entry, in the old unsigned format and signed with a guess
        entry.write_text(json.dumps({"findings": [], "notes": []}))
    forged = _check(project, env)
    assert forged.returncode == 1 and b"HS101" in forged.stdout and b"(0 from cache)" in forged.stderr


def test_cache_validation_rejects_garbage_and_control_characters():
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.source import Source
    from hasten.server.cli.cache import _valid

    finding = check(Source(SLOW), Config(select=("HS101",))).findings[0].to_json()
    assert _valid({"findings": [finding], "notes": []}, SLOW)
    bad = [
        {"findings": [{**finding, "message": "\x1b[2J\x1b[Hall clear"}], "notes": []},
        {"findings": [finding], "notes": ["\x1b]0;title\x07"]},
        {"findings": [{**finding, "code": "XX1"}], "notes": []},
        {"findings": [{**finding, "end": 10**9}], "notes": []},
        {"findings": [{**finding, "start": "0"}], "notes": []},
        {"findings": [{**finding, "message": 3}], "notes": []},
        {"findings": "none", "notes": []},
        [],
    ]
    for data in bad:
        assert _valid(data, SLOW) is None, data


def test_text_output_escapes_control_characters(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.hasten]\nselect = ["HS101"]\n')
    (tmp_path / "m.py").write_text(SLOW.replace("in names:", "in names:  # \x1b[2J\x1b[H"))
    result = hasten("check", "--no-cache", "m.py", cwd=tmp_path)
    assert b"\x1b" not in result.stdout and b"\\x1b[2J" in result.stdout


def test_a_linked_cache_folder_is_not_used(cached_project, tmp_path):
    project, env = cached_project
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".hasten_cache").symlink_to(elsewhere)
    assert _check(project, env).returncode == 1
    assert b"(0 from cache)" in _check(project, env).stderr
    assert list(elsewhere.iterdir()) == []


# -- 2. what runs project code needs the user's consent ----------------------------------------------


def test_a_project_file_cannot_turn_on_verify_on_save(tmp_path):
    from hasten.analyzers.config import USER_ONLY_KEYS, load_config

    (tmp_path / "pyproject.toml").write_text('[tool.hasten.verify]\non-save = true\ntest-command = "pytest -x"\n')
    (tmp_path / "m.py").write_text("x = 1\n")
    config, messages = load_config(tmp_path / "m.py")
    assert "verify.on-save" in USER_ONLY_KEYS
    assert config.verify.on_save is False
    assert [m.key for m in messages] == ["verify.on-save"]
    assert "hasten.verify.onSave" in str(messages[0])
    result = hasten("check", "--no-cache", "m.py", cwd=tmp_path)
    assert result.returncode == 0 and b"verify.on-save: ignored" in result.stderr


def test_setting_origins_name_the_file_or_the_front_end(tmp_path):
    from hasten.analyzers.config import Overrides, config_from_table, resolve_config, setting_origins

    project, _ = config_from_table({"select": ["HS101"], "verify": {"test-command": "pytest -x", "interpreter": "/bin/py"}}, "/p/pyproject.toml")
    config = resolve_config(project, Overrides(verify=(("timeout", 5.0), ("interpreter", "/usr/bin/python3")), origin="editor settings"))
    assert setting_origins(config) == {
        "select": "/p/pyproject.toml",
        "verify.test-command": "/p/pyproject.toml",
        "verify.interpreter": "editor settings",
        "verify.timeout": "editor settings",
    }


def test_the_command_line_shows_what_verification_runs_and_from_where(tmp_path, capsys):
    from hasten.analyzers.config import load_config
    from hasten.server.cli.verified import announce_test_run

    (tmp_path / "pyproject.toml").write_text('[tool.hasten.verify]\ntest-command = "pytest -x --tb=line"\n')
    (tmp_path / "m.py").write_text("x = 1\n")
    config, _ = load_config(tmp_path / "m.py")
    shown: set[str] = set()
    announce_test_run(str(tmp_path / "m.py"), config, shown)
    announce_test_run(str(tmp_path / "m.py"), config, shown)
    err = capsys.readouterr().err
    assert err.count("hasten: running the tests in") == 1
    assert "-m pytest -x --tb=line" in err and f"test command from {tmp_path / 'pyproject.toml'}" in err


def test_a_link_inside_the_cache_folder_is_not_followed(cached_project, tmp_path):
    from hasten import __version__

    project, env = cached_project
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".hasten_cache").mkdir()
    (project / ".hasten_cache" / __version__).symlink_to(elsewhere)
    assert _check(project, env).returncode == 1
    assert b"(0 from cache)" in _check(project, env).stderr
    assert list(elsewhere.iterdir()) == []



# -- 5. --verified-only writes through the same writer ------------------------------------------------


def test_verified_only_writes_latin1_back_in_latin1_and_skips_a_changed_file(tmp_path, monkeypatch, capsys):
    import hasten.server.cli.verified as verified
    from hasten.server.verify.batch import VerifiedFix, verifiable
    from hasten.server.verify.core import VERIFIED_FASTER, Verdict

    def all_verified(path, findings, config, accept, **kwargs):  # stands in for the test runs
        return [VerifiedFix(f, Verdict(VERIFIED_FASTER, "2.0× faster"), True) for f in verifiable(findings)]

    monkeypatch.setattr(verified, "verified_fixes", all_verified)
    target = tmp_path / "slow.py"
    original = ("# -*- coding: latin-1 -*-\n# café\n" + SLOW).encode("latin-1")
    target.write_bytes(original)
    args = ["check", "--fix", "--verified-only", "--select", "HS101", "-q", str(target)]
    assert main(args) == 0
    data = target.read_bytes()
    assert data.startswith(b"# -*- coding: latin-1 -*-\n# caf\xe9\n") and b"names_set = set(names)" in data

    target.write_bytes(original)

    def verified_then_user_saves(*a, **kw):
        result = all_verified(*a, **kw)
        target.write_bytes(original + b"# saved meanwhile\n")
        return result

    monkeypatch.setattr(verified, "verified_fixes", verified_then_user_saves)
    capsys.readouterr()
    assert main(args) == 2
    assert target.read_bytes() == original + b"# saved meanwhile\n"
    assert "changed since it was read" in capsys.readouterr().err
