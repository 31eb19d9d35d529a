import os
import sys

# `python -m hasten` puts the working directory first on sys.path: a project's own `ast.py` or
# `shlex.py` would replace the standard module. hasten never imports from the project.
try:
    _cwd = os.path.realpath(os.getcwd())
except OSError:  # the folder was removed
    _cwd = None
sys.path[:] = [p for p in sys.path if p not in ("", ".") and (_cwd is None or os.path.realpath(p) != _cwd)]

from hasten.server.cli import main  # noqa: E402

raise SystemExit(main())
