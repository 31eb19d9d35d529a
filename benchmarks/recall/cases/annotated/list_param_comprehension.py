# recall case: parameter annotated `list[int]`, membership in a comprehension filter
# expect: HS101@6 "if x in wanted"


def pick(ids, wanted: list[int]):
    return [x for x in ids if x in wanted]
