"""Fixes keep to the project's line length: wrapped inside brackets, or not offered."""

from __future__ import annotations

import ast

import pytest

from hasten.analyzers.config import Config, find_line_length, load_config
from hasten.analyzers.fixes import fix_text
from hasten.analyzers.wrapping import wrap_line

LINES = [
    '    out = [some_function(item, argument) for item in a_long_iterable_name if item.is_valid()]  # c',
    '    total = compute(first_argument_value, second_argument_value, third_argument_value)',
    '    html = "".join([f"<li>{row}</li>" for row in rows_of_the_table_that_is_long if row])',
    '    d = {k: v for k, v in zip(keys_of_something_long, values_of_something_long) if v}',
    '    xs = sorted(set(item async for item in a_source_of_items_with_a_name))',
]


@pytest.mark.parametrize("line", LINES)
def test_wrapped_lines_fit_and_parse_the_same(line):
    wrapped = wrap_line(line, 60)
    assert wrapped is not None and all(len(x) <= 60 for x in wrapped)
    before = ast.dump(ast.parse("async def f():\n" + line))
    after = ast.dump(ast.parse("async def f():\n" + "\n".join(wrapped)))
    assert before == after


def test_a_line_that_cannot_fit_is_not_wrapped():
    assert wrap_line('    x = "a string far too long to fit in forty characters"', 40) is None


SOURCE = '''def copy_rows(rows, wanted_names_list_long):
    out = []
    for row in rows:
        if row.name in wanted_names_list_long:
            out.append(row.value)
    return out
'''


def test_fix_respects_line_length():
    fixed = fix_text(SOURCE, Config(select=("HS301",), preview=True, line_length=60), unsafe=True).text
    assert "out = [" in fixed and all(len(line) <= 60 for line in fixed.splitlines())
    unlimited = fix_text(SOURCE, Config(select=("HS301",), preview=True), unsafe=True).text
    assert "out = [row.value for row in rows if row.name in wanted_names_list_long]" in unlimited


def test_fix_dropped_when_it_cannot_fit():
    from hasten.analyzers.finding import Applicability, Edit, Fix
    from hasten.analyzers.source import Source
    from hasten.analyzers.wrapping import fit_fix

    source = Source("def f():\n    return 1\n")
    start = source.text.index("1")
    long_string = Fix("t", (Edit(start, start + 1, '"' + "x" * 40 + '"'),), Applicability.SAFE)
    assert fit_fix(source, long_string, 30) is None
    call = Fix("t", (Edit(start, start + 1, "compute(first_value, second_value)"),), Applicability.SAFE)
    fitted = fit_fix(source, call, 30)
    assert fitted is not None and "compute(\n" in fitted.edits[0].content


def test_line_length_is_read_from_ruff_or_black(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.black]\nline-length = 100\n', encoding="utf-8")
    assert find_line_length(tmp_path / "m.py") == 100
    (tmp_path / "ruff.toml").write_text("line-length = 79\n", encoding="utf-8")
    assert find_line_length(tmp_path / "m.py") == 79
    assert load_config(tmp_path / "m.py")[0].line_length == 79
