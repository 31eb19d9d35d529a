# recall case: `.readlines()` result scanned for every record
# expect: HS101@10 "if rec.id not in excluded"


def filter_records(records, exclude_path):
    with open(exclude_path) as fh:
        excluded = fh.readlines()
    kept = 0
    for rec in records:
        if rec.id not in excluded:
            kept += 1
    return kept
