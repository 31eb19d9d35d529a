# recall case: `sum(nested, [])` on an annotated list of lists
# expect: HS104@6 "sum(matrix, [])"


def cells(matrix: list[list[int]]) -> list[int]:
    return sum(matrix, [])
