"""HS202: compiling a literal pattern once before the loop must not change any result,
exception or printed output, whatever function, flags and loop shape are used."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ._harness import assert_equivalent, distinct_identifiers, fixed_program

PATTERNS = (r'r"\d+"', r'"[a-z]+"', r'r"(\w)(\w)?"', r'"a|b"', r'r"\s*,\s*"', r'"^x"', r'"(?P<n>[0-9])"', r'"A"', r'""')
FLAGS = ("", ", flags=re.I", ", flags=re.I | re.M", ", re.IGNORECASE", ", flags=0")

# function -> template producing a comparable value from the call `{call}`
CALLS = {
    "match": ("re.match({p}, {s}{f})", "(lambda m: m.span() if m else None)({call})"),
    "search": ("re.search({p}, {s}{f})", "(lambda m: m.group() if m else None)({call})"),
    "fullmatch": ("re.fullmatch({p}, {s}{f})", "bool({call})"),
    "findall": ("re.findall({p}, {s}{f})", "{call}"),
    "finditer": ("re.finditer({p}, {s}{f})", "[m.span() for m in {call}]"),
    "split": ("re.split({p}, {s}{extra}{f})", "{call}"),
    "sub": ("re.sub({p}, {repl}, {s}{extra}{f})", "{call}"),
    "subn": ("re.subn({p}, {repl}, {s}{extra}{f})", "{call}"),
}


@st.composite
def programs(draw):
    item, out, items, i = draw(distinct_identifiers(4))
    function = draw(st.sampled_from(sorted(CALLS)))
    pattern = draw(st.sampled_from(PATTERNS))
    flags = draw(st.sampled_from(FLAGS))
    if flags.startswith(", re.") and function not in ("match", "search", "fullmatch", "findall", "finditer"):
        flags = ", flags=re.IGNORECASE"  # positional flags come after count/maxsplit: use a keyword
    extra = draw(st.sampled_from(["", ", 1", ", count=2" if function in ("sub", "subn") else ", maxsplit=2"]))
    if extra == ", 1" and flags.startswith(", re."):
        extra = ""
    repl = draw(st.sampled_from(['"-"', r'r"<\1>"' if "(" in pattern else '"+"', "lambda m: m.group().upper()"]))
    call_template, wrap = CALLS[function]
    call = call_template.format(p=pattern, s=item, f=flags, extra=extra, repl=repl)
    value = wrap.format(call=call)
    shape = draw(st.sampled_from(["for", "comprehension", "while", "nested", "two-calls"]))
    if shape == "for":
        body = f"    {out} = []\n    for {item} in {items}:\n        {out}.append({value})\n    return {out}\n"
    elif shape == "comprehension":
        body = f"    return [{value} for {item} in {items}]\n"
    elif shape == "while":
        body = (
            f"    {out} = []\n    {i} = 0\n    while {i} < len({items}):\n        {item} = {items}[{i}]\n"
            f"        print({value})\n        {i} += 1\n    return {out}\n"
        )
    elif shape == "nested":
        body = (
            f"    {out} = []\n    for {i} in range(2):\n        for {item} in {items}:\n"
            f"            {out}.append(({i}, {value}))\n    return {out}\n"
        )
    else:
        body = f"    {out} = []\n    for {item} in {items}:\n        {out}.append({value})\n        {out}.append({value})\n    return {out}\n"
    return f"import re\n\n\ndef run({items}):\n{body}"


texts = st.text(alphabet="ab1 ,xA9\n", max_size=8)
inputs = st.lists(st.one_of(texts, texts, st.just(5)), max_size=5)


@given(programs(), inputs)
@settings(max_examples=150, deadline=None)
def test_hs202(program, items):
    fixed = fixed_program(program, "HS202")
    assert "re.compile(" in fixed
    assert_equivalent(program, fixed, "run", (items,))


def test_hs202_silent_when_re_is_shadowed():
    """A parameter, loop target or local named ``re`` is not the module: no finding, no fix."""
    from hasten.analyzers.checker import check
    from hasten.analyzers.config import Config
    from hasten.analyzers.source import Source

    for body in (
        "def run(re, items):\n    return [re.match('x', s) for s in items]\n",
        "def run(items):\n    return [re.match('x', 'y') for re in items]\n",
        "def run(items):\n    out = []\n    for re in items:\n        out.append(re.match('x', 'y'))\n    return out\n",
        "def run(items):\n    re = items\n    for s in items:\n        print(re.match('x', s))\n",
    ):
        result = check(Source("import re\n\n\n" + body), Config(select=("HS202",), preview=True))
        assert not [f for f in result.findings if f.code == "HS202"], body
