"""Apply every rule's fixes (safe and unsafe) to real packages and run their own test suites.

    python -m benchmarks.fix_safety                       # every corpus with a suite, every rule
    python -m benchmarks.fix_safety --corpora toolz sqlparse --rules HS311,HS306
    python -m benchmarks.fix_safety --scratch DIR         # keep (and reuse) the downloads in DIR

For each pinned package of ``benchmarks/fix_safety/corpora.py`` that ships a test suite: download
and unpack its sdist into a scratch directory (nothing is committed), run the suite once as a
baseline, then for ONE rule at a time apply all of that rule's fixes, safe and unsafe, to the
package's own files (tests untouched), run the suite again and restore the files. A rule "broke"
the suite when a test that passed in the baseline fails (by test id; by count when the output
names none) and fails again when the same fixed code is run a second time: a test that fails in
only one of the two runs is recorded as flaky, not broken (boltons' socket tests have 10 ms
deadlines that a loaded machine misses now and then). When a rule breaks something and has few
fixes, each fix is applied alone to find the culprit; when none breaks alone, the row says the
fixes interact. Each fixed file is fixed a second time
to check that the fixes reached a fixed point. Results go to ``benchmarks/results/fix_safety.json``.

This runs the packages' own code and tests; it is a benchmark a developer starts on purpose.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.fix_safety.corpora import FRESH, FRESH2, Corpus, fetch, package_files

HERE = Path(__file__).resolve().parent
RESULT = HERE.parent / "results" / "fix_safety.json"
TEST_TIMEOUT = 300
BISECT_MAX = 12

_COUNT = re.compile(r"(\d+) (failed|errors?|passed)")
_UNITTEST = re.compile(r"^(FAILED \((.*)\)|OK\b.*)$", re.M)
_RAN = re.compile(r"^Ran (\d+) tests?", re.M)
# pytest's short summary (``FAILED tests/x.py::test_y - ...``) and unittest's headers
# (``FAIL: test_y (tests.x.Case.test_y)``) name the tests that failed.
_PYTEST_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+::\S+|\S+\.py)", re.M)
_UNITTEST_FAILED = re.compile(r"^(?:FAIL|ERROR): (\S+ \([^)]*\))", re.M)


def failing_tests(out: str) -> list[str]:
    """The ids of the tests a suite's output reports as failed or errored."""
    return sorted(set(_PYTEST_FAILED.findall(out)) | set(_UNITTEST_FAILED.findall(out)))


def test_args(corpus: Corpus, root: Path, changed: list[Path] | None) -> tuple[str, ...]:
    """The suite's command line; with ``module_tests``, only the tests of the changed modules."""
    if not corpus.module_tests or not changed:
        return corpus.tests
    found = sorted({f"{corpus.module_tests}/test_{p.stem}.py" for p in changed
                    if (root / corpus.module_tests / f"test_{p.stem}.py").exists()})
    if not found:
        return corpus.tests
    return corpus.tests[:-1] + tuple(found)


def run_suite(corpus: Corpus, root: Path, timeout: int, changed: list[Path] | None = None, baselines: dict | None = None) -> dict:
    """Run the corpus's tests in ``root``; return passed / bad (failed + errors) counts.

    With ``baselines`` (a cache keyed by command line), the result also carries the baseline of
    the same command line under ``"baseline"``, run on the pristine files first when needed.
    """
    args = test_args(corpus, root, changed)
    baseline = None
    if baselines is not None:
        if args not in baselines:
            saved = {p: p.read_text(encoding="utf-8") for p in changed or []}
            pristine = baselines["__pristine__"]
            try:
                for p in saved:
                    p.write_text(pristine[p], encoding="utf-8")
                baselines[args] = _run(args, root, timeout)
            finally:
                for p, text in saved.items():
                    p.write_text(text, encoding="utf-8")
        baseline = baselines[args]
    result = _run(args, root, timeout)
    result["command"] = " ".join(args)
    if baseline is not None:
        result["baseline"] = baseline
    return result


def _run(args: tuple[str, ...], root: Path, timeout: int) -> dict:
    # A src layout (``src/simpy``) imports from ``src``.
    paths = [str(root)] + ([str(root / "src")] if (root / "src").is_dir() else [])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", *args], cwd=root, env=env, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"passed": 0, "bad": None, "timeout": True, "seconds": timeout, "tail": ""}
    out = proc.stdout + proc.stderr
    seconds = round(time.monotonic() - start, 1)
    if args[0] == "unittest":
        ran = int(m.group(1)) if (m := _RAN.search(out)) else 0
        bad = 0
        for m in _UNITTEST.finditer(out):
            for part in (m.group(2) or "").split(","):
                key, _, value = part.strip().partition("=")
                if key in ("failures", "errors"):
                    bad += int(value)
        if not _UNITTEST.search(out):
            bad = None  # the suite did not finish
        return {"passed": ran - (bad or 0), "bad": bad, "timeout": False, "seconds": seconds, "tail": out[-600:],
                "failing": failing_tests(out)}
    summary = [line for line in out.splitlines() if re.search(r"\d+ (passed|failed|errors?)", line)]
    counts = {"passed": 0, "failed": 0, "error": 0}
    if summary:
        for number, kind in _COUNT.findall(summary[-1]):
            counts["error" if kind.startswith("error") else kind] += int(number)
    bad = counts["failed"] + counts["error"] if summary else None
    return {"passed": counts["passed"], "bad": bad, "timeout": False, "seconds": seconds, "tail": out[-600:],
            "failing": failing_tests(out)}


def new_failures(before: dict, after: dict) -> set[str]:
    """Tests that fail after fixing and did not fail in the baseline (by id, when both runs name them)."""
    return set(after.get("failing") or ()) - set(before.get("failing") or ())


def broke(before: dict, after: dict) -> bool:
    if after["timeout"] or after["bad"] is None:
        return True
    if after["bad"] and after.get("failing") and before.get("failing") is not None:
        return bool(new_failures(before, after))
    return after["bad"] > (before["bad"] or 0) or after["passed"] < before["passed"] - (after["bad"] - (before["bad"] or 0))


def confirmed(before: dict, first: dict, rerun) -> tuple[bool, list[str]]:
    """Whether a run that broke the suite breaks it again: ``rerun()`` runs the same fixed code once
    more. Returns (broke, flaky): a test that failed in only one of the two runs is flaky, not
    broken (timing-dependent tests fail now and then on a loaded machine, fixes or not); a run
    broke only when a test that passed in the baseline fails both times, or the suite did not
    finish either time."""
    if not broke(before, first):
        return False, []
    second = rerun()
    if not broke(before, second):
        return False, sorted(new_failures(before, first)) or ["(suite did not finish once)"]
    if first.get("failing") and second.get("failing"):
        both = new_failures(before, first) & new_failures(before, second)
        flaky = sorted((new_failures(before, first) | new_failures(before, second)) - both)
        return bool(both), flaky
    return True, []


def rule_codes(selected: list[str] | None) -> list[str]:
    from hasten.analyzers.registry import all_rules
    from hasten.analyzers.rule import FixAvailability

    codes = [r.code for r in all_rules() if r.fix_availability is not FixAvailability.NEVER]
    return [c for c in codes if c in selected] if selected else codes


def findings_with_fixes(files: dict[Path, str], code: str) -> dict[Path, list]:
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.source import Source

    config = Config(select=(code,), preview=True, target_version=sys.version_info[:2])
    out = {}
    for path, text in files.items():
        found = [f for f in check(Source(text, str(path)), config).findings if f.code == code and f.fix is not None]
        if found:
            out[path] = found
    return out


def describe(path: Path, root: Path, text: str, finding) -> dict:
    from hasten.analyzers.source import Source

    source = Source(text, str(path))
    line = source.line_of_byte(finding.start)
    return {"file": path.relative_to(root).as_posix(), "line": line + 1,
            "applicability": finding.fix.applicability.value, "title": finding.fix.title,
            "text": source.line_text(line).strip()}


def run_rule(corpus: Corpus, root: Path, files: dict[Path, str], code: str, baselines: dict, timeout: int) -> dict | None:
    from hasten.analyzers.config import Config
    from hasten.analyzers.fixes import apply_edits, fix_text
    from hasten.analyzers.source import Source

    targets = findings_with_fixes(files, code)
    if not targets:
        return None
    config = Config(select=(code,), preview=True, target_version=sys.version_info[:2])
    offered = [describe(p, root, files[p], f) for p, found in targets.items() for f in found]
    applied = {"safe": 0, "unsafe": 0}
    not_idempotent = []
    try:
        for path in targets:
            result = fix_text(files[path], config, path=str(path), unsafe=True, only={code})
            for finding in result.applied:
                applied[finding.fix.applicability.value] += 1
            again = fix_text(result.text, config, path=str(path), unsafe=True, only={code})
            if again.applied:
                not_idempotent.append(path.relative_to(root).as_posix())
            path.write_text(result.text, encoding="utf-8")
        after = run_suite(corpus, root, timeout, list(targets), baselines)
        baseline = after.pop("baseline")
        # A run that broke is run again on the same fixed files: a test that fails only once is
        # flaky (boltons' socket tests use 10 ms deadlines), not broken by the fixes.
        did_break, flaky = confirmed(baseline, after, lambda: run_suite(corpus, root, timeout, list(targets)))
    finally:
        for path in targets:
            path.write_text(files[path], encoding="utf-8")
    row = {"offered": offered, "applied": applied, "not_idempotent": not_idempotent,
           "after": {k: v for k, v in after.items() if k != "tail"}, "broke": did_break}
    if flaky:
        row["flaky"] = flaky
    if after["command"] != baselines["__full__"]:
        row["baseline"] = {k: v for k, v in baseline.items() if k != "tail"}
    if row["broke"]:
        row["after_tail"] = after["tail"]
        culprits = []
        if len(offered) <= BISECT_MAX:
            for path, found in targets.items():
                for finding in found:
                    data = Source(files[path], str(path)).data
                    try:
                        path.write_bytes(apply_edits(data, list(finding.fix.edits)))
                        alone = run_suite(corpus, root, timeout, [path], baselines)
                        baseline = alone.pop("baseline")
                        alone_broke, _ = confirmed(baseline, alone, lambda: run_suite(corpus, root, timeout, [path]))
                    finally:
                        path.write_text(files[path], encoding="utf-8")
                    if alone_broke:
                        culprits.append({**describe(path, root, files[path], finding),
                                         "after": {k: v for k, v in alone.items() if k != "tail"},
                                         "tail": alone["tail"]})
            row["bisected"] = True
            # The fixes break the suite together but none alone: they interact (two edits in one
            # file changing each other's premise); the row keeps the combined run's failures.
            row["interaction"] = not culprits
        else:
            row["bisected"] = False
        row["culprits"] = culprits
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", nargs="*", default=None, help="corpus names (default: every one with a suite)")
    parser.add_argument("--rules", type=lambda s: [c.strip().upper() for c in s.split(",") if c.strip()], default=None)
    parser.add_argument("--scratch", type=Path, default=None, help="download and unpack here (and reuse)")
    parser.add_argument("--timeout", type=int, default=TEST_TIMEOUT, help="seconds per suite run")
    args = parser.parse_args(argv)

    chosen = [c for c in FRESH + FRESH2 if c.tests and (not args.corpora or c.name in args.corpora)]
    codes = rule_codes(args.rules)
    report = {"python": ".".join(map(str, sys.version_info[:3])), "command": "python -m benchmarks.fix_safety",
              "corpora": {}, "rules": {}}
    with tempfile.TemporaryDirectory(prefix="hasten-fixsafety-") as tmp:
        base = args.scratch or Path(tmp)
        for corpus in chosen:
            pristine = fetch(corpus, base)
            root = Path(tmp) / f"work-{corpus.name}"
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(pristine, root, ignore=shutil.ignore_patterns("__pycache__"))
            files = {p: p.read_text(encoding="utf-8") for p in package_files(corpus, root)}
            baselines: dict = {"__pristine__": files}
            baseline = run_suite(corpus, root, args.timeout)
            baselines[corpus.tests] = baseline
            baselines["__full__"] = " ".join(corpus.tests)
            print(f"{corpus.label}: baseline {baseline['passed']} passed, {baseline['bad']} failed ({baseline['seconds']} s)", flush=True)
            entry = {"licence": corpus.licence, "tests": " ".join(("python", "-m", *corpus.tests)),
                     "baseline": {k: v for k, v in baseline.items() if k != "tail"}, "rules": {}}
            if baseline["bad"] is None or baseline["timeout"]:
                entry["skipped"] = "the baseline suite did not finish"
                report["corpora"][corpus.label] = entry
                continue
            for code in codes:
                row = run_rule(corpus, root, files, code, baselines, args.timeout)
                if row is None:
                    continue
                entry["rules"][code] = row
                print(f"  {code}: {row['applied']} applied, broke={row['broke']}"
                      + (f", culprits {[(c['file'], c['line']) for c in row.get('culprits', [])]}" if row["broke"] else ""), flush=True)
            report["corpora"][corpus.label] = entry

    if args.corpora and RESULT.exists():
        # A run on some corpora updates theirs and keeps the others' rows.
        previous = json.loads(RESULT.read_text(encoding="utf-8"))
        report["corpora"] = {**previous.get("corpora", {}), **report["corpora"]}
    for entry in report["corpora"].values():
        for code, row in entry["rules"].items():
            total = report["rules"].setdefault(code, {"safe": 0, "unsafe": 0, "runs": 0, "broken_runs": 0,
                                                      "breaking_fixes": 0, "breaking_safe": 0, "not_idempotent": 0,
                                                      "flaky_runs": 0})
            total["safe"] += row["applied"]["safe"]
            total["unsafe"] += row["applied"]["unsafe"]
            total["runs"] += 1
            total["broken_runs"] += row["broke"]
            total["flaky_runs"] += bool(row.get("flaky"))
            total["not_idempotent"] += len(row["not_idempotent"])
            for culprit in row.get("culprits", []):
                total["breaking_fixes"] += 1
                total["breaking_safe"] += culprit["applicability"] == "safe"
    report["rules"] = dict(sorted(report["rules"].items()))
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{'code':<7} {'safe':>5} {'unsafe':>7} {'runs':>5} {'broken':>7} {'culprits':>9}")
    for code, t in report["rules"].items():
        print(f"{code:<7} {t['safe']:>5} {t['unsafe']:>7} {t['runs']:>5} {t['broken_runs']:>7} {t['breaking_fixes']:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
