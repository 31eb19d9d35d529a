"""HS305 loop-copies-into-list: `extend`/`list()` leave the same list, effects and exceptions."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, assert_module_equivalent, distinct_identifiers, fixed_program, indent

INITIAL = ["[]", "[0]", "list(range(2))", "[-1] * 2"]
# Iterables, some raising part-way (1 // v) or printing as they go.
ITERABLES = ["xs", "xs[::-1]", "iter(xs)", "sorted(xs)", "(1 // v for v in xs)", "map(shout, xs)",
             "xs if flag else ()", "range(len(xs))", "dict.fromkeys(xs)"]
BETWEEN = ["", "{out}.append(9)\n", "print(len({out}))\n", "{other} = 1\n"]


@st.composite
def function_programs(draw):
    out, item, other = draw(distinct_identifiers(3))
    init = draw(st.sampled_from(INITIAL))
    between = draw(st.sampled_from(BETWEEN)).format(out=out, other=other)
    iterable = draw(st.sampled_from(ITERABLES))
    loop = f"for {item} in {iterable}:\n    {out}.append({item})\n"
    block = f"{out} = {init}\n{between}{loop}"
    wrapper = draw(st.sampled_from(["", "if", "for", "try"]))
    if wrapper == "if":
        block = f"if flag or xs:\n{indent(block)}else:\n    {out} = [5]\n"
    elif wrapper == "for":
        block = f"for {other} in range(2):\n{indent(block)}"
    elif wrapper == "try":
        block = f"try:\n{indent(block)}except ZeroDivisionError:\n    return 'caught', {out}\n"
    prelude = "def shout(v):\n    print(v)\n    return v\n\n\n"
    # The loop variable's name reused by a comprehension or lambda after the loop is another
    # variable: the fix stays safe.
    after = draw(st.sampled_from(["", f"{other} = [{item} * 2 for {item} in xs]\n",
                                  f"{other} = sorted(xs, key=lambda {item}: -{item})\n"]))
    result = f"{out}, {other}" if after else out
    return f"{prelude}def run(xs, flag):\n{indent(block)}{indent(after)}    return {result}\n"


@given(function_programs(), st.lists(st.integers(-2, 3), max_size=6), st.booleans())
@settings(max_examples=100, deadline=None)
def test_hs305_function_fix_is_equivalent(program, xs, flag):
    fixed = fixed_program(program, "HS305")
    assert_equivalent(program, fixed, "run", (xs, flag))


@st.composite
def module_programs(draw):
    out, item = draw(distinct_identifiers(2))
    init = draw(st.sampled_from(INITIAL))
    iterable = draw(st.sampled_from(["xs", "(1 // v for v in xs)", "reversed(xs)"]))
    return f"{out} = {init}\nfor {item} in {iterable}:\n    {out}.append({item})\n", out


@given(module_programs(), st.lists(st.integers(-2, 3), max_size=6))
@settings(max_examples=60, deadline=None)
def test_hs305_module_fix_is_equivalent(program_and_name, xs):
    program, out = program_and_name
    fixed = fixed_program(program, "HS305")
    # Module level keeps `out = []` and extends it: a half-filled list is visible after an error.
    assert_module_equivalent(program, fixed, {"xs": xs}, [out])
