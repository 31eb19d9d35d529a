# recall case: parameter annotated `List[str]`, `not in` inside a for loop
# expect: HS101@9 "if name not in known"
from typing import List


def unknown_names(names, known: List[str]):
    missing = 0
    for name in names:
        if name not in known:
            missing += 1
    return missing
