# recall case: `self.names` starts as a list but `freeze()` turns it into a set
# expect: silent
# why: the attribute holds a list or a set depending on call order; the type is not provable, so no finding (and after freeze() the test is O(1)).


class Names:
    def __init__(self):
        self.names = []

    def add(self, name):
        self.names.append(name)

    def freeze(self):
        self.names = set(self.names)

    def known(self, candidates):
        return [c for c in candidates if c in self.names]
