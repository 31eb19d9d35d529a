# recall case: list parameter converted to a set before the loop
# expect: silent
# why: the membership test runs on `wanted_set`, a set built once.


def pick(ids, wanted: list[int]):
    wanted_set = set(wanted)
    return [x for x in ids if x in wanted_set]
