"""Verify one fix: select the tests that reach the changed function, run them on the original and
the rewritten code in isolated copies, replay the function's recorded calls on both versions,
time them, and return a verdict with its evidence.

Usable without LSP: ``verify_fix(path, fix)`` is all a front end needs. ``progress`` receives
(stage, message, percent) and ``cancel`` (a threading.Event) stops the work promptly, killing
every process the run started.
"""

from __future__ import annotations

import math
import os
import threading
import time
from pathlib import Path

from hasten.analyzers.config import Config, VerifyConfig, command_line_parses, load_config
from hasten.analyzers.finding import Fix
from hasten.analyzers.fixes import apply_edits
from hasten.analyzers.source import Source, decode_source, encode_like
from hasten.server.verify import stats
from hasten.server.verify.measure import SCALE_FACTORS, _replay, _time_tests
from hasten.server.verify.project import find_project_root
from hasten.server.verify.selection import _failing, _ran, _select_tests
from hasten.server.verify.session import Progress, _Session, project_interpreter, test_command
from hasten.server.verify.target import Target, target_of
from hasten.server.verify.verdict import (
    BEHAVIOUR_CHANGED,
    CANNOT_VERIFY,
    EQUIVALENT,
    INCONCLUSIVE,
    SLOWER,
    TEST_SIZES,
    VERDICTS,
    VERIFIED_FASTER,
    Verdict,
    _estimated_growth,
    _pass,
    _plural,
    _ratio,
    _scale_outcome,
    _scale_row,
    decide_timing,
)

__all__ = [
    "BEHAVIOUR_CHANGED", "CANNOT_VERIFY", "EQUIVALENT", "INCONCLUSIVE", "SLOWER", "VERDICTS", "VERIFIED_FASTER",
    "Verdict", "decide_timing", "project_interpreter", "test_command", "verify_fix",
]

GROWS = 0.5  # the original's time must grow at least as size^0.5 for a grown size to decide the verdict


def verify_fix(
    path: str | os.PathLike,
    fix: Fix,
    *,
    text: str | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Verdict:
    """Verify ``fix`` (byte edits into ``text``, or into the file's content on disk)."""
    started = time.monotonic()
    progress = progress or (lambda stage, message, percent=None: None)
    path = Path(path).resolve()
    if config is None:
        config, _ = load_config(path)
    vcfg = config.verify
    if not vcfg.enable:
        return Verdict(CANNOT_VERIFY, "verification is disabled here (verify.enable = false)")
    if not command_line_parses(vcfg.test_command):
        return Verdict(CANNOT_VERIFY, f"the test command {vcfg.test_command!r} does not parse (an unbalanced quote?)")
    if not (math.isfinite(vcfg.timeout) and vcfg.timeout > 0):
        return Verdict(CANNOT_VERIFY, f"the timeout {vcfg.timeout!r} is not a positive number of seconds")
    root = find_project_root(path, config.root)
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        return Verdict(CANNOT_VERIFY, f"{path} is outside the project at {root}")
    if text is None:
        try:
            text = decode_source(path.read_bytes())
        except (OSError, UnicodeDecodeError, LookupError) as exc:
            return Verdict(CANNOT_VERIFY, f"cannot read {path}: {exc}")
    source = Source(text, str(path))
    new_text = apply_edits(source.data, list(fix.edits)).decode("utf-8", errors="surrogatepass")
    try:  # the fixed file is written in the file's own encoding, by verification and by --fix
        encode_like(new_text, path.read_bytes())
    except UnicodeEncodeError as exc:
        return Verdict(CANNOT_VERIFY, f"the fixed text has {exc.object[exc.start:exc.end]!r}, which the file's encoding ({exc.encoding}) cannot hold")
    except (OSError, LookupError):
        pass  # an unsaved buffer or a file gone: the copies will say so
    new_source = Source(new_text, str(path))
    if new_source.has_syntax_errors and not source.has_syntax_errors:
        return Verdict(BEHAVIOUR_CHANGED, "the rewritten file does not parse")
    target = target_of(source, fix)
    if target is None:
        return Verdict(CANNOT_VERIFY, "the fix changes several functions at once; verify it after splitting it up")
    verdict = _verify(root, rel, text, new_text, target, vcfg, progress, cancel)
    verdict.function = target.qualname
    verdict.seconds = time.monotonic() - started
    return verdict


def _verify(root: Path, rel: str, text: str, new_text: str, target: Target, vcfg: VerifyConfig, progress: Progress, cancel) -> Verdict:
    session = _Session(root, vcfg, cancel)
    try:
        return _verify_in(session, rel, text, new_text, target, progress)
    finally:
        session.close()


def _verify_in(session: _Session, rel: str, text: str, new_text: str, target: Target, progress: Progress) -> Verdict:
    name = f"the module-level code of {rel}" if target.is_module else f"`{target.qualname}` ({rel}:{target.line})"
    progress("collecting", "finding the tests that reach the function", 0)
    selected = _select_tests(session, rel, text, target, name, progress)
    if isinstance(selected, Verdict):
        return selected
    tests, old, old_result, old_data, selection_note, hot = selected
    if old_result.timed_out:
        return Verdict(CANNOT_VERIFY, f"the tests timed out on the original code after {old_result.seconds:.0f} s", tests=tests)
    failing = _failing(old_data, tests)
    if failing:
        shown = "; ".join(f"{t}: {m}" for t, m in failing[:3])
        return Verdict(CANNOT_VERIFY, f"{_plural(len(failing), 'test')} already failing before the change: {shown}", tests=tests)
    passed = _ran(old_data, tests)
    if not passed:
        return Verdict(CANNOT_VERIFY, f"none of the selected tests ran on the original code (exit {old_result.returncode}): {old_result.tail(3)}", tests=tests)
    tests = passed

    progress("running tests", f"running {_plural(len(tests), 'test')} on the rewritten code", 45)
    new = session.copy("new", {rel: new_text})
    new_result, new_data = session.pytest(new, "new", "run", tests)
    if new_result.timed_out:
        return Verdict(BEHAVIOUR_CHANGED, f"the tests time out on the rewritten code (after {new_result.seconds:.0f} s; {old_result.seconds:.1f} s before)", tests=tests)
    broken = [(t, (new_data or {}).get("outcomes", {}).get(t)) for t in tests]
    broken = [(t, o["message"] if o else "did not run") for t, o in broken if not o or o["outcome"] != "passed"]
    if broken:
        test, message = broken[0]
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        return Verdict(BEHAVIOUR_CHANGED, f"{test} fails after the change: {message}{more}", details=[f"{t}: {m}" for t, m in broken], tests=tests)

    details = [selection_note] if selection_note else []
    details += [f"{_plural(len(tests), 'test')} {_pass(len(tests))} before and after: " + ", ".join(tests[:8]) + (" ..." if len(tests) > 8 else "")]
    status = (old_data or {}).get("target_status", "not imported")
    recorded = int((old_data or {}).get("recorded", 0))
    unpicklable = int((old_data or {}).get("unpicklable", 0))
    replay = None
    if recorded and status == "recording":
        progress("timing", f"replaying {_plural(recorded, 'recorded call')} on both versions (then on inputs grown {' and '.join(f'{f}×' for f in SCALE_FACTORS)})", 65)
        replay = _replay(session, old, session.copy("replay-old", {rel: text}), session.copy("replay-new", {rel: new_text}), rel, target, old_data)
        if replay.get("error"):
            details.append(f"replaying the recorded calls failed ({replay['error']}); timed the tests instead")
            replay = None
        elif replay.get("loaded", "function") != "function":
            details.append(f"the rewritten function could not be compiled alone; its module was loaded a second time ({replay['loaded']})")
    else:
        reason = status if status != "recording" else (
            f"its arguments could not be pickled ({_plural(unpicklable, 'call')})" if unpicklable else "no call was recorded"
        )
        details.append(f"calls not replayed: {reason}" if target.is_module else f"calls of {target.qualname} not replayed: {reason}")

    calls_compared = 0
    if replay is not None:
        calls = replay["calls"]
        comparable = [c for c in calls if c["reproducible"]]
        skipped = len(calls) - len(comparable)
        if skipped:
            details.append(f"{_plural(skipped, 'recorded call')} not compared: the original gives different results on each run")
        for call in comparable:
            if not call["same_result"]:
                return Verdict(
                    BEHAVIOUR_CHANGED,
                    f"call {call['index'] + 1} of {target.qualname} (from {call['test']}): expected it {call['expected']}, but it {call['got']}",
                    details=details, tests=tests, calls_compared=len(comparable), timing="replay",
                )
            if not call["same_arguments"]:
                return Verdict(
                    BEHAVIOUR_CHANGED,
                    f"call {call['index'] + 1} of {target.qualname} (from {call['test']}) leaves its arguments different: "
                    f"expected {call['expected_arguments']}, got {call['got_arguments']}",
                    details=details, tests=tests, calls_compared=len(comparable), timing="replay",
                )
        calls_compared = len(comparable)
        details.append(f"{_plural(calls_compared, 'recorded call')} {'gives' if calls_compared == 1 else 'give'} the same results and {'leaves' if calls_compared == 1 else 'leave'} the arguments the same")
        edges = replay.get("edge_cases") or []
        raising = [e for e in edges if e["only_rewrite_raises"]]
        if raising:
            e = raising[0]
            return Verdict(
                BEHAVIOUR_CHANGED,
                f"on an edge case derived from call {e['call'] + 1} of {target.qualname} ({e['argument']} {e['variant']}) only the rewrite raises: "
                f"the original {e['expected']}, the rewrite {e['got']}",
                details=details + [f"edge case ({x['argument']} {x['variant']} of call {x['call'] + 1}): the original {x['expected']}, the rewrite {x['got']}" for x in raising[:5]],
                tests=tests, calls_compared=calls_compared, timing="replay",
            )
        # Different values on a derived input are reported, not judged: the emptied argument may be
        # outside what the function accepts (two lists whose lengths must match), where the two
        # versions are free to differ.
        parted = [e for e in edges if not e["same"] and not e["original_raises"]]
        for x in parted[:3]:
            details.append(f"caution: on an edge case derived from call {x['call'] + 1} ({x['argument']} {x['variant']}) the versions "
                           f"return different values: the original {x['expected']}, the rewrite {x['got']}; check that such inputs cannot occur")
        if edges and not parted:
            details.append(f"{_plural(len(edges), 'edge case')} derived from the recorded calls (arguments emptied or cut to one element): the versions agree")
        if replay.get("caches", {}).get("new") or replay.get("caches", {}).get("old"):
            details.append("functools caches cleared before every replayed call, so a memoized version is timed computing, not recalling")

    timing = replay.get("timing") if replay else None
    method = "replay"
    if timing is None:
        timed = tests
        if hot is not None:
            # A fresh profile names the tests the function spends its time in: timing only those
            # keeps the rest of the suite's noise out of the ratio.
            timed = [t for t in hot.tests if t in tests] or tests
            if len(timed) < len(tests):
                details.append(f"timed {_plural(len(timed), 'test')} of {len(tests)}: those where the stored profile measured "
                               f"{target.qualname} ({hot.tests_share:.0%} of its profiled time): " + ", ".join(timed[:5]) + (" ..." if len(timed) > 5 else ""))
        progress("timing", f"timing {_plural(len(timed), 'test')} as a whole", 75)
        timing = _time_tests(session, rel, text, new_text, timed, progress)
        method = "tests"
        if timing is None:
            return Verdict(EQUIVALENT, f"{_plural(len(tests), 'test')} {_pass(len(tests))}; the tests are too short to time, so no measurable gain can be shown",
                           details=details, tests=tests, calls_compared=calls_compared)
    kind, decision = decide_timing(timing)
    ratio = timing["ratio"]
    spread = (min(timing["per_input_ratio"]), max(timing["per_input_ratio"]))
    lo, hi = decision["interval"]
    rounds = timing["rounds"]
    if method == "replay":
        how = f"{rounds} paired rounds on {_plural(timing['inputs'], 'recorded input')}"
        if timing["inputs"] > 1:
            how += f"; per input {spread[0]:.2f}–{spread[1]:.2f}×"
    else:
        how = f"whole tests, {rounds} paired runs; the calls could not be replayed"
    control_text = f"the original against itself {_ratio(decision['control'][0])}–{_ratio(decision['control'][1])}"
    details.append(f"timing at test sizes: {how}; ratio of minima {_ratio(ratio)}, 95% interval of the per-round ratio "
                   f"{_ratio(lo)}–{_ratio(hi)}; {control_text}; margin {decision['margin']:.0%}")
    pass_text = f"{_plural(len(tests), 'test')} {_pass(len(tests))}"
    noise = 1 + decision["noise"]
    if kind == VERIFIED_FASTER:
        at_tests = f"{_ratio(ratio)} faster ({how}; 95% interval {_ratio(lo)}–{_ratio(hi)})"
    elif kind == SLOWER:
        at_tests = f"{_ratio(1 / ratio)} slower ({how}; 95% interval {_ratio(lo)}–{_ratio(hi)})"
    elif kind == INCONCLUSIVE:
        at_tests = f"inconclusive: the machine is too noisy (control {_ratio(noise)})"
    else:
        at_tests = (f"{_plural(calls_compared, 'call')} {'matches' if calls_compared == 1 else 'match'}; " if calls_compared else "") + f"no measurable gain ({ratio:.2f}×, margin {decision['margin']:.0%})"

    # The scale check: what the verdict is about when the inputs grow.
    scale_rows = (replay or {}).get("scale") or []
    scale_texts = []
    top = None  # (kind, ratio, factor, row) of the largest size with a verdict
    base = next((r for r in scale_rows if r.get("factor") == 1), None)
    scale_rows = [r for r in scale_rows if r.get("factor") != 1]
    for row in scale_rows:
        s_kind, s_ratio, s_text = _scale_outcome(row)
        scale_texts.append(s_text)
        if s_kind is not None:
            top = (s_kind, s_ratio, row["factor"], row)
    growth = None
    old_exponent = None
    measured = [(float(r["factor"]), r.get("old_seconds"), r.get("new_seconds")) for r in ([base] if base else []) + scale_rows if r.get("old_seconds") and r.get("new_seconds")]
    if len(measured) >= 2:
        old_exponent = stats.growth_exponent([m[0] for m in measured], [m[1] for m in measured])
        new_exponent = stats.growth_exponent([m[0] for m in measured], [m[2] for m in measured])
        growth = f"growth {stats.growth_label(old_exponent)} → {stats.growth_label(new_exponent)} (measured)"
    if method == "replay":
        estimate = _estimated_growth(text, new_text, target)
        if estimate:
            growth = (growth + "; " if growth else "") + f"estimated {estimate[0]} → {estimate[1]}"
    if top is not None and old_exponent is not None and old_exponent < GROWS:
        # The original takes about as long on the grown input as on the recorded one: what was
        # grown is not what its work depends on (or the grown input is rejected early), so the
        # larger sizes say nothing the test sizes do not.
        scale_texts.append(f"the original's time hardly grows with the grown input ({stats.growth_label(old_exponent)} measured), so the verdict is about the test sizes")
        top = None
    if scale_texts:
        details.append("scale check (the largest recorded input grown): " + "; ".join(scale_texts))
    if growth:
        details.append(growth)

    size = TEST_SIZES
    final_kind, final_ratio, final_interval = kind, ratio, (lo, hi)
    if top is not None and top[0] != kind:
        # The largest grown size that gave an answer decides (a gain at test sizes that vanishes
        # as the input grows is no gain); the summary keeps every size.
        final_kind, final_ratio = top[0], top[1]
        size = f"{top[2]}× the input"
        final_interval = tuple(top[3]["decision"]["interval"]) if top[3].get("decision") else None
    parts = [f"at test sizes {at_tests}"] + [t for t in scale_texts if not t.endswith("not timed")]
    summary = f"{pass_text}; " + "; ".join(parts) + (f"; {growth}" if growth and scale_texts else "")
    if final_kind == INCONCLUSIVE:
        # Noise that high has no ratio worth giving.
        summary = f"{pass_text}; {at_tests}" + ("; " + "; ".join(scale_texts) if scale_texts else "")
        final_ratio = final_interval = None
    test_ratio = None if kind == INCONCLUSIVE else ratio
    return Verdict(final_kind, summary, details=details, tests=tests, ratio=final_ratio, spread=spread, timing=method,
                   calls_compared=calls_compared, interval=final_interval, control=noise, size=size, scale=[_scale_row(r) for r in ([base] if base else []) + scale_rows], growth=growth,
                   test_ratio=test_ratio)
