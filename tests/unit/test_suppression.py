from __future__ import annotations

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config
from hasten.analyzers.source import Source
from hasten.analyzers.suppression import ALL, parse_comment

SLOW = """def f(events, users):
    names = [u.name for u in users]
    return [e for e in events if e in names]{comment}
"""


def findings(comment: str) -> list[str]:
    src = Source(SLOW.format(comment=comment))
    return [f.code for f in check(src, Config(select=("HS101",))).findings]


def test_parse_comment_forms():
    assert parse_comment("# noqa") == {ALL}
    assert parse_comment("# noqa: HS101, HS102") == {"HS101", "HS102"}
    assert parse_comment("# NOQA:HS101 HS102") == {"HS101", "HS102"}
    assert parse_comment("# hasten: ignore[HS101]") == {"HS101"}
    assert parse_comment("# hasten: ignore") == {ALL}
    assert parse_comment("# nothing here") is None


def test_unsuppressed_finding():
    assert findings("") == ["HS101"]


def test_bare_noqa_suppresses_all():
    assert findings("  # noqa") == []


def test_noqa_with_code():
    assert findings("  # noqa: HS101") == []
    assert findings("  # noqa: HS999") == ["HS101"]


def test_hasten_ignore():
    assert findings("  # hasten: ignore[HS101]") == []
    assert findings("  # hasten: ignore[HS102]") == ["HS101"]


def test_suppressed_count_reported():
    src = Source(SLOW.format(comment="  # noqa"))
    result = check(src, Config(select=("HS101",)))
    assert result.suppressed == 1
