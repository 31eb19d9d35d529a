# recall case: `self.index = {}` dict attribute used with `in`
# expect: silent
# why: dict membership is a hash lookup.


class Cache:
    def __init__(self):
        self.index = {}

    def missing(self, keys):
        return [k for k in keys if k not in self.index]
