"""Unit tests for the shared tree queries in ``hasten.analyzers.syntax``."""

from __future__ import annotations

import pytest

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config
from hasten.analyzers.source import Source
from hasten.analyzers.syntax.calls import call_arguments
from hasten.analyzers.syntax.loops import invariant_data_names, loop_clauses, repeated_loop
from hasten.analyzers.syntax.mutation import name_may_change
from hasten.analyzers.syntax.scope import assignments_to, bindings_of, name_uses, proven_bindings, read_names
from hasten.analyzers.syntax.tree import is_simple_expression, strip_parens, walk, walk_with_parents
from hasten.analyzers.syntax.values import is_list_value, is_str_value, may_raise_stop_iteration


def tree(text: str):
    return Source(text, "t.py").tree.root_node


def expression(text: str):
    """The expression of a one-line module ``text``."""
    statement = tree(text).named_children[0]
    return statement.named_children[0]


@pytest.mark.parametrize("text", ['"a,b".split(",")', '"a".encode()', '"a".startswith("b")', '"a".rsplit()'])
def test_str_methods_that_do_not_return_str_are_not_str(text):
    assert not is_str_value(expression(text))


@pytest.mark.parametrize("text", ['"a".upper()', '" ".join(x)', '"a" + str(1)', '("a" if c else "b")', '"%s" % x', '"ab" * 3'])
def test_str_values(text):
    assert is_str_value(expression(text))


def test_str_methods_still_cannot_raise_stop_iteration():
    assert not may_raise_stop_iteration(expression('"a,b".split(",")'))
    assert may_raise_stop_iteration(expression("next(it)"))


def test_hs103_does_not_offer_a_fix_for_a_list_built_from_split():
    # Regression: `split()` was believed to return a str, so HS103 offered a "safe" `"".join`
    # rewrite that raises TypeError.
    text = (
        "def f(lines):\n"
        '    out = "a,b".split(",")\n'
        "    for line in lines:\n"
        '        out += "c,d".split(",")\n'
        "    return out\n"
    )
    findings = check(Source(text, "t.py"), Config(select=("HS103",))).findings
    assert findings == []


def test_hs103_still_fires_on_a_str():
    text = "def f(lines):\n    out = ''\n    for line in lines:\n        out += str(line).upper()\n    return out\n"
    assert [f.code for f in check(Source(text, "t.py"), Config(select=("HS103",))).findings] == ["HS103"]


def test_bindings_and_assignments():
    root = tree("def f(a):\n    x = []\n    x += [1]\n    y = [1]\n    y = sorted(a)\n    return x\n")
    function = root.named_children[0]
    assert bindings_of(function, "x") is None  # augmented: not a plain binding
    assert [s.type for s in assignments_to(function, "x")] == ["assignment", "augmented_assignment"]
    assert [v.type for v in proven_bindings(function, "y", is_list_value)] == ["list", "call"]
    assert proven_bindings(function, "a", is_list_value) is None  # a parameter
    assert assignments_to(root, "x") == []  # the module is analysed like a function body: no module-level x


def test_call_arguments_plain():
    assert [a.text for a in call_arguments(expression("f(a, b=1)"))[0]] == [b"a"]
    assert call_arguments(expression("f(a, # note\n b)"), plain=True) == (None, None)
    assert call_arguments(expression("f(x for x in y)"), plain=True) == (None, None)
    assert len(call_arguments(expression("f(x for x in y)"))[0]) == 1
    assert call_arguments(expression("f(*a)")) == (None, None)


def test_repeated_loop_guard():
    root = tree("def f(xs):\n    for x in xs:\n        g(x)\n    for y in xs:\n        g(y)\n        break\n    for z in [1, 2]:\n        g(z)\n")
    calls = [n for n in walk(root) if n.type == "call"]
    assert repeated_loop(calls[0]) is not None
    assert repeated_loop(calls[1]) is None  # leaves after the first pass
    assert repeated_loop(calls[2]) is None  # a short fixed loop


def test_loop_clauses():
    root = tree("for a in b:\n    # note\n    if a:\n        for c in a:\n            out.append(c)\n")
    clauses, statement = loop_clauses(root.named_children[0])
    assert [c[0] for c in clauses] == ["for", "if", "for"]
    assert statement.type == "expression_statement"
    assert loop_clauses(tree("for a in b:\n    x()\nelse:\n    y()\n").named_children[0]) is None
    assert loop_clauses(tree("for a in b:\n    if a:\n        x()\n    else:\n        y()\n").named_children[0]) is None


def test_name_uses_skip_attribute_and_keyword_names():
    root = tree("x = x.x + f(x=x)\n")
    assert len(name_uses(root, "x")) == 3
    assert read_names(expression("a.b + f(c=d)")) == {"a", "f", "d"}
    assert read_names(expression("[a for a in b]")) is None


def test_walk_with_parents_gives_the_real_parent():
    root = tree("def f(a):\n    return g(a.b, c=[d, (e)])\n")
    for node, field, parents in walk_with_parents(root):
        if node is not root:
            assert parents[-1] == node.parent
            index = next(i for i, c in enumerate(node.parent.children) if c == node)
            assert field == node.parent.field_name_for_child(index)


def test_long_expression_walk_is_linear_in_nodes():
    # 20,000 terms: each node is visited once, with its parent carried down the walk (asking
    # every identifier for its parent made this quadratic).
    terms = 20_000
    node = expression(" + ".join(f"a{i}.b" for i in range(terms)))
    visits = sum(1 for _ in walk_with_parents(node))
    assert visits == node.descendant_count
    assert visits <= 10 * terms
    assert len(read_names(node)) == terms
    assert len(name_uses(node, "a7")) == 1


@pytest.mark.parametrize(
    "text",
    ["(" * 50_000 + "x" + ")" * 50_000, "f(" * 50_000 + "x" + ")" * 50_000, "list(" * 50_000 + "x" + ")" * 50_000,
     " + ".join(["[1]"] * 50_000), " + ".join(['"a"'] * 50_000), ".a".join(["x"] * 50_000)],
    ids=["parentheses", "calls", "conversions", "list-sum", "str-sum", "attributes"],
)
def test_deep_nesting_raises_no_recursion_error(text):
    node = expression(text)
    read_names(node)
    name_uses(node, "x")
    is_list_value(node)
    is_str_value(node)
    is_simple_expression(node)
    strip_parens(node)
    may_raise_stop_iteration(node)
    assert sum(1 for _ in walk(node)) == node.descendant_count


def test_deep_conversion_chain_raises_no_recursion_error():
    text = "def f(a):\n    return " + "list(" * 50_000 + "a" + ")" * 50_000 + "\n"
    function = tree(text).named_children[0]
    call = function.child_by_field_name("body").named_children[0].named_children[0]
    assert invariant_data_names(call, function) == {"a"}


def test_name_may_change():
    root = tree("def f(a, b):\n    for x in a:\n        b.append(x)\n        a.count(x)\n")
    loop = root.named_children[0].child_by_field_name("body").named_children[0]
    assert name_may_change(loop, "b")
    assert not name_may_change(loop, "a")
