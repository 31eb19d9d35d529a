"""Lone-CR line endings: every file of a tree, rewritten with ``\\r`` for each ``\\n``, must get the
same findings at the same lines and columns as the original (Python reads both the same way).

    python -m benchmarks.reliability.lone_cr [--every N] [PATH]

PATH defaults to the CPython standard library on this machine; ``--every N`` takes every N-th file.
Files that do not parse, or already contain a ``\\r``, are skipped. All rules run, preview included.
Prints the counts, and how many of the CR twins the bare tree-sitter parser (what hasten used before
it normalised lone CRs for parsing) reads as having a syntax error. Nothing is written.
"""

from __future__ import annotations

import argparse
import sysconfig
import time
from pathlib import Path


def main() -> None:
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.source import Source, decode_source, parse_bytes

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--every", type=int, default=1)
    args = parser.parse_args()
    files = [p for p in sorted(Path(args.path).rglob("*.py")) if "site-packages" not in p.parts][:: args.every]
    config = Config(select=("ALL",), preview=True)
    same = different = bare_errors = findings = skipped = 0
    started = time.monotonic()
    for path in files:
        try:
            text = decode_source(path.read_bytes())
        except (OSError, UnicodeDecodeError, LookupError):
            skipped += 1
            continue
        lf = Source(text, str(path))
        if "\r" in text or lf.has_syntax_errors:
            skipped += 1
            continue
        cr = Source(text.replace("\n", "\r"), str(path))
        bare_errors += parse_bytes(cr.data).root_node.has_error
        expected = [(f.code, lf.byte_to_cli(f.start), lf.byte_to_cli(f.end)) for f in check(lf, config).findings]
        got = [(f.code, cr.byte_to_cli(f.start), cr.byte_to_cli(f.end)) for f in check(cr, config).findings]
        findings += len(expected)
        if expected == got:
            same += 1
        else:
            different += 1
            print(f"different: {path}: {len(expected)} findings with \\n, {len(got)} with \\r")
    print(
        f"{same + different} files ({skipped} skipped), {findings} findings: {same} identical, {different} different; "
        f"the bare tree-sitter parse of the CR twin has a syntax error in {bare_errors}; {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
