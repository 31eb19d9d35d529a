"""HS900: the model's finding. It never visits the tree: the checker adds these findings from the
scores of ``hasten.model.runtime``. It lives in the registry so the code is documented and can be
selected, ignored and given a severity like any rule."""

from __future__ import annotations

from hasten.analyzers.finding import Severity
from hasten.analyzers.rule import FixAvailability, Rule, Status


class LikelyInefficient(Rule):
    code = "HS900"
    name = "likely-inefficient"
    family = "model"
    summary = "The model scores this function as likely needlessly slow; no rule explains it"
    what = """
Reported by hasten's compact code model (model/hasten-student.onnx, described in
model/MODEL_CARD.md), not by a pattern. The model reads each function (and the module-level code)
as a normalized token sequence, scores how likely it is to contain a fixable inefficiency, names
the most likely kind (complexity, loops, idioms, data or other) and points at the lines that drove
the score. A finding appears on those lines when the score reaches `model.threshold` and no rule
already reports a finding on the same lines. The message carries the
category and the confidence. Disable it with `model = false` (or `[tool.hasten.model] enable =
false`), or ignore `HS900`.

HS900 is a **preview** rule: it is off by default and runs only with `--preview` (`preview =
true`) or when selected by code (`--select HS900`, `extend-select = ["HS900"]`). Its judged
precision on real code is below the 80% the project asks of a stable rule, and the model does not
yet beat simple baselines (line count, loop count) at ranking real slow/fast pairs; the model card
gives the figures and the targets it must meet to return to stable.
"""
    why = """
The model was trained on real functions from the standard library and PyPI packages into which
known slow patterns were injected (a set lookup turned into a list scan, `"".join` into `+=`,
`deque.popleft()` into `list.pop(0)`, invariant work moved into a loop, a cache removed, ...), plus
the rule engine's own findings. It flags code that *looks like* those patterns. It does not run the
code and cannot measure it, so each finding is a prompt to look, not a proof: on a judged sample
of real code most of its findings were not real inefficiencies (model/MODEL_CARD.md has the
figures, by threshold).
"""
    example = """
def dedupe(items):
    seen = []
    out = []
    for item in items:
        if seen.count(item) == 0:
            seen.append(item)
            out.append(item)
    return out
"""
    use_instead = """
def dedupe(items):
    seen = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
"""
    fix_safety = """
There is no fix: the model ranks and points, it never writes code. Rewrites come only from the
deterministic rules.
"""
    fix_availability = FixAvailability.NEVER
    # Preview (off by default) under the project's rule: judged precision below 80% means preview.
    # It returns to stable only when the targets in model/MODEL_CARD.md are met.
    status = Status.PREVIEW
    severity = Severity.INFORMATION
    aliases = ()
    node_types = ()

    def visit(self, node, ctx) -> None:  # pragma: no cover - never called (no node types)
        return None
