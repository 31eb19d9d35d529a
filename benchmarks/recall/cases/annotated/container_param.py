# recall case: `Container[int]` parameter
# expect: silent
# why: Container only promises `__contains__`; the concrete type (range, set, ...) is unknown.
from typing import Container


def inside(values, region: Container[int]):
    return [v for v in values if v in region]
