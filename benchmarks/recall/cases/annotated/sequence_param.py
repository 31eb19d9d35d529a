# recall case: `Sequence[str]` parameter: `in` is a linear scan for every Sequence of str (list, tuple, str itself)
# expect: HS101@11 "if ext in allowed_exts"
from collections.abc import Sequence


def filter_paths(paths, allowed_exts: Sequence[str]):
    out = [p for p in paths if p.suffix in allowed_exts]
    kept = 0
    for p in paths:
        ext = p.suffix.lower()
        if ext in allowed_exts:
            kept += 1
    return out, kept
