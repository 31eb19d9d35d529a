# recall case: closure testing membership in an enclosing set, in a loop
# expect: silent
# why: the enclosing value is a set.


def validate_all(batches, choices):
    allowed = {c.strip().lower() for c in choices}

    def bad_values(batch):
        return sum(1 for value in batch if value not in allowed)

    return [bad_values(b) for b in batches]
