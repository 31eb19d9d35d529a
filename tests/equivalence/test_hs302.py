"""HS302 unnecessary-list-cast: iterating the sequence itself behaves like iterating its copy."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, distinct_identifiers, fixed_program, indent

BUILDERS = ["list({src})", "[v for v in {src}]", "tuple({src})", "set({src})", "sorted({src})", "frozenset({src})"]
BODIES = [
    "{out}.append({item} * 2)",
    "print({item})",
    "if {item} in {seq}:\n    {out}.append(len({seq}))",
    "{out}.append(max({seq}) - {item})",
    "if {item} > 3:\n    break\n{out}.append({item})",
    "{out}.append(1 // {item})",
]


@st.composite
def programs(draw):
    seq, item, out = draw(distinct_identifiers(3))
    builder = draw(st.sampled_from(BUILDERS)).format(src="src")
    if "frozenset" in builder:
        builder = "set(src)"  # only list, tuple and set builders are proven
    body = draw(st.sampled_from(BODIES)).format(seq=seq, item=item, out=out)
    comprehension = draw(st.booleans())
    nested = draw(st.booleans())
    if comprehension:
        loop = f"{out}.extend([{item} + 1 for {item} in list({seq}) if {item} % 2])"
    else:
        loop = f"for {item} in list({seq}):\n{indent(body)}"
    if nested:
        loop = f"for _round in range(2):\n{indent(loop)}"
    return f"def run(src):\n    {out} = []\n    {seq} = {builder}\n{indent(loop)}\n    return {out}\n"


@given(programs(), st.lists(st.integers(-3, 6), max_size=8))
@settings(max_examples=80, deadline=None)
def test_hs302_fix_is_equivalent(program, src):
    fixed = fixed_program(program, "HS302")
    assert_equivalent(program, fixed, "run", (src,))
