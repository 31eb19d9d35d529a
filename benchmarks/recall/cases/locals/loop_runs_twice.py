# recall case: membership in a list inside a loop over a two-item literal
# expect: silent
# why: two iterations: building a set costs as much as the two scans it saves.


def has_either(text_lines, keywords):
    words = [w.lower() for w in keywords]
    for candidate in ("yes", "true"):
        if candidate in words:
            return True
    return False
