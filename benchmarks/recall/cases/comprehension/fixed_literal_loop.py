# recall case: append loop over a two-item literal
# expect: silent
# why: loops over a literal's few items are left alone (HS301 design).


def bounds(box):
    out = []
    for side in ("left", "right"):
        out.append(getattr(box, side))
    return out
