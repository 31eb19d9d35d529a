"""HS311 comprehension-copy: `list()`/`set()` give the same collection and exceptions."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, assert_module_equivalent, distinct_identifiers, fixed_program, indent

ITERABLES = ["xs", "xs[::-1]", "iter(xs)", "(1 // v for v in xs)", "map(shout, xs)", "(xs if flag else ())",
             "dict.fromkeys(xs)", "range(len(xs))", "zip(xs, xs)", "n"]  # `n` is an int: TypeError


@st.composite
def programs(draw):
    v, out = draw(distinct_identifiers(2))
    iterable = draw(st.sampled_from(ITERABLES))
    brackets = draw(st.sampled_from(["[]", "{}"]))
    comprehension = f"{brackets[0]}{v} for {v} in {iterable}{brackets[1]}"
    result = out if brackets == "[]" else f"sorted({out}, key=repr)"
    body = f"{out} = {comprehension}\n"
    if draw(st.booleans()):
        body = f"for _ in range(2):\n{indent(body)}"
    prelude = "def shout(v):\n    print(v)\n    return v\n\n\n"
    return f"{prelude}def run(xs, flag, n=3):\n{indent(body)}    return {result}\n"


@given(programs(), st.lists(st.integers(-2, 3), max_size=6), st.booleans())
@settings(max_examples=100, deadline=None)
def test_hs311_fix_is_equivalent(program, xs, flag):
    fixed = fixed_program(program, "HS311")
    assert_equivalent(program, fixed, "run", (xs, flag))


@given(st.lists(st.integers(-2, 3), max_size=6))
@settings(max_examples=30, deadline=None)
def test_hs311_class_body(xs):
    program = "class Table:\n    rows = [r for r in xs]\n\nrows = Table.rows\n"
    fixed = fixed_program(program, "HS311")
    assert_module_equivalent(program, fixed, {"xs": xs}, ["rows"])
