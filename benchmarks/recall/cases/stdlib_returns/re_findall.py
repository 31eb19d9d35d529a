# recall case: `re.findall()` result scanned for every candidate
# expect: HS101@10 "if ident in used"
import re


def unused(identifiers, source):
    used = re.findall(r"[A-Za-z_]\w*", source)
    result = 0
    for ident in identifiers:
        if ident in used:
            continue
        result += 1
    return result
