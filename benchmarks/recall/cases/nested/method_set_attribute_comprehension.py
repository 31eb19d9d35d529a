# recall case: method with a comprehension testing membership in a set attribute
# expect: silent
# why: `self.header` is a set.


class Table:
    def __init__(self, text):
        self.header = set(text.splitlines()[0].split(","))

    def columns_present(self, wanted):
        return [[c for c in group if c in self.header] for group in wanted]
