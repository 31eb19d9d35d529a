"""Fresh corpora: pinned pure-Python packages the rules were not tuned on.

Each corpus is the package's source distribution from PyPI, downloaded with
``pip download --no-deps --no-binary :all:`` into a scratch directory and unpacked there; nothing
is committed. The sdists ship their own test suites, which ``benchmarks.fix_safety`` runs before
and after applying fixes; ``benchmarks/precision.py --fresh`` samples findings from the package
code (tests excluded).
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Corpus:
    name: str  # the PyPI name
    version: str
    licence: str
    package: str  # the import package's directory inside the unpacked sdist
    tests: tuple[str, ...]  # arguments after ``python -m``, run in the sdist's directory
    test_dirs: tuple[str, ...] = ()  # directories inside ``package`` that hold tests (not scanned)
    precision: bool = True  # part of the fresh precision sample (False: fix safety only)
    # When set, a run after fixing runs only ``<module_tests>/test_<module>.py`` of the fixed
    # modules (the whole suite when none exists): for suites too slow to run once per rule.
    module_tests: str | None = None
    # A directory of benchmarks/fix_safety/ holding team-written code and tests instead of a
    # download (the known breaking shapes).
    local: str | None = None

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def label(self) -> str:
        whole = self.package == self.name
        return f"{self.name} {self.version}" + ("" if whole else f" ({self.package})")


PYTEST = ("pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")

# Used neither to write nor to tune any rule (the tuned corpus is the stdlib plus the packages in
# benchmarks/precision.py's PACKAGES; earlier spot checks used an algorithms collection, a graph
# library and an itertools library).
FRESH = (
    Corpus("toolz", "1.0.0", "BSD-3-Clause", "toolz", PYTEST + ("toolz",), ("tests",)),
    Corpus("sqlparse", "0.5.3", "BSD-3-Clause", "sqlparse", PYTEST + ("tests",)),
    Corpus("boltons", "25.0.0", "BSD-3-Clause", "boltons",
           PYTEST + ("-W", "ignore::pytest.PytestRemovedIn9Warning", "tests")),
    Corpus("markdown", "3.7", "BSD-3-Clause", "markdown", ("unittest", "discover", "-q", "tests")),
    Corpus("pyflakes", "3.2.0", "MIT", "pyflakes", PYTEST + ("pyflakes/test",), ("test",)),
    Corpus("tabulate", "0.9.0", "MIT", "tabulate", PYTEST + ("test",)),
    # The files of mpmath's suite that exercise the modules its fixes touch (the whole suite takes
    # minutes on a loaded machine).
    Corpus("mpmath", "1.3.0", "BSD-3-Clause", "mpmath",
           PYTEST + tuple(f"mpmath/tests/test_{m}.py" for m in ("gammazeta", "functions2", "quad", "linalg", "bitwise")),
           ("tests",)),
    # Precision only: openpyxl's sdist ships no tests, nltk's need downloaded corpora.
    Corpus("openpyxl", "3.1.5", "MIT", "openpyxl", ()),
    Corpus("nltk", "3.9.1", "Apache-2.0", "nltk", (), ("test",)),
    # Fix safety only (added after the precision sample was drawn and judged): code where the
    # preview rules' unsafe fixes fire often, with a suite that runs in under two minutes.
    Corpus("pycparser", "2.22", "BSD-3-Clause", "pycparser", PYTEST + ("tests",), precision=False),
    Corpus("sympy", "1.13.3", "BSD-3-Clause", "sympy/combinatorics", PYTEST + ("sympy/combinatorics",),
           ("tests",), precision=False, module_tests="sympy/combinatorics/tests"),
    # Team-written: the shapes on which fixes once broke real code (issue 18), with tests that
    # catch each breakage, so that "0 broken" is not vacuous.
    Corpus("known-breaking", "team", "project", "shapes", PYTEST + ("tests",), precision=False,
           local="known_breaking"),
)


def fetch(corpus: Corpus, scratch: Path) -> Path:
    """Download and unpack the corpus's sdist under ``scratch``; return the unpacked directory.

    Reuses an earlier download in the same scratch directory. A team-written corpus is used in
    place (the benchmark works on a copy).
    """
    if corpus.local:
        return Path(__file__).resolve().parent / corpus.local
    scratch.mkdir(parents=True, exist_ok=True)
    existing = [p for p in scratch.iterdir() if p.is_dir() and p.name.lower() == f"{corpus.name}-{corpus.version}".lower()]
    if existing:
        return existing[0]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         "--dest", str(scratch), corpus.spec],
        check=True,
    )
    archives = [p for p in scratch.iterdir() if p.name.lower().startswith(f"{corpus.name}-{corpus.version}".lower())
                and p.name.endswith((".tar.gz", ".zip"))]
    if not archives:
        raise RuntimeError(f"pip downloaded no sdist for {corpus.spec}")
    with tarfile.open(archives[0]) as archive:
        archive.extractall(scratch, filter="data")
    return fetch(corpus, scratch)


def package_files(corpus: Corpus, root: Path) -> list[Path]:
    """The package's own Python files, tests excluded."""
    base = root / corpus.package
    skip = set(corpus.test_dirs) | {"__pycache__"}
    return sorted(p for p in base.rglob("*.py") if not (set(p.relative_to(base).parts[:-1]) & skip))
