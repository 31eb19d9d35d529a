# recall case: nested function looping over its argument and testing membership in the enclosing function's list
# expect: HS101@11 "if value in allowed"


def validate_all(batches, choices):
    allowed = [c.strip().lower() for c in choices]

    def bad_values(batch):
        bad = 0
        for value in batch:
            if value in allowed:
                continue
            bad += 1
        return bad

    return [bad_values(b) for b in batches]
