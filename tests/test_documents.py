"""The server's document model: exact positions, incremental line index, tree edits that agree
with a fresh parse, and per-function cached analysis that agrees with a whole-file check."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config, ModelConfig
from hasten.analyzers.incremental import IncrementalChecker
from hasten.analyzers.source import (
    UTF8,
    UTF16,
    UTF32,
    Source,
    line_starts,
    offset_of,
    for_parsing,
    parse_bytes,
    position_of,
    splice_line_starts,
)
from hasten.server.lsp.worker import Worker
from hasten.server.lsp.documents import Document

from e2e.lsp_helpers import position_in  # tests/ is on sys.path (rootdir-relative imports)

FIXTURES = Path(__file__).parent / "fixtures" / "rules"

# Text that stresses positions: multi-byte and astral characters, every line ending, tabs, NUL.
PIECES = ["a", "x", " ", "\t", "\n", "\r\n", "\r", "é", "ß", "中", "😀", "𝔘", "\x00", "#", "(", ")", ":", "def ", "    ", "'", '"""', "\\"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
ENCODINGS = [UTF8, UTF16, UTF32]


def node_list(tree) -> list[tuple]:
    out = []
    cursor = tree.walk()
    visited = False
    while True:
        if not visited:
            n = cursor.node
            out.append((n.type, n.start_byte, n.end_byte, tuple(n.start_point), tuple(n.end_point), n.is_missing))
            if cursor.goto_first_child():
                continue
        if cursor.goto_next_sibling():
            visited = False
        elif cursor.goto_parent():
            visited = True
        else:
            return out


@given(texts, st.integers(-2, 50), st.integers(-3, 80))
def test_utf16_positions_match_source(text, line, character):
    source = Source(text)
    data, starts = source.data, source.line_starts
    assert starts == line_starts(data)
    assert offset_of(data, starts, line, character, UTF16) == source.lsp_to_byte(line, character)


@given(texts, st.integers(0, 200))
def test_offsets_round_trip_in_every_encoding(text, raw):
    data = text.encode("utf-8", "surrogatepass")
    starts = line_starts(data)
    index = min(raw, len(text))
    if 0 < index < len(text) and text[index - 1] == "\r" and text[index] == "\n":
        index -= 1  # no position lies inside a CRLF
    offset = len(text[:index].encode("utf-8", "surrogatepass"))
    for encoding in ENCODINGS:
        expected = position_in(text, index, encoding)
        assert position_of(data, starts, offset, encoding) == (expected.line, expected.character)
        assert offset_of(data, starts, expected.line, expected.character, encoding) == offset
        source_pos = Source(text).byte_to_lsp(offset)
        if encoding == UTF16:
            assert (source_pos.line, source_pos.character) == (expected.line, expected.character)


def test_clamping_and_snapping():
    text = "a😀b\r\nxy"
    data = text.encode()
    starts = line_starts(data)
    assert offset_of(data, starts, 0, 2, UTF16) == 1  # inside the surrogate pair: snap to its start
    assert offset_of(data, starts, 0, 99, UTF16) == len("a😀b".encode())  # past the line end
    assert offset_of(data, starts, 9, 0, UTF16) == len(data)  # past the last line
    assert offset_of(data, starts, 0, 3, UTF8) == 1  # inside a UTF-8 sequence
    assert position_of(data, starts, 3, UTF16) == (0, 1)  # mid-character byte offsets snap back
    assert position_of(data, starts, 10**6, UTF32) == (1, 2)


@given(texts, texts, st.integers(0, 60), st.integers(0, 60))
def test_splice_line_starts(before, inserted, a, b):
    old = before.encode("utf-8", "surrogatepass")
    s, e = sorted((min(a, len(old)), min(b, len(old))))
    new = old[:s] + inserted.encode("utf-8", "surrogatepass") + old[e:]
    got = splice_line_starts(line_starts(old), new, s, e, s + len(inserted.encode("utf-8", "surrogatepass")))
    assert got == line_starts(new)


def _random_edit(rng: random.Random, text: str, pieces: list[str]) -> tuple[int, int, str]:
    def boundary(i: int) -> int:
        if 0 < i < len(text) and text[i - 1] == "\r" and text[i] == "\n":
            return i - 1
        return i

    a = boundary(rng.randint(0, len(text)))
    b = boundary(min(len(text), a + rng.choice([0, 0, 1, 2, 5, 20])))
    new = "".join(rng.choice(pieces) for _ in range(rng.choice([0, 1, 1, 2, 4, 10])))
    return a, b, new


def _apply(doc: Document, text: str, edit: tuple[int, int, str], encoding: str) -> str:
    a, b, new = edit
    start = position_in(text, a, encoding)
    end = position_in(text, b, encoding)
    doc.apply_change((start.line, start.character), (end.line, end.character), new, (doc.version or 0) + 1, encoding)
    return text[:a] + new + text[b:]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.sampled_from(ENCODINGS), st.sampled_from(["", "def f(x):\n    return [y for y in x if y in L]\r\n", "é😀\r\n\tx = 1\r"]))
def test_incremental_edits_keep_text_and_tree_exact(seed, encoding, start_text):
    rng = random.Random(seed)
    worker = Worker()
    try:
        doc = Document.open("file:///t.py", start_text, 1)
        text = start_text
        for step in range(rng.randint(1, 12)):
            text = _apply(doc, text, _random_edit(rng, text, PIECES + ["if x in y:\n", "for a in b:\n    "]), encoding)
            assert doc.data == text.encode("utf-8", "surrogatepass")
            assert doc.line_starts == line_starts(doc.data)
            if rng.random() < 0.4 or step == 0:
                snap = worker.analyse(doc, Config())
                assert snap is not None
                assert snap.source.text == text
                assert node_list(doc.tree) == node_list(parse_bytes(for_parsing(doc.data)))
        worker.analyse(doc, Config())
        assert node_list(doc.tree) == node_list(parse_bytes(for_parsing(doc.data)))
    finally:
        worker.stop()


def _key(findings):
    return [(f.code, f.start, f.end, f.message, f.severity, f.fix) for f in findings]


CORPUS = sorted(FIXTURES.glob("*.py"))
SNIPPETS = [
    "\n", "    ", "x", "_set", "known", " in ", "for item in items:\n        ", "names = [a for a in b]\n",
    "def g(items):\n    seen = list(items)\n    for i in items:\n        if i in seen:\n            pass\n",
    "# noqa\n", "  # noqa: HS101", "(", ")", ":", "\r\n", "é", "😀",
]


# The model's findings depend on whether it has loaded yet (the server never waits for it), so
# these comparisons are about the rules.
NO_MODEL = Config(model=ModelConfig(enable=False))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_cached_analysis_equals_whole_file_check(path):
    """Random edits to each rule fixture: the per-function cache never changes the answer."""
    rng = random.Random(path.name)
    text = path.read_text(encoding="utf-8")
    checker = IncrementalChecker()
    lines = text.splitlines(keepends=True)
    for step in range(12):
        choice = rng.random()
        if choice < 0.3 and lines:  # move or duplicate a whole line (often a statement)
            line = rng.choice(lines)
            at = rng.randrange(len(lines) + 1)
            lines.insert(at, line)
            text = "".join(lines)
        elif choice < 0.45 and len(lines) > 3:
            del lines[rng.randrange(len(lines))]
            text = "".join(lines)
        else:
            a, b, new = _random_edit(rng, text, SNIPPETS)
            text = text[:a] + new + text[b:]
            lines = text.splitlines(keepends=True)
        source = Source(text, str(path))
        expected = check(source, NO_MODEL)
        got = checker.check(source, NO_MODEL)
        assert _key(got.findings) == _key(expected.findings), f"step {step}"
        again = checker.check(Source(text, str(path)), NO_MODEL)
        assert _key(again.findings) == _key(expected.findings)


def test_cached_analysis_equals_whole_file_check_on_a_large_module():
    """_pydecimal: 6,000 lines, classes of 3,000 lines checked method by method."""
    import _pydecimal

    text = Path(_pydecimal.__file__).read_text(encoding="utf-8")
    rng = random.Random(7)
    checker = IncrementalChecker()
    checker.check(Source(text))
    lines = text.splitlines(keepends=True)
    for step in range(6):
        at = rng.randrange(len(lines))
        if step % 2 == 0:  # a statement inside a method, at its indentation
            while not lines[at].startswith("        ") or lines[at].rstrip().endswith(("(", ",", "\\")):
                at = (at + 1) % len(lines)
            indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
            lines.insert(at, indent + rng.choice(["pass\n", "for q in seen:\n" + indent + "    if q in names: pass\n", "names = [a for a in b]\n"]))
        else:
            a, b, new = _random_edit(rng, lines[at], SNIPPETS)
            lines[at] = lines[at][:a] + new + lines[at][b:]
        source = Source("".join(lines))
        assert _key(checker.check(source, NO_MODEL).findings) == _key(check(Source("".join(lines)), NO_MODEL).findings), f"step {step}"


def test_cache_reuses_unchanged_functions():
    text = (FIXTURES / "HS101.py").read_text(encoding="utf-8")
    checker = IncrementalChecker()
    checker.check(Source(text))
    checker.check(Source(text))
    uncacheable = checker.checked  # findings whose fixes edit outside their function
    assert checker.reused > 5
    lines = text.splitlines(keepends=True)
    defs = [i for i, line in enumerate(lines) if line.startswith("def ")]
    target = defs[len(defs) // 2]
    lines.insert(target + 1, "    pass\n")
    edited = "".join(lines)
    got = checker.check(Source(edited))
    assert checker.checked <= uncacheable + 1
    assert _key(got.findings) == _key(check(Source(edited)).findings)


def test_sources_can_be_built_on_several_threads_at_once():
    """The analysis, verification and metrics threads all build Sources; each needs its own parser."""
    import threading

    text = "".join(p.read_text(encoding="utf-8") for p in CORPUS[:6])
    expected = node_list(parse_bytes(text.encode()))
    failures = []

    def run():
        for _ in range(15):
            if node_list(Source(text).tree) != expected:
                failures.append(1)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
