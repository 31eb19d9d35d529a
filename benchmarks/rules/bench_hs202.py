"""HS202 regex-compile-in-loop: ``re.match(<literal>, s)`` per item vs a pattern compiled once."""

import re

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ([f"{i} apples" if i % 2 else f"pear {i}" for i in range(n)],)


def slow(lines):
    return [m.group() for line in lines if (m := re.match(r"\d+", line))]


def fast(lines):
    pattern = re.compile(r"\d+")
    return [m.group() for line in lines if (m := pattern.match(line))]


def slow_sub(lines):
    return [re.sub(r"\s+", "_", line) for line in lines]


def fast_sub(lines):
    pattern = re.compile(r"\s+")
    return [pattern.sub("_", line) for line in lines]


BENCHES = [
    Bench("HS202", "match", setup, slow, fast, description="re.match(literal, s) per line vs compiled once"),
    Bench("HS202", "sub", setup, slow_sub, fast_sub, description="re.sub(literal, repl, s) per line vs compiled once"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
