"""Fresh corpora: pinned pure-Python packages the rules were not tuned on.

Each corpus is the package's source distribution from PyPI, downloaded with
``pip download --no-deps --no-binary :all:`` into a scratch directory and unpacked there; nothing
is committed. The sdists ship their own test suites, which ``benchmarks.fix_safety`` runs before
and after applying fixes; ``benchmarks/precision.py --fresh`` samples findings from the package
code (tests excluded).
"""

from __future__ import annotations

import re
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
    # For the second fresh set: "tuning" (guards may be read from it) or "held-out" (judged once,
    # after the rules were frozen).
    half: str | None = None

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

# The second fresh set (issue 18, second round): twenty pinned packages none of the earlier corpora,
# the tuned corpus or the other fresh sets contain, split at random (``random.Random(
# "20261201-fresh2-split").shuffle`` of the sorted names, first ten for tuning) BEFORE anything was
# scanned. Guards may come from the tuning half; the held-out half was sampled and judged once,
# with the rules frozen. ``benchmarks/precision.py --corpus fresh2-tuning`` / ``fresh2-held-out``.
_T, _H = "tuning", "held-out"
FRESH2 = (
    Corpus("babel", "2.19.0", "BSD-3-Clause", "babel", (), half=_T),
    Corpus("chess", "1.11.2", "GPL-3.0-or-later", "chess", (), half=_T),
    Corpus("lark", "1.3.1", "MIT", "lark", (), half=_T),
    Corpus("music21", "10.5.1", "BSD-3-Clause", "music21", (), ("test",), half=_T),
    Corpus("pdfminer.six", "20260107", "MIT", "pdfminer", (), half=_T),
    Corpus("pvlib", "0.16.1", "BSD-3-Clause", "pvlib", (), ("tests",), half=_T),
    Corpus("pylint", "4.1.4", "GPL-2.0-or-later", "pylint", (), ("testutils",), half=_T),
    Corpus("pypdf", "7.1.1", "BSD-3-Clause", "pypdf", (), half=_T),
    Corpus("python-dateutil", "4.0.0", "Apache-2.0 OR BSD-3-Clause", "src/dateutil", (), half=_T),
    Corpus("sphinx", "9.0.4", "BSD-2-Clause", "sphinx", (), ("testing",), half=_T),
    Corpus("astroid", "4.3.4", "LGPL-2.1-or-later", "astroid", (), half=_H),
    Corpus("fonttools", "4.68.0", "MIT", "Lib/fontTools", (), half=_H),
    Corpus("mizani", "0.14.6", "BSD-3-Clause", "mizani", (), half=_H),
    Corpus("pingouin", "0.7.0", "GPL-3.0-only", "src/pingouin", (), half=_H),
    Corpus("pint", "0.25.3", "BSD-3-Clause", "pint", (), ("testsuite",), half=_H),
    # Its diagram tests need the optional railroad-diagrams package.
    Corpus("pyparsing", "3.3.3", "MIT", "pyparsing", PYTEST + ("--ignore=tests/test_diagram.py", "tests"), half=_H),
    Corpus("rdflib", "7.6.0", "BSD-3-Clause", "rdflib", (), half=_H),
    Corpus("reportlab", "5.1.0", "BSD-3-Clause", "src/reportlab", (), half=_H),
    Corpus("simpy", "4.1.2", "MIT", "src/simpy", PYTEST + ("tests",), half=_H),
    Corpus("ta", "0.11.0", "MIT", "ta", (), ("tests",), half=_H),
    # Added to the held-out half before its findings were read: the ten above gave 26 findings
    # with the frozen rules, short of the 60 to judge.
    Corpus("ase", "3.29.0", "LGPL-2.1-or-later", "ase", (), ("test",), half=_H),
    Corpus("biopython", "1.88", "Biopython License Agreement (BSD-like)", "Bio", (), ("Tests",), half=_H),
    Corpus("deap", "1.4.4", "LGPL-3.0", "deap", (), ("tests",), half=_H),
    Corpus("dendropy", "5.1.3", "BSD-3-Clause", "src/dendropy", (), ("test",), half=_H),
    Corpus("ete3", "3.1.3", "GPL-3.0", "ete3", (), ("test",), half=_H),
    Corpus("geopandas", "1.2.0", "BSD-3-Clause", "geopandas", (), ("tests",), half=_H),
    Corpus("mesa", "3.3.1", "Apache-2.0", "mesa", (), ("tests",), half=_H),
    Corpus("pgmpy", "1.1.2", "MIT", "pgmpy", (), ("tests",), half=_H),
    Corpus("pulp", "3.3.2", "MIT", "pulp", (), ("tests",), half=_H),
    Corpus("pydicom", "3.0.2", "MIT", "src/pydicom", (), ("tests",), half=_H),
    Corpus("xarray", "2026.9.0", "Apache-2.0", "xarray", (), ("tests",), half=_H),
)


def _normalised(name: str) -> str:
    """An sdist's file or directory name compared loosely: ``python_dateutil-4.0.0`` matches
    ``python-dateutil`` 4.0.0, ``pdfminer_six`` matches ``pdfminer.six``."""
    return re.sub(r"[-_.]+", "-", name.lower())


def fetch(corpus: Corpus, scratch: Path) -> Path:
    """Download and unpack the corpus's sdist under ``scratch``; return the unpacked directory.

    Reuses an earlier download in the same scratch directory. A team-written corpus is used in
    place (the benchmark works on a copy).
    """
    if corpus.local:
        return Path(__file__).resolve().parent / corpus.local
    scratch.mkdir(parents=True, exist_ok=True)
    stem = _normalised(f"{corpus.name}-{corpus.version}")
    existing = [p for p in scratch.iterdir() if p.is_dir() and _normalised(p.name) == stem]
    if existing:
        return existing[0]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         "--dest", str(scratch), corpus.spec],
        check=True,
    )
    archives = [p for p in scratch.iterdir() if p.name.endswith(".tar.gz")
                and _normalised(p.name.removesuffix(".tar.gz")) == stem]
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
