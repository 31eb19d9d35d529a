# recall case: `self.seen_list = set()` in `__init__` (list-like name, set value)
# expect: silent
# why: the attribute is only ever a set.


class Dedup:
    def __init__(self):
        self.seen_list = set()

    def new_items(self, items):
        fresh = [x for x in items if x not in self.seen_list]
        self.seen_list.update(fresh)
        return fresh
