"""Rules stay about linear on one long expression (issue 19, item 12): a 1,000-term sum, call
chain or nesting inside a loop. No wall-clock assert: the work is counted through the shared
walks' periodic look at the clock (``spend_time``, called every 1,024 nodes walked and every 64
parents walked up), and a check that goes past a bound is stopped there (``OutOfTime``), so a
regression fails in a moment instead of running for minutes."""

from __future__ import annotations

import pytest

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config
from hasten.analyzers.source import Source
from hasten.analyzers.syntax import cold, loops, tree
from hasten.analyzers.syntax.tree import OutOfTime, deadline

from benchmarks.reliability.long_expressions import SHAPES as LONG_SHAPES, loop_program


N = 1000
SHAPES = {name: LONG_SHAPES[name](N) for name in ("sum", "chain", "nested_math", "nested_calls")}
program = loop_program

# Now at most ~40 looks for each case below; before the fix every case but HS204 on the call
# chain went past this bound (they took 10 s to minutes in-process at this size).
BOUND = 200


@pytest.fixture
def counted(monkeypatch):
    """Counts the looks at the clock of the shared walks (and HS201's own) and stops the check
    past BOUND."""
    from hasten.analyzers.rules import hs201_loop_invariant_expression as hs201

    looks = []

    def spend_time() -> None:
        looks.append(1)
        if len(looks) > BOUND:
            raise OutOfTime()

    monkeypatch.setattr(tree, "spend_time", spend_time)
    monkeypatch.setattr(hs201, "spend_time", spend_time, raising=False)
    return looks


@pytest.mark.parametrize("code, shape, findings", [
    ("HS201", "sum", 1),
    ("HS201", "nested_math", 1),
    ("HS106", "chain", 0),
    ("HS106", "nested_calls", 0),
    ("HS204", "nested_math", 0),
    ("HS204", "chain", 0),
])
def test_a_rule_on_a_thousand_term_expression_does_linear_work(counted, code, shape, findings):
    result = check(Source(program(SHAPES[shape]), "long.py"), Config(select=(code,), preview=True), budget=3600)
    assert result.complete and not result.notes, (len(counted), result.notes)
    assert len(result.findings) == findings
    assert all(f.code == code for f in result.findings)


def test_hs201_flags_the_whole_long_sum_once():
    result = check(Source(program(SHAPES["sum"]), "long.py"), Config(select=("HS201",), preview=True))
    [finding] = result.findings
    assert finding.message.startswith("This expression does not change inside the loop")


HS201_CASES = """
import math

def f(xs, ys, a, b, flag):
    out = []
    for x in xs:
        out.append(x + a * b * 2 + (lambda math: math.sqrt(a * b + 1))(a))
        out.append(math.sqrt(a * a + b * b) * x)
        out.append(-(a * b + 1) + x)
        for y in ys:
            t = a * b + x * 2 + a * a
            b = b + 1
    while xs:
        yield a * b * 2
    for x in xs:
        ys.append(x)
        v = (a + b) * (a - b) + math.floor(math.sqrt(a) + math.cos(b))
    return out

def show(xs, a):
    for x in xs:
        y = a * a * a

def h(xs, a):
    math = 3
    for x in xs:
        y = math * a * 2
"""


def test_hs201_memo_answers_as_the_plain_rule():
    """The visit's memo gives the findings of ``_invariant``/``cost_of`` asked node by node."""
    from hasten.analyzers.rules.hs201_loop_invariant_expression import (
        ARITHMETIC,
        LoopInvariantExpression,
        _Memo,
        cost_of,
        operator_of,
    )

    source = Source(HS201_CASES, "cases.py")
    rule = LoopInvariantExpression()
    memo = _Memo(ctx=None)
    compared = 0
    for node in tree.walk(source.tree.root_node):
        if node.type not in ("binary_operator", "call", "unary_operator"):
            continue
        if node.type == "binary_operator" and operator_of(node) not in ARITHMETIC:
            continue
        assert memo.cost(node) == cost_of(node), node.text
        if cost_of(node) is not None:
            assert memo.invariant(node) == rule._invariant(node), node.text
            compared += 1
    assert compared > 20
    found = check(source, Config(select=("HS201",), preview=True)).findings
    data = HS201_CASES.encode()
    assert [data[f.start:f.end].decode() for f in found] == [  # as before the memo
        "(a + b) * (a - b) + math.floor(math.sqrt(a) + math.cos(b))",
        "math * a * 2",
    ]


def test_walks_up_answer_the_same_with_and_without_the_check_memo():
    text = HS201_CASES + program(SHAPES["chain"][:400]) + "\nclass C:\n    def m(self, xs):\n        for x in xs:\n            [y for y in xs for z in y if z]\n"
    root = Source(text, "cases.py").tree.root_node
    nodes = list(tree.walk(root))

    def answers():
        return [
            (tree.enclosing_scope(n), tuple(loops.enclosing_loops(n)), cold.in_cold_code(n), tree.root_of(n),
             tree.statement_of(n), tuple(tree.ancestors(n)))
            for n in nodes
        ]

    plain = answers()
    with deadline(None):
        remembered = answers()
        again = answers()  # from the memo now
    assert plain == remembered == again
    assert tree._DEADLINE.parents is None and tree._DEADLINE.memos is None  # dropped after the check


def test_the_memos_do_not_outlive_a_check():
    check(Source(program(SHAPES["chain"]), "long.py"), Config(select=("HS106", "HS201"), preview=True))
    assert tree._DEADLINE.parents is None and tree._DEADLINE.memos is None
