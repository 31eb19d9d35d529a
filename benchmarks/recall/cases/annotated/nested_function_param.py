# recall case: nested function with an annotated list parameter, called per batch
# expect: HS101@7 "if r.key not in existing"


def sync(batches):
    def new_records(records, existing: list[str]):
        return [r for r in records if r.key not in existing]

    total = 0
    for batch in batches:
        total += len(new_records(batch.records, batch.keys))
    return total
