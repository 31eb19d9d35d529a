# recall case: NumPy array parameter tested with `in`
# expect: silent
# why: the type is a NumPy array, not a list; `set(arr)` is not the fix and hashing array scalars changes semantics.
import numpy as np


def present(values, arr: np.ndarray):
    return [v for v in values if v in arr]
