# recall case: local named `*_list` that is a set comprehension
# expect: silent
# why: the value is a set.


def valid(entries, rules):
    allowed_list = {r.value for r in rules}
    return [e for e in entries if e in allowed_list]
