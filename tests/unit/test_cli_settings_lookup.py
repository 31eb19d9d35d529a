"""The CLI looks a project's settings up once per directory: the same answer as ``load_config``
for every file, nested projects and links included, and nothing kept from one run to the next."""

from __future__ import annotations

import os

import pytest

from hasten.analyzers.config import load_config
from hasten.server.cli.selection import forget_project_configs, project_config


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.hasten]\nselect = ["HS1"]\n[tool.ruff]\nline-length = 100\n')
    for folder in ("a/b/c", "a/inner/deep", "a/lengths/sub", "plain"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "a" / "inner" / "pyproject.toml").write_text('[tool.hasten]\nselect = ["HS2"]\n')
    (tmp_path / "a" / "lengths" / "ruff.toml").write_text("line-length = 72\n")
    (tmp_path / "a" / "lengths" / ".ruff.toml").write_text("[lint]\n")
    (tmp_path / "plain" / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.hasten]
    files = []
    for folder in ("", "a", "a/b/c", "a/inner", "a/inner/deep", "a/lengths", "a/lengths/sub", "plain"):
        path = tmp_path / folder / "m.py"
        path.write_text("x = 1\n")
        files.append(path)
    if hasattr(os, "symlink"):
        try:
            os.symlink(tmp_path / "a" / "inner", tmp_path / "a" / "b" / "linked")
            os.symlink(tmp_path / "a" / "inner" / "m.py", tmp_path / "a" / "b" / "c" / "link.py")
        except OSError:
            pass
        else:
            files += [tmp_path / "a" / "b" / "linked" / "m.py", tmp_path / "a" / "b" / "c" / "link.py"]
    files.append(tmp_path / "a" / "b" / ".." / "inner" / "m.py")
    return tmp_path, files


def test_each_file_gets_what_load_config_gives(tree):
    root, files = tree
    forget_project_configs()
    for path in files + [root / "a" / "inner", root / "a" / "lengths" / "sub", root / "missing.py"]:
        assert project_config(str(path), None) == load_config(str(path)), path
    # In any order, and a second time from the memo.
    for path in reversed(files):
        assert project_config(str(path), None) == load_config(str(path)), path
    selects = {p.relative_to(root).as_posix(): project_config(str(p), None)[0].select for p in files}
    assert selects["a/inner/deep/m.py"] == ("HS2",) and selects["a/b/c/m.py"] == ("HS1",)
    assert project_config(str(root / "a" / "lengths" / "sub" / "m.py"), None)[0].line_length == 72


def test_relative_paths_climbing_out_of_the_working_directory(tree, monkeypatch):
    root, _ = tree
    monkeypatch.chdir(root / "a" / "b" / "c")
    forget_project_configs()
    for path in ("m.py", "../../inner/m.py", "../../../m.py", "../linked/../c/m.py", "..", "../../lengths/sub/m.py"):
        assert project_config(path, None) == load_config(path), path


def test_a_new_run_sees_changed_settings(tree):
    root, _ = tree
    path = str(root / "a" / "b" / "c" / "m.py")
    forget_project_configs()
    assert project_config(path, None)[0].select == ("HS1",)
    (root / "a" / "b" / "pyproject.toml").write_text('[tool.hasten]\nselect = ["HS3"]\n')
    forget_project_configs()
    assert project_config(path, None)[0].select == ("HS3",)
    assert project_config(path, None) == load_config(path)
