"""How each rule's time grows with the length of one expression: generated long shapes (a sum,
a call chain, a list literal, boolean chains, nested parentheses, ...) inside a loop of a
function, checked in-process with one rule at a time, preview included.

    python -m benchmarks.reliability.long_expressions [--sizes 250,500,1000,2000]
        [--shapes sum,chain,...] [--rules HS201,...] [--cap 30]

Prints, per shape and rule, the CPU seconds at each size and the ratio of the last size's time
to the first's (a linear rule gives about the ratio of the sizes). A rule past ``--cap`` seconds
is stopped by the checker's budget and shown as ``>CAP``. Nothing is written.
"""

from __future__ import annotations

import argparse
import time


def _terms(n: int) -> list[str]:
    return ["a" if i % 2 == 0 else "b" for i in range(n)]


SHAPES = {
    "sum": lambda n: " + ".join(_terms(n)),
    "product_x": lambda n: " * ".join(_terms(n - 1) + ["x"]),
    "chain": lambda n: "s" + ".strip()" * n,
    "attributes": lambda n: "s" + ".real" * n,
    "subscripts": lambda n: "s" + "[0]" * n,
    "list": lambda n: "[" + ", ".join(_terms(n)) + "]",
    "and": lambda n: " and ".join(_terms(n)),
    "or_compare": lambda n: " or ".join(f"{t} == x" for t in _terms(n)),
    "compare_chain": lambda n: " < ".join(_terms(n)),
    "parens": lambda n: "(" * n + "a + b" + ")" * n,
    "nested_math": lambda n: "math.sqrt(" * n + "a" + ")" * n,
    "nested_calls": lambda n: "f(" * n + "a" + ")" * n,
    "strings": lambda n: " + ".join(["'x'"] * n),
}


def program(shape: str, n: int) -> str:
    return loop_program(SHAPES[shape](n))


def loop_program(expression: str) -> str:
    """A function whose loop computes ``expression`` on every pass (the tests use it too)."""
    return (
        "import math\n\n\n"
        "def g(xs, a, b, s, f):\n"
        "    out = []\n"
        "    for x in xs:\n"
        f"        y = {expression}\n"
        "        out.append(y)\n"
        "    return out\n"
    )


def time_rule(rule, text: str, cap: float) -> tuple[float, bool, int]:
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.source import Source

    source = Source(text, "long.py")
    started = time.process_time()
    result = check(source, Config(preview=True), rules=(rule,), budget=cap)
    return time.process_time() - started, result.complete, len(result.findings)


def main(argv: list[str] | None = None) -> None:
    import sys

    from hasten.analyzers.checker import enabled_rules
    from hasten.analyzers.config import Config

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="250,500,1000,2000")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--rules", default="")
    parser.add_argument("--cap", type=float, default=30.0)
    parser.add_argument("--min", type=float, default=0.05, help="hide rows whose largest time is below this")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    wanted = {c.strip().upper() for c in args.rules.split(",") if c.strip()}
    rules = [r for r in enabled_rules(Config(preview=True)) if not wanted or r.code in wanted]
    print("shape rule " + " ".join(f"n={n}" for n in sizes) + " ratio findings")
    for shape in args.shapes.split(","):
        texts = [program(shape, n) for n in sizes]
        for rule in rules:
            row = []
            findings = []
            for text in texts:
                spent, complete, found = time_rule(rule, text, args.cap)
                row.append(f"{spent:.3f}" if complete else f">{args.cap:g}")
                findings.append(found)
                if not complete:
                    break
            times = [float(t) for t in row if not t.startswith(">")]
            if all(t < args.min for t in times) and len(row) == len(sizes):
                continue
            ratio = f"{float(row[-1]) / max(float(row[0]), 1e-6):.1f}" if len(times) == len(sizes) else "-"
            print(shape, rule.code, " ".join(row), ratio, findings, flush=True)


if __name__ == "__main__":
    main()
