# recall case: CSV text built cell by cell in nested loops
# expect: HS103@9 "out += str(cell) + ","


def to_csv(table):
    out = ""
    for row in table:
        for cell in row:
            out += str(cell) + ","
        out = out[:-1] + "\n"
    return out
