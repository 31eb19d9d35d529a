"""HS102 list-pop-front-in-loop: a deque used the same way gives the same results."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, distinct_identifiers, fixed_program, indent

BUILDERS = ["list(xs)", "[v for v in xs]", "sorted(xs)", "[]"]
RESULTS = ["sum({q})", "len({q})", "[v * 2 for v in {q}]", "list({q})", "{q}[0] if {q} else None", "sorted({q})",
           "tuple({q})", "3 in {q}"]


@st.composite
def programs(draw):
    q, out, item = draw(distinct_identifiers(3))
    builder = draw(st.sampled_from(BUILDERS))
    shape = draw(st.sampled_from(["drain", "prepend", "window", "bfs"]))
    fill = f"for v in xs:\n    {q}.append(v)\n" if builder == "[]" else ""
    if shape == "drain":
        loop = (f"while {q}:\n    {item} = {q}.pop(0)\n    {out}.append({item})\n"
                f"    if {item} > 0 and len({q}) < 8:\n        {q}.append({item} // 2)")
    elif shape == "prepend":
        loop = (f"for {item} in xs:\n    {q}.insert(0, {item} + 1)\n    {out}.append(len({q}))\n"
                f"    if len({q}) > 3:\n        {out}.append({q}.pop())")
    elif shape == "window":
        loop = (f"for {item} in xs:\n    {q}.append({item})\n    if len({q}) > 2:\n        {out}.append({q}.pop(0))\n"
                f"    {out}.append({q}[-1])")
    else:
        loop = (f"while {q} and len({out}) < 12:\n    {item} = {q}.pop(0)\n    if {item} in {q}:\n        continue\n"
                f"    {out}.append({item})\n    {q}.extend([{item} - 1] if {item} > 0 else [])\n    {q}.pop() if len({q}) > 5 else None")
    result = draw(st.sampled_from(RESULTS)).format(q=q)
    body = f"{out} = []\n{q} = {builder}\n{fill}{loop}\nreturn {out}, {result}\n"
    header = draw(st.sampled_from(["", '"""A module docstring."""\n', "from __future__ import annotations\n"]))
    return f"{header}\n\ndef run(xs):\n{indent(body)}"


@given(programs(), st.lists(st.integers(-2, 6), max_size=7))
@settings(max_examples=80, deadline=None)
def test_hs102_fix_is_equivalent(program, xs):
    fixed = fixed_program(program, "HS102")
    assert "collections.deque" in fixed
    assert_equivalent(program, fixed, "run", (xs,))


def test_hs102_pop_on_empty_raises_the_same_error():
    program = "def run(xs):\n    q = list(xs)\n    out = []\n    for _ in range(3):\n        out.append(q.pop(0))\n    return out\n"
    fixed = fixed_program(program, "HS102")
    assert_equivalent(program, fixed, "run", ([1],))
