"""HS301 manual-list-comprehension: the comprehension builds the same list with the same effects."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, distinct_identifiers, fixed_program, indent

ELEMENTS = ["{x}", "{x} * 2", "str({x})", "{x} if {x} else -1", "({x}, {y})", "1 // {x}", "print({x})",
            "[{x}] * 2", "lambda_free({x})", "{y} - {x}"]
CONDITIONS = ["{x} % 2", "{x} > 0 if flag else {x} < 0", "{x} != {y}", "not {x}"]
ITERABLES = ["xs", "reversed(xs)", "xs if flag else xs[::-1]", "range(len(xs))", "sorted(xs)"]


@st.composite
def programs(draw):
    out, x, y = draw(distinct_identifiers(3))
    clauses = []
    first = draw(st.sampled_from(ITERABLES))
    clauses.append(("for", x, first))
    nested = draw(st.booleans())
    if nested:
        clauses.append(("for", y, draw(st.sampled_from(["ys", "range(2)", "ys[:2]"]))))
    else:
        y = "offset"
    if draw(st.booleans()):
        clauses.append(("if", draw(st.sampled_from(CONDITIONS)).format(x=x, y=y), None))
    element = draw(st.sampled_from(ELEMENTS)).format(x=x, y=y)
    if element == x and len(clauses) == 1:
        element = f"-{x}"  # appending the loop variable itself is HS305's plain copy
    body = f"{out}.append({element})"
    for kind, a, b in reversed(clauses):
        body = f"for {a} in {b}:\n{indent(body)}" if kind == "for" else f"if {a}:\n{indent(body)}"
    before = draw(st.sampled_from(["", "print('start')\n"]))
    prelude = "def lambda_free(v):\n    return v + 1\n\n\n"
    loop = indent(f"{out} = []\n{body}")
    if draw(st.booleans()):
        loop = indent(f"if xs or flag:\n{indent(f'{out} = []')}\n{indent(body)}\nelse:\n    {out} = [0]")
    return f"{prelude}def run(xs, ys, flag, offset=1):\n{indent(before)}{loop}\n    return {out}\n"


@given(programs(), st.lists(st.integers(-3, 5), max_size=6), st.lists(st.integers(-1, 3), max_size=3), st.booleans())
@settings(max_examples=80, deadline=None)
def test_hs301_fix_is_equivalent(program, xs, ys, flag):
    fixed = fixed_program(program, "HS301")
    assert_equivalent(program, fixed, "run", (xs, ys, flag))


ASYNC_PROGRAM = """
async def numbers(xs):
    for x in xs:
        yield x


async def twice(x):
    return x * 2


async def run(xs):
    out = []
    async for item in numbers(xs):
        out.append(await twice(item))
    return out
"""


@given(st.lists(st.integers(-3, 5), max_size=6))
@settings(max_examples=30, deadline=None)
def test_hs301_async_fix_is_equivalent(xs):
    fixed = fixed_program(ASYNC_PROGRAM, "HS301")
    assert "async for" in fixed
    assert_equivalent(ASYNC_PROGRAM, fixed, "run", (xs,))
