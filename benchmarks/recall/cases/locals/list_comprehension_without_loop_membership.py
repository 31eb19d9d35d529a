# recall case: list built and tested once after the loop
# expect: silent
# why: the membership test is outside the loop.


def check_all(items, target):
    names = [i.name for i in items]
    return target in names
