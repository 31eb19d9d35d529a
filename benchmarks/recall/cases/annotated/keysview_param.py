# recall case: `KeysView[str]` parameter
# expect: silent
# why: a dict's keys view answers `in` by hash.
from collections.abc import KeysView


def overlap(words, keys: KeysView[str]):
    return [w for w in words if w in keys]
