# recall case: parameter annotated `set[str]` with a list-like name
# expect: silent
# why: `allowed_list` is annotated `set[str]`: membership is a hash lookup, O(1).


def keep(items, allowed_list: set[str]):
    return [x for x in items if x in allowed_list]
