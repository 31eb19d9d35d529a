"""HS314 collection-call-in-loop: literals build the same objects as the calls they replace."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, distinct_identifiers, fixed_program, indent

CALLS = ["dict()", "list()", "tuple()", "dict(a={v})", "dict(key={v}, items=[{v}], n=len(out))",
         "dict(value={v} if flag else None)"]


@st.composite
def programs(draw):
    v, other = draw(distinct_identifiers(2))
    call = draw(st.sampled_from(CALLS)).format(v=v)
    kind = draw(st.sampled_from(["for", "comprehension", "while"]))
    if kind == "for":
        body = f"for {v} in xs:\n    out.append({call})\n"
    elif kind == "comprehension":
        body = f"out.extend([{call} for {v} in xs])\n"
    else:
        body = f"{other} = list(xs)\nwhile {other}:\n    {v} = {other}.pop()\n    out.append({call})\n"
    return f"def run(xs, flag):\n    out = []\n{indent(body)}    return out\n"


@given(programs(), st.lists(st.integers(-2, 3), max_size=5), st.booleans())
@settings(max_examples=80, deadline=None)
def test_hs314_fix_is_equivalent(program, xs, flag):
    fixed = fixed_program(program, "HS314")
    assert_equivalent(program, fixed, "run", (xs, flag))


def test_hs314_fresh_objects():
    # Each literal is a new object per iteration, exactly like each call.
    program = "def run(n):\n    out = []\n    for _ in range(n):\n        out.append(dict())\n    return len({id(d) for d in out})\n"
    fixed = fixed_program(program, "HS314")
    assert_equivalent(program, fixed, "run", (3,))
