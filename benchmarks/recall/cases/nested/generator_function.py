# recall case: generator function filtering by a list parameter annotated `list[str]`
# expect: HS101@8 "if rec["id"] in ids"
from typing import Iterator


def select(records, ids: list[str]) -> Iterator[dict]:
    for rec in records:
        if rec["id"] in ids:
            yield rec
