# recall case: list comprehension built in the function, scanned in a loop (the shape the rules already prove)
# expect: HS101@9 "if e.user in names"


def known_events(events, users):
    names = [u.name for u in users]
    kept = 0
    for e in events:
        if e.user in names:
            kept += 1
    return kept
