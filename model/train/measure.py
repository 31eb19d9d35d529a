"""Render the team's problems into files and time every variant: the measured half of the data.

``python -m hasten.model.train.measure --out DIR --minutes M`` renders instances (a problem, a
form — function or module-level script — random names, layout and surrounding code), runs every
variant of an instance on the same generated inputs at two growing sizes in worker processes with
a time cap, and appends one JSON line per instance to ``DIR/measured.jsonl``:
the rendered text of each variant, its times, its growth exponent and whether its output matched
the others. Labels are made later from these times (``rank.py``), never from the variant's kind.
"""

from __future__ import annotations

import argparse
import json
import keyword
import logging
import multiprocessing as mp
import random
import re
import signal
import sys
import time
from pathlib import Path

from hasten.model.train.problems import Problem, by_name, problems

log = logging.getLogger("hasten.model.train.measure")

CAP_SECONDS = 0.4  # one run longer than this is stopped and recorded as the cap
MARK = "#@"

_NAME_POOL = (
    "data items values arr nums lst seq vals elems entries records result res acc tmp buf cur node "
    "val elem item key cnt total ans out memo cache table stack idx pos left right lo hi mid count "
    "seen visited queue parts chunk row col grid matrix text line word words chars token tokens "
    "score best worst limit size length width step delta prev nxt head tail first last a b c d e "
    "p q r s t u w x y z m k j i num number amount target goal query queries answer output buffer"
).split()

_COMMENTS = (
    "# compute the answer", "# main loop", "# TODO: tidy up", "# read input", "# helper",
    "# edge cases first", "# accumulate", "# result", "# NOTE: keeps order", "# fast path",
)
_DOCSTRINGS = (
    '"""Return the answer for the given input."""',
    '"""Compute the result.\n\n    Works on any list of integers.\n    """',
    "'''Solve the task.'''",
)

# Small neutral functions written for the data: surrounding code that is neither slow nor fast.
_DISTRACTORS = (
    """
def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value
""",
    """
def parse_pair(line):
    left, _, right = line.partition("=")
    return left.strip(), right.strip()
""",
    """
def describe(point):
    x, y = point
    return f"({x}, {y})"
""",
    """
class Config:
    def __init__(self, name, verbose=False):
        self.name = name
        self.verbose = verbose

    def label(self):
        return self.name.upper() if self.verbose else self.name
""",
    """
def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return 0.0
""",
    """
def load_settings(path):
    with open(path) as handle:
        return [line.rstrip("\\n") for line in handle if line.strip()]
""",
    """
def is_even(n):
    return n % 2 == 0
""",
    """
def merge_options(base, extra):
    merged = dict(base)
    merged.update(extra)
    return merged
""",
)

_READ = {
    "int": "{p} = int(input())",
    "ints": "{p} = list(map(int, input().split()))",
    "str": "{p} = input()",
    "words": "{p} = input().split()",
}


def _serialise(kind: str, value) -> str:
    if kind == "int":
        return str(value)
    if kind == "ints":
        return " ".join(map(str, value))
    if kind == "str":
        return value
    if kind == "words":
        return " ".join(value)
    raise ValueError(kind)


# -- rendering ---------------------------------------------------------------------------------


def _local_names(code: str) -> set[str]:
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return {n for n in names if n != "_"}


def _rename(code: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return code
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, sorted(mapping, key=len, reverse=True))) + r")(?!\w)")
    out = []
    for line in code.split("\n"):
        # Leave string contents alone: split on quotes and rename only outside them.
        pieces = re.split(r"(\"[^\"]*\"|'[^']*')", line)
        out.append("".join(p if i % 2 else pattern.sub(lambda m: mapping[m.group(1)], p) for i, p in enumerate(pieces)))
    return "\n".join(out)


def _fresh_names(rng: random.Random, names: set[str], taken: set[str]) -> dict[str, str]:
    mapping = {}
    used = set(taken)
    for n in sorted(names):
        if rng.random() < 0.3:
            used.add(n)
            continue
        for _ in range(20):
            cand = rng.choice(_NAME_POOL)
            if rng.random() < 0.3:
                cand += rng.choice(("_list", "_set", "s", "2", "_val", "_map", "_"))
            if cand not in used and not keyword.iskeyword(cand) and cand not in dir(__builtins__):
                mapping[n] = cand
                used.add(cand)
                break
    return mapping


def _layout(lines: list[str], rng: random.Random, indent: str) -> list[str]:
    """Comments, blank lines and redundant parentheses: formatting the features must ignore."""
    out = []
    for ln in lines:
        stripped = ln.lstrip()
        lead = ln[: len(ln) - len(stripped)]
        if rng.random() < 0.08 and stripped and not stripped.startswith(("else", "elif", "except", "finally")):
            out.append(lead + rng.choice(_COMMENTS))
        m = re.match(r"(if|while|elif) (.*):$", stripped)
        if m and rng.random() < 0.25 and MARK not in stripped:
            stripped = f"{m.group(1)} ({m.group(2)}):"
        out.append(lead + stripped if stripped else "")
        if rng.random() < 0.05:
            out.append("")
    return out


def render(problem: Problem, variant_index: int, form: str, rng_seed: int) -> dict:
    """One variant as a complete file. The same ``rng_seed`` gives every variant of an instance
    the same names, layout choices and surrounding code."""
    rng = random.Random(rng_seed)
    variant = problem.variants[variant_index]
    params = [p for p, _ in problem.params]
    fname = rng.choice(("solve", "compute", "run", problem.name, "process", "answer", "calc", problem.name + "_impl"))
    indent = "    " if rng.random() < 0.9 else "  "
    distractors = rng.sample(_DISTRACTORS, rng.randrange(0, 3))
    wrap_main = rng.random() < 0.3
    docstring = rng.choice(_DOCSTRINGS) if rng.random() < 0.3 else None
    layout_seed = rng.randrange(1 << 30)
    # Names: the same mapping for all variants of the instance where they share names.
    all_locals = set(params) | {fname}
    for v in problem.variants:
        wrapped = "def __body():\n" + "\n".join("    " + ln for ln in v.body.strip("\n").split("\n"))
        all_locals |= _local_names(v.helpers + "\n" + wrapped)
    all_locals.discard("__body")
    imported = set(re.findall(r"import ([\w, ]+)", "".join(v.helpers for v in problem.variants)))
    taken = {n.strip() for group in imported for n in group.split(",")}
    mapping = _fresh_names(rng, all_locals - taken, taken | all_locals)
    fname_out = mapping.get(fname, fname)

    body_lines = variant.body.strip("\n").split("\n")
    cost_index = next((i for i, ln in enumerate(body_lines) if MARK in ln), None)
    body_lines = [ln.replace("  " + MARK, "").replace(MARK, "").rstrip() for ln in body_lines]
    helpers = variant.helpers.strip("\n")
    helper_lines = helpers.split("\n") if helpers else []
    helper_cost = next((i for i, ln in enumerate(helper_lines) if MARK in ln), None)
    helper_lines = [ln.replace("  " + MARK, "").replace(MARK, "").rstrip() for ln in helper_lines]

    lrng = random.Random(layout_seed + variant_index)
    # Lines are tagged with a sentinel so the cost line can be found after layout changes.
    sentinel = "\x00COST\x00"
    if cost_index is not None:
        body_lines[cost_index] += sentinel
    if helper_cost is not None:
        helper_lines[helper_cost] += sentinel

    imports = [ln for ln in helper_lines if ln.startswith(("from ", "import "))]
    helper_defs = [ln for ln in helper_lines if not ln.startswith(("from ", "import "))]
    out: list[str] = []
    out.extend(imports)
    if imports:
        out.append("")
    for d in distractors[: len(distractors) // 2 + 1]:
        out.extend(d.strip("\n").split("\n"))
        out.extend(["", ""])
    if any(ln.strip() for ln in helper_defs):
        out.extend(_layout([ln.replace("    ", indent) for ln in helper_defs], lrng, indent))
        out.extend(["", ""])
    entry = None
    if form == "function":
        out.append(f"def {fname}({', '.join(params)}):")
        if docstring:
            out.append(indent + docstring.replace("\n    ", "\n" + indent))
        out.extend(indent + ln.replace("    ", indent) if ln else "" for ln in _layout(body_lines, lrng, indent))
        out.extend(["", ""])
        entry = fname
        if wrap_main:
            out.append('if __name__ == "__main__":')
            for p, kind in problem.params:
                out.append(indent + _READ[kind].format(p=p + "_in"))
            out.append(indent + f"print({fname}({', '.join(p + '_in' for p in params)}))")
    else:
        code = [_READ[kind].format(p=p) for p, kind in problem.params]
        for ln in body_lines:
            s = ln.lstrip()
            if s.startswith("return "):
                ln = ln[: len(ln) - len(s)] + "print(" + s[len("return ") :].replace(sentinel, "") + ")" + (sentinel if sentinel in s else "")
            code.append(ln)
        code = _layout(code, lrng, indent)
        if wrap_main:
            out.append('if __name__ == "__main__":')
            out.extend(indent + ln.replace("    ", indent) if ln else "" for ln in code)
        else:
            out.extend(ln.replace("    ", indent) for ln in code)
    for d in distractors[len(distractors) // 2 + 1 :]:
        out.extend(["", ""])
        out.extend(d.strip("\n").split("\n"))
    text = "\n".join(out).rstrip() + "\n"
    text = _rename(text, {k: v for k, v in mapping.items()}) if mapping else text
    if fname in mapping:
        entry = mapping[fname] if entry else None
    lines = text.split("\n")
    cost_line = next((i + 1 for i, ln in enumerate(lines) if sentinel in ln), None)
    text = text.replace(sentinel, "")
    return {"text": text, "entry": entry, "cost_line": cost_line, "kind": variant.kind}


# -- timing ------------------------------------------------------------------------------------


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def _run_once(code_obj, form, entry, args, lines, cap):
    import copy

    sink = []
    feed = iter(lines)
    g = {"__name__": "__main__" if form == "script" else "measured", "input": lambda *a: next(feed), "print": lambda *a, **k: sink.append(a)}
    call_args = copy.deepcopy(args)
    signal.setitimer(signal.ITIMER_REAL, cap)
    try:
        if form == "function":
            exec(code_obj, g)
            fn = g[entry]
            t0 = time.perf_counter()
            result = fn(*call_args)
            elapsed = time.perf_counter() - t0
        else:
            t0 = time.perf_counter()
            exec(code_obj, g)
            elapsed = time.perf_counter() - t0
            result = sink[-1] if sink else None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return elapsed, result


def time_instance(job: dict) -> dict:
    """Run every variant of one instance at both sizes; min of repeats, capped."""
    signal.signal(signal.SIGALRM, _alarm)
    sys.setrecursionlimit(20000)
    prob = by_name()[job["problem"]]
    results = []
    for var in job["variants"]:
        rec = {"times": [], "digest": None, "error": None}
        try:
            code_obj = compile(var["text"], "<measured>", "exec")
        except SyntaxError as exc:
            rec["error"] = f"syntax: {exc}"
            results.append(rec)
            continue
        for si, n in enumerate(job["sizes"]):
            args = prob.make(random.Random(job["seed"] * 7 + si), n)
            lines = [_serialise(kind, v) for (_, kind), v in zip(prob.params, args)]
            best = None
            spent = 0.0
            for _ in range(5):
                try:
                    el, result = _run_once(code_obj, job["form"], var["entry"], args, lines, CAP_SECONDS)
                except _Timeout:
                    best = None
                    break
                except Exception as exc:  # a broken rendering: recorded and dropped later
                    rec["error"] = f"{type(exc).__name__}: {exc}"[:200]
                    break
                if si == 0 and rec["digest"] is None:
                    rec["digest"] = repr(result)[:2000]
                best = el if best is None else min(best, el)
                spent += el
                if spent > 0.05:
                    break
            if rec["error"]:
                break
            rec["times"].append(best if best is not None else None)
            if best is None:  # capped at this size: the larger one would be too
                rec["times"].extend([None] * (len(job["sizes"]) - si - 1))
                break
        results.append(rec)
    return {"results": results}


def make_jobs(rng: random.Random, count: int):
    probs = problems()
    for i in range(count):
        prob = rng.choice(probs)
        form = "script" if prob.script and rng.random() < 0.5 else "function"
        seed = rng.randrange(1 << 30)
        scale = rng.choice((1.0, 2.0, 4.0))
        sizes = [max(2, int(s * scale)) if s > 100 else s for s in prob.sizes]
        variants = [render(prob, vi, form, seed) for vi in range(len(prob.variants))]
        yield {"id": i, "problem": prob.name, "form": form, "seed": seed, "sizes": sizes, "variants": variants}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m hasten.model.train.measure", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="directory for measured.jsonl (outside the repository)")
    ap.add_argument("--minutes", type=float, default=20.0)
    ap.add_argument("--max-instances", type=int, default=100000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "measured.jsonl"
    deadline = time.monotonic() + args.minutes * 60
    rng = random.Random(args.seed)
    done = 0
    ctx = mp.get_context("fork")
    with ctx.Pool(args.workers, maxtasksperchild=50) as pool, open(path, "a", encoding="utf-8") as f:
        jobs = make_jobs(rng, args.max_instances)
        pending = []
        for job in jobs:
            pending.append((job, pool.apply_async(time_instance, (job,))))
            while len(pending) >= args.workers * 4 or (pending and time.monotonic() > deadline):
                j, res = pending.pop(0)
                try:
                    out = res.get(timeout=120)
                except Exception as exc:
                    log.warning("instance %s failed: %s", j["id"], exc)
                    continue
                for v, r in zip(j["variants"], out["results"]):
                    v.update(r)
                f.write(json.dumps(j) + "\n")
                f.flush()
                done += 1
                if done % 50 == 0:
                    log.info("measured %d instances", done)
            if time.monotonic() > deadline:
                break
        pool.terminate()
    log.info("done: %d instances in %s", done, path)


if __name__ == "__main__":
    main()
