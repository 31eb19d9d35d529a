# recall case: membership in a literal tuple variable of three strings
# expect: silent
# why: a fixed three-item tuple: the scan is constant time.


def is_image(paths):
    exts = (".png", ".jpg", ".gif")
    return [p for p in paths if p.suffix in exts]
