"""HS312 map-lambda: the comprehension gives the same collection, effects and exceptions."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, distinct_identifiers, fixed_program, indent

BODIES = ["{x} + 1", "{x} * k", "str({x})", "-{x} if flag else {x}", "1 // {x}", "[{x}] * 2",
          "[{x} * i for i in range(2)]", "({x}, k)", "{x} % 3 == 0", "len(str({x}))"]
ITERABLES = ["xs", "xs[::-1]", "range(len(xs))", "xs if flag else ()", "map(abs, xs)", "(v for v in xs)"]


@st.composite
def programs(draw):
    x, out = draw(distinct_identifiers(2))
    body = draw(st.sampled_from(BODIES)).format(x=x)
    outer = draw(st.sampled_from(["list", "set"]))
    items = draw(st.sampled_from(ITERABLES))
    if draw(st.booleans()):
        items = x  # the lambda's parameter shadows the iterable's name
        prefix = f"{x} = xs\n"
    else:
        prefix = ""
    expression = f"{outer}(map(lambda {x}: {body}, {items}))"
    result = out if outer == "list" else f"sorted({out}, key=repr)"
    block = f"{prefix}{out} = {expression}\n"
    if draw(st.booleans()):
        block = f"if flag or xs:\n{indent(block)}else:\n    {out} = []\n"
    return f"def run(xs, flag, k=2):\n{indent(block)}    return {result}\n"


@given(programs(), st.lists(st.integers(-2, 3), max_size=6), st.booleans())
@settings(max_examples=100, deadline=None)
def test_hs312_fix_is_equivalent(program, xs, flag):
    fixed = fixed_program(program, "HS312")
    assert_equivalent(program, fixed, "run", (xs, flag))
