# recall case: `m.groups()` is a small tuple of a fixed pattern's groups
# expect: silent
# why: the tuple has as many items as the pattern has groups (three), whatever the data.
import re


ID_PATTERN = re.compile(r"(\w+)-(\w+)-(\w+)")


def has_part(lines, part):
    hits = 0
    for line in lines:
        m = ID_PATTERN.fullmatch(line)
        if m and part in m.groups():
            hits += 1
    return hits
