"""Rebuild the model from scratch: ``python -m hasten.model.train``.

Two steps, each also runnable alone:

1. ``hasten.model.train.measure``: render the team's problems (``problems.py``) as functions and
   module-level scripts with random names, layout and surrounding code, and time every variant on
   generated inputs of growing size in worker processes (``WORKDIR/measured.jsonl``);
2. ``hasten.model.train.rank``: label pairs by the measured speed ratio, check the training texts
   for leakage against the evaluation data, train the ranking network, export it to ONNX,
   quantize it to int8 and write the model, the vocabulary (with the learned file aggregate) and
   training-metrics.json.

``--smoke`` measures a few instances for a few seconds and trains a few steps into a temporary
directory; it never touches the committed model.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def rule_findings(source):
    """The rule engine's findings for a file: the teacher's weak labels (no model: the checker
    gets no scorer)."""
    from hasten.analyzers.checker import check

    return check(source).findings


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hasten.model.train", description=__doc__.split("\n")[0])
    ap.add_argument("--workdir", type=Path, help="scratch directory for measured.jsonl (default: a new temporary directory)")
    ap.add_argument("--output", type=Path, help="where to write the model (default: the package's model dir; temp dir with --smoke)")
    ap.add_argument("--measure-minutes", type=float, default=12.0)
    ap.add_argument("--train-minutes", type=float, default=55.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--leakage-against", type=Path, help="evaluation data to check the training texts against (e.g. ../shared/benchmarks)")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args(argv)
    from hasten.model.train import measure, rank

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="hasten-train-"))
    m_args = ["--out", str(workdir), "--workers", str(args.workers)]
    m_args += ["--minutes", "0.1", "--max-instances", "12"] if args.smoke else ["--minutes", str(args.measure_minutes)]
    measure.main(m_args)
    r_args = ["--data", str(workdir), "--minutes", str(args.train_minutes)]
    if args.smoke:
        r_args.append("--smoke")
    if args.output:
        r_args += ["--output", str(args.output)]
    if args.leakage_against:
        r_args += ["--leakage-against", str(args.leakage_against)]
    return rank.main(r_args)


if __name__ == "__main__":
    sys.exit(main())
