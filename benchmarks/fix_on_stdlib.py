"""Apply rules' safe fixes to parts of the standard library and run the stdlib's own tests on them.

    python benchmarks/fix_on_stdlib.py HS301 HS103 --tests test_optparse test_email

Copies the chosen modules and packages into a scratch directory, applies the rules' *safe* fixes
there (``fix_text(..., unsafe=False)``), puts the directory first on ``PYTHONPATH`` and runs
``python -m test`` on the given test modules. The fixed files are listed; nothing in the
repository or the interpreter changes. A failing test means a "safe" fix changed behaviour.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

DEFAULT_MODULES = ("optparse", "pstats", "cgi", "gettext", "email", "urllib", "xmlrpc")
DEFAULT_TESTS = ("test_optparse", "test_pstats", "test_cgi", "test_gettext", "test_email", "test_robotparser", "test_xmlrpc")


def main(argv: list[str] | None = None) -> int:
    from hasten.analyzers.config import Config
    from hasten.analyzers.fixes import fix_text
    from hasten.analyzers.registry import all_rules

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("codes", nargs="*", help="rule codes (default: every rule)")
    parser.add_argument("--modules", nargs="*", default=list(DEFAULT_MODULES), help="stdlib modules or packages to fix")
    parser.add_argument("--tests", nargs="*", default=list(DEFAULT_TESTS), help="stdlib test modules to run")
    args = parser.parse_args(argv)

    codes = tuple(args.codes) or tuple(r.code for r in all_rules())
    config = Config(select=codes, preview=True, target_version=sys.version_info[:2])
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    with tempfile.TemporaryDirectory(prefix="hasten-stdlib-") as tmp:
        scratch = Path(tmp)
        for name in args.modules:
            if (stdlib / name).is_dir():
                shutil.copytree(stdlib / name, scratch / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(stdlib / f"{name}.py", scratch / f"{name}.py")
        fixed = 0
        for path in sorted(scratch.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            result = fix_text(text, config, path=str(path), unsafe=False)
            if result.applied:
                path.write_text(result.text, encoding="utf-8")
                fixed += 1
                print(f"fixed {path.relative_to(scratch)}: {', '.join(sorted(f.code for f in result.applied))}")
        print(f"{fixed} files fixed; running the stdlib tests on them")
        env = {**os.environ, "PYTHONPATH": str(scratch) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        return subprocess.run([sys.executable, "-m", "test", *args.tests], env=env).returncode


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
