"""Exact position conversions: UTF-8 bytes <-> LSP (UTF-16) <-> CLI (1-based code points)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hasten.analyzers.source import Position, Source


def test_ascii_positions():
    src = Source("a = 1\nbb = 2\n")
    assert src.byte_to_lsp(0) == Position(0, 0)
    assert src.byte_to_lsp(6) == Position(1, 0)
    assert src.byte_to_lsp(8) == Position(1, 2)
    assert src.lsp_to_byte(1, 2) == 8
    assert src.byte_to_cli(8) == (2, 3)


def test_non_ascii_and_astral():
    text = "s = 'é😀x'\n"
    src = Source(text)
    x_byte = text.encode().index(b"x")
    # 'é' is 2 bytes, 1 UTF-16 unit; '😀' is 4 bytes, 2 UTF-16 units.
    assert src.byte_to_lsp(x_byte) == Position(0, 5 + 1 + 2)
    assert src.lsp_to_byte(0, 8) == x_byte
    assert src.byte_to_cli(x_byte) == (1, 8)
    # A position inside a surrogate pair snaps to the start of the character.
    emoji = text.encode().index("😀".encode())
    assert src.lsp_to_byte(0, 7) == emoji


def test_crlf_and_lone_cr_are_line_breaks():
    src = Source("a\r\nb\rc\nd")
    assert src.line_count == 4
    assert src.byte_to_lsp(3) == Position(1, 0)
    assert src.byte_to_lsp(5) == Position(2, 0)
    assert src.byte_to_lsp(7) == Position(3, 0)
    assert src.line_text(0) == "a"
    assert src.line_end(0) == 1
    assert src.newline == "\r\n"


def test_tabs_count_as_one_character():
    src = Source("\tx = 1\n")
    assert src.byte_to_lsp(1) == Position(0, 1)
    assert src.byte_to_cli(1) == (1, 2)


def test_out_of_range_positions_clamp():
    src = Source("ab\ncd\n")
    assert src.lsp_to_byte(0, 99) == 2
    assert src.lsp_to_byte(99, 0) == len(src.data)
    assert src.lsp_to_byte(-1, 0) == 0
    assert src.byte_to_lsp(10_000) == Position(2, 0)


def test_ts_point_counts_the_rows_of_the_tree_lone_cr_included():
    src = Source("a\rb\nc\r\nd")
    assert src.ts_point(4) == (2, 0)
    assert src.ts_point(2) == (1, 0)
    assert src.ts_point(1) == (0, 1)
    assert src.ts_point(6) == (2, 2)  # between the \r and the \n of a \r\n: still on row 2
    assert src.ts_point(7) == (3, 0)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n\r") + ["é"]), max_size=30), st.data())
def test_ts_point_matches_the_parsed_tree(text, data):
    """Every front end parses ``for_parsing(data)``; ``ts_point`` gives that text's points."""
    from hasten.analyzers.source import for_parsing

    raw = text.encode()
    parsed = for_parsing(raw)
    offset = data.draw(st.integers(0, len(raw)))
    before = parsed[:offset]
    expected = (before.count(b"\n"), offset - (before.rfind(b"\n") + 1))
    assert Source(text).ts_point(offset) == expected


def test_syntax_errors_are_listed():
    src = Source("def f(:\n    pass\n\nx = [1, 2\n")
    assert src.has_syntax_errors
    assert src.syntax_error_nodes()


text_strategy = st.text(
    alphabet=st.sampled_from(list("ab \t\n\r") + ["é", "😀", "中", "\x00"]), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_roundtrip_every_character_boundary(text):
    src = Source(text)
    offset = 0
    previous = ""
    for ch in text:
        if not (previous == "\r" and ch == "\n"):  # inside a CRLF is not a position
            pos = src.byte_to_lsp(offset)
            assert src.lsp_to_byte(pos.line, pos.character) == offset
        offset += len(ch.encode("utf-8"))
        previous = ch
    end = src.byte_to_lsp(len(src.data))
    assert src.lsp_to_byte(end.line, end.character) == len(src.data)
