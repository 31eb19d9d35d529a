# recall case: `Mapping[str, str]` parameter used with `in`
# expect: silent
# why: a Mapping's `in` is a key lookup; every common implementation hashes.
from collections.abc import Mapping


def translate(words, table: Mapping[str, str]):
    return [table[w] if w in table else w for w in words]
