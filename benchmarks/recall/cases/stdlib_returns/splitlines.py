# recall case: `str.splitlines()` result scanned inside a while loop
# expect: HS101@9 "while candidate in taken"


def unique_name(base, listing):
    taken = listing.splitlines()
    candidate = base
    i = 1
    while candidate in taken:
        candidate = f"{base}-{i}"
        i += 1
    return candidate
