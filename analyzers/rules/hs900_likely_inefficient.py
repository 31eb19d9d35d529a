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
as a normalized token sequence — names replaced by their role, layout and redundant parentheses
ignored — and scores how likely it is to be needlessly slow. A finding appears when a unit's score
reaches `model.threshold` and no rule already reports a finding on the line the model points at.
The message names the kind of cost the model sees (for example "repeated linear search in a
loop", "quadratic string building", "recomputed aggregate inside a loop", "list used as a queue"),
the one code line that drives the score (never a comment or docstring line), and the rule whose
rewrite applies when there is one (`hasten rule HS101`). Disable it with `model = false` (or
`[tool.hasten.model] enable = false`), or ignore `HS900`.

HS900 is a **preview** rule: it is off by default and runs only with `--preview` (`preview =
true`) or when selected by code (`--select HS900`, `extend-select = ["HS900"]`). Its judged
precision on real code is below the 80% the project asks of a stable rule, and the model does not
yet beat simple baselines (line count, loop count) by the margin the project asks at ranking real
slow/fast pairs; the model card gives the figures and the targets it must meet to return to stable.
"""
    why = """
The model was trained on measured speed: small problems, each solved several ways by the team
(linear search against hashing, repeated sorting, strings built with `+=`, aggregates recomputed
in a loop, nested-loop joins, recursion without a cache, `pop(0)` queues, slice copies, brute-force
loops, and equally fast rewrites), rendered as functions and as scripts with random names and
layout, and timed on inputs of growing size. It learned to rank the measured-slower version above
the faster one. It does not run your code and cannot see types or sizes, so each finding is a
prompt to look, not a proof (model/MODEL_CARD.md has the judged precision).
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
