"""HS307 set-add-in-loop: `update`/`set()` leave the same set, effects and exceptions."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, assert_module_equivalent, distinct_identifiers, fixed_program, indent

INITIAL = ["set()", "{0}", "set(range(2))", "{-1, 7}"]
ITERABLES = ["xs", "xs[::-1]", "iter(xs)", "(1 // v for v in xs)", "map(shout, xs)", "xs if flag else ()",
             "range(len(xs))", "[[v] for v in xs]"]


@st.composite
def programs(draw):
    s, item, other = draw(distinct_identifiers(3))
    init = draw(st.sampled_from(INITIAL))
    between = draw(st.sampled_from(["", f"{s}.add(9)\n", f"print(len({s}))\n"]))
    iterable = draw(st.sampled_from(ITERABLES))
    block = f"{s} = {init}\n{between}for {item} in {iterable}:\n    {s}.add({item})\n"
    wrapper = draw(st.sampled_from(["", "for", "try"]))
    if wrapper == "for":
        block = f"for {other} in range(2):\n{indent(block)}"
    elif wrapper == "try":
        block = f"try:\n{indent(block)}except (ZeroDivisionError, TypeError):\n    return 'caught', {s}\n"
    prelude = "def shout(v):\n    print(v)\n    return v\n\n\n"
    return f"{prelude}def run(xs, flag):\n{indent(block)}    return sorted({s})\n"


@given(programs(), st.lists(st.integers(-2, 3), max_size=6), st.booleans())
@settings(max_examples=100, deadline=None)
def test_hs307_fix_is_equivalent(program, xs, flag):
    fixed = fixed_program(program, "HS307")
    assert_equivalent(program, fixed, "run", (xs, flag))


@given(st.lists(st.integers(-2, 3), max_size=6))
@settings(max_examples=40, deadline=None)
def test_hs307_module_level(xs):
    program = "seen = {5}\nfor item in (1 // v for v in xs):\n    seen.add(item)\n"
    fixed = fixed_program(program, "HS307")
    assert_module_equivalent(program, fixed, {"xs": xs}, ["seen"])
