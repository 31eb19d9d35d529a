"""HS303 incorrect-dict-iterator: ``.keys()``/``.values()`` yield what ``.items()`` unpacking kept."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, distinct_identifiers, fixed_program, indent

BUILDERS = ["dict(pairs)", "{{k: v for k, v in pairs}}", "{{}}"]


@st.composite
def programs(draw):
    d, key, out, dummy = draw(distinct_identifiers(4))
    key = "K" + key  # never clashes (generated names are lower case); a name starting with "_" would count as a throwaway too
    dummy = "_" + dummy if draw(st.booleans()) else "_"
    if dummy in (d, out):  # `_a` drawn for the dict as well: the loop would rebind the dict
        dummy = "_"
    builder = draw(st.sampled_from(BUILDERS)).format()
    keep_key = draw(st.booleans())
    target = f"{key}, {dummy}" if keep_key else f"{dummy}, {key}"
    if draw(st.booleans()):
        target = f"({target})"
    form = draw(st.sampled_from(["loop", "comprehension", "print"]))
    fill = f"    for k, v in pairs:\n        {d}[k] = v\n" if builder == "{}" else ""
    if form == "loop":
        loop = f"for {target} in {d}.items():\n    {out}.append({key})"
    elif form == "print":
        loop = f"for {target} in {d}.items():\n    print({key})\n    if {key} == 3:\n        break"
    else:
        loop = f"{out}.extend([{key} for {target} in {d}.items()])"
    if draw(st.booleans()):
        loop = f"if pairs:\n{indent(loop)}"
    return f"def run(pairs):\n    {out} = []\n    {d} = {builder}\n{fill}{indent(loop)}\n    return {out}\n"


@given(programs(), st.lists(st.tuples(st.integers(0, 5), st.integers(-2, 4)), max_size=6))
@settings(max_examples=80, deadline=None)
def test_hs303_fix_is_equivalent(program, pairs):
    fixed = fixed_program(program, "HS303")
    assert_equivalent(program, fixed, "run", (pairs,))
