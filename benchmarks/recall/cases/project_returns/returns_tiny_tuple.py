# recall case: helper returning a 3-element literal tuple
# expect: silent
# why: scanning three items is as cheap as hashing; the size never grows.


def weekend():
    return ("sat", "sun", "holiday")


def workdays(days):
    off = weekend()
    return [d for d in days if d not in off]
