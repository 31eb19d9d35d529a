"""HS306 loop-builds-dict: the dict comprehension builds the same dict with the same effects."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, assert_module_equivalent, distinct_identifiers, fixed_program, indent

# (target, key, value) templates; at most one of key and value calls code.
SHAPES = [
    ("{a}", "{a}", "{a} * 2"),
    ("{a}", "str({a})", "{a}"),
    ("{a}, {b}", "{a}", "{b}"),
    ("{a}, {b}", "{b}", "shout({a})"),
    ("{a}", "{a}", "1 // {a}"),
    ("{a}", "{a} % 3", "{a}"),
    ("{a}", "{a}", "{a} if flag else -{a}"),
]
CONDITIONS = [None, "{a}", "{a} != 1", "(flag if {a} else not flag)"]


@st.composite
def programs(draw):
    d, a, b, other = draw(distinct_identifiers(4))
    target, key, value = (t.format(a=a, b=b) for t in draw(st.sampled_from(SHAPES)))
    pairs = "," in target
    iterable = draw(st.sampled_from(["zip(xs, ys)", "enumerate(xs)"] if pairs else ["xs", "reversed(xs)", "xs if flag else ys"]))
    condition = draw(st.sampled_from(CONDITIONS))
    store = f"{d}[{key}] = {value}"
    body = store if condition is None else f"if {condition.format(a=a)}:\n    {store}"
    block = f"{d} = {{}}\nfor {target} in {iterable}:\n{indent(body)}\n"
    if draw(st.booleans()):
        block = f"for {other} in range(2):\n{indent(block)}"
    prelude = "def shout(v):\n    print(v)\n    return v\n\n\n"
    return f"{prelude}def run(xs, ys, flag):\n{indent(block)}    return {d}\n"


@given(programs(), st.lists(st.integers(-2, 3), max_size=6), st.lists(st.integers(0, 3), max_size=6), st.booleans())
@settings(max_examples=100, deadline=None)
def test_hs306_fix_is_equivalent(program, xs, ys, flag):
    fixed = fixed_program(program, "HS306")
    assert_equivalent(program, fixed, "run", (xs, ys, flag))


@given(st.lists(st.integers(-2, 3), max_size=6))
@settings(max_examples=40, deadline=None)
def test_hs306_module_level(xs):
    program = "table = {}\nfor item in xs:\n    table[item] = item * 2\n"
    fixed = fixed_program(program, "HS306")
    assert_module_equivalent(program, fixed, {"xs": xs}, ["table"])
