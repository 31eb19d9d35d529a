# recall case: NumPy array updated with `+=` in a loop
# expect: silent
# why: in-place array arithmetic, not string building.
import numpy as np


def smooth(signal, passes):
    out = np.asarray(signal, dtype=float)
    for _ in range(passes):
        out += 0.5 * (np.roll(out, 1) - out)
    return out
