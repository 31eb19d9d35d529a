# recall case: `tuple[str, ...]` parameter of unbounded length scanned per row
# expect: HS101@8 "if row[0] in columns"


def select_rows(rows, columns: tuple[str, ...]):
    chosen = []
    for row in rows:
        if row[0] in columns:
            chosen.append(row)
            print("kept", row[0])
    return chosen
