# recall case: `frozenset[str]` parameter named like a list
# expect: silent
# why: frozenset membership is O(1).


def public(names, hidden_names: frozenset[str]):
    return [n for n in names if n not in hidden_names]
