"""HS113: `k in d.keys()` -> `k in d` is safe when `d` is a dict the function builds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, distinct_identifiers, fixed_program, indent

BUILDERS = (
    "dict({pairs})",
    "{{{u}: {v} for {u}, {v} in {pairs}}}",
    "dict.fromkeys({v} for {u}, {v} in {pairs})",
    "{{}}",
)


@st.composite
def programs(draw):
    table, key, out, pairs, keys, u, v = draw(distinct_identifiers(7))
    builder = draw(st.sampled_from(BUILDERS)).format(pairs=pairs, u=u, v=v)
    op = draw(st.sampled_from(["in", "not in"]))
    test = f"{key} {op} {table}.keys()"
    shape = draw(st.sampled_from(["for", "comprehension", "while", "nested-if", "fill-in-loop"]))
    header = f"def run({pairs}, {keys}):\n    {table} = {builder}\n"
    if shape == "for":
        body = f"    {out} = []\n    for {key} in {keys}:\n        if {test}:\n            {out}.append({key})\n    return {out}\n"
    elif shape == "comprehension":
        body = f"    return [{key} for {key} in {keys} if {test}]\n"
    elif shape == "while":
        body = (
            f"    {out} = []\n    {keys} = list({keys})\n    while {keys}:\n        {key} = {keys}.pop()\n"
            f"        {out}.append({test})\n    return {out}\n"
        )
    elif shape == "nested-if":
        inner = f"if {test}:\n    print({key})\nelse:\n    {out} += 1\n"
        body = f"    {out} = 0\n    for {key} in {keys}:\n        if {key} is not None:\n{indent(inner, 3)}    return {out}\n"
    else:  # the dict grows inside the loop: membership must still see every new key
        body = (
            f"    {out} = []\n    for {key} in {keys}:\n        {out}.append({test})\n"
            f"        {table}[{key}] = {out}[-1]\n    return {out}, {table}\n"
        )
    return header + body


keys_strategy = st.lists(st.one_of(st.integers(-3, 3), st.none(), st.lists(st.integers(0, 1), max_size=1)), max_size=6)
pairs_strategy = st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), max_size=5)


@given(programs(), pairs_strategy, keys_strategy)
@settings(max_examples=120, deadline=None)
def test_hs113(program, pairs, keys):
    fixed = fixed_program(program, "HS113")
    assert ".keys()" not in fixed
    assert_equivalent(program, fixed, "run", (pairs, keys))
