"""HS103 string-concat-in-loop: joining collected parts gives the same string and effects."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, distinct_identifiers, fixed_program, indent

INITS = ['""', "'start:'", "str(len(xs))", 'f"{len(xs)}-"']
PIECES = ["str({x})", 'f"<{x}>"', '"-" if {x} else "+"', "repr({x})", "str(1 // {x})", '"%s," % ({x},)',
          '",".join(["a", str({x})])', "str({x}).upper() * 2"]


@st.composite
def programs(draw):
    s, x, i = draw(distinct_identifiers(3))
    init = draw(st.sampled_from(INITS))
    piece = draw(st.sampled_from(PIECES)).format(x=x)
    shape = draw(st.sampled_from(["for", "while", "nested", "filtered", "break"]))
    if shape == "for":
        loop = f"for {x} in xs:\n    {s} += {piece}\n    print({x})"
    elif shape == "while":
        loop = f"{i} = 0\nwhile {i} < len(xs):\n    {x} = xs[{i}]\n    {s} += {piece}\n    {i} += 1"
    elif shape == "nested":
        loop = f"for {i} in range(2):\n    for {x} in xs:\n        {s} += {piece}\n    {s} += \"|\""
    elif shape == "filtered":
        loop = f"for {x} in xs:\n    if {x} % 2:\n        {s} += {piece}\n    else:\n        {s} += '.'"
    else:
        loop = f"for {x} in xs:\n    if {x} > 3:\n        break\n    {s} += {piece}"
    between = draw(st.sampled_from(["", "count = len(xs)\n"]))
    body = f"{s} = {init}\n{between}{loop}\n"
    if draw(st.booleans()):
        body = f"if xs is not None:\n{indent(body)}"
    after = draw(st.sampled_from(["", f"{s} += '!'\n", f"print({s})\n"]))
    return f"def run(xs):\n{indent(body)}{indent(after)}    return {s}\n"


@given(programs(), st.lists(st.integers(-2, 5), max_size=6))
@settings(max_examples=80, deadline=None)
def test_hs103_fix_is_equivalent(program, xs):
    fixed = fixed_program(program, "HS103")
    assert_equivalent(program, fixed, "run", (xs,))
