# recall case: `Collection[str]` parameter: the concrete type is unknown and often a set
# expect: silent
# why: ground truth is unknown for Collection (sets are Collections); a finding would guess, so it must stay silent.
from collections.abc import Collection


def filter_known(words, vocab: Collection[str]):
    return [w for w in words if w in vocab]
