# recall case: `Iterable[str]` parameter turned into a set before the loop
# expect: silent
# why: the code already builds a set once; membership in the loop is O(1).
from collections.abc import Iterable


def known(words, vocab: Iterable[str]):
    vocab_set = set(vocab)
    return [w for w in words if w in vocab_set]
