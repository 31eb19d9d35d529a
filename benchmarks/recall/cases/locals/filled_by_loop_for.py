# recall case: list from `map`, scanned per row in nested loops
# expect: HS101@10 "if cell in seen_values"


def mark(grid, values):
    seen_values = list(map(str, values))
    marks = 0
    for row in grid:
        for cell in row:
            if cell in seen_values:
                marks += 1
    return marks
