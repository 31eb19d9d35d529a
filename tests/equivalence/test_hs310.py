"""HS310 join-on-generator: joining a list comprehension gives the same string and exceptions."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, distinct_identifiers, fixed_program, indent

SEPARATORS = ['""', '","', '" - "', "'\\n'"]
ELEMENTS = ["{v}", "str({v})", "{v}.upper()", "{v} * 2", "repr({v})", "{v} if flag else {v}.strip()",
            "({w} := {v})", "str(len({v}))", "{v} + 1"]  # `{v} + 1` raises TypeError on str
CONDITIONS = [None, "{v}", "len({v}) > 1", "flag"]
ITERABLES = ["words", "sorted(words)", "words[::-1]", "(w for w in words)"]


@st.composite
def programs(draw):
    v, w, out = draw(distinct_identifiers(3))
    element = draw(st.sampled_from(ELEMENTS)).format(v=v, w=w)
    condition = draw(st.sampled_from(CONDITIONS))
    clause = f" if {condition.format(v=v)}" if condition else ""
    separator = draw(st.sampled_from(SEPARATORS))
    iterable = draw(st.sampled_from(ITERABLES))
    join = f"{separator}.join({element} for {v} in {iterable}{clause})"
    uses_walrus = ":=" in element
    tail = f"{out}, {w}" if uses_walrus else out
    body = f"{w} = None\n{out} = {join}\n" if uses_walrus else f"{out} = {join}\n"
    if draw(st.booleans()):
        body = f"if words is not None:\n{indent(body)}else:\n    {out} = ''\n"
    return f"def run(words, flag):\n{indent(body)}    return {tail}\n"


@given(programs(), st.lists(st.text(alphabet="ab ", max_size=3), max_size=5), st.booleans())
@settings(max_examples=100, deadline=None)
def test_hs310_fix_is_equivalent(program, words, flag):
    fixed = fixed_program(program, "HS310")
    assert_equivalent(program, fixed, "run", (words, flag))
