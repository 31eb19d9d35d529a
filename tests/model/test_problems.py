"""The team's training problems: every variant renders to valid Python in each form, marks its
cost line when it names a cost, and computes the same answer as the others (run on tiny inputs,
untimed: the timing itself lives in hasten.model.train.measure)."""

from __future__ import annotations

import ast
import random

import pytest

from hasten.model.features import CATEGORIES
from hasten.model.train.measure import _run_once, _serialise, render
from hasten.model.train.problems import problems


@pytest.mark.parametrize("prob", problems(), ids=lambda p: p.name)
def test_variants_render_and_agree(prob):
    for form in ("function", "script") if prob.script else ("function",):
        seed = random.Random(prob.name + form).randrange(1 << 30)
        answers = set()
        for i, v in enumerate(prob.variants):
            r = render(prob, i, form, seed)
            ast.parse(r["text"])
            assert v.kind is None or v.kind in CATEGORIES
            if v.kind:
                assert r["cost_line"], f"{prob.name}[{i}] names a cost but marks no line"
                line = r["text"].split("\n")[r["cost_line"] - 1].strip()
                assert line and not line.startswith("#")
            n = prob.sizes[0] if prob.sizes[0] <= 40 else 24
            args = prob.make(random.Random(1), n)
            lines = [_serialise(kind, a) for (_, kind), a in zip(prob.params, args)]
            _, result = _run_once(compile(r["text"], "<t>", "exec"), form, r["entry"], args, lines, 30.0)
            answers.add(repr(result))
        assert len(answers) == 1, (prob.name, form, answers)
