# recall case: `str.split()` result tested once, not in a loop
# expect: silent
# why: one membership test.


def has_flag(header, flag):
    parts = header.split(";")
    return flag in parts
