# recall case: linear search with `==` that returns on the first hit
# expect: silent
# why: one pass over the data, no repeated scan.


def find(items, key):
    for item in items:
        if item.key == key:
            return item
    return None
