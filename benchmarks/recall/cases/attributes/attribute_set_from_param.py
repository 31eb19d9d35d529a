# recall case: attribute assigned `set(...)` of a list argument
# expect: silent
# why: the attribute is a set.


class Filter:
    def __init__(self, words):
        self.words = set(words)

    def apply(self, tokens):
        return [t for t in tokens if t not in self.words]
