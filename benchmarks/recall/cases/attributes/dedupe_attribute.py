# recall case: dedupe with a list attribute (the Registry example)
# expect: HS115@11 "if it not in self.names"


class Registry:
    def __init__(self):
        self.names = []

    def add_all(self, items):
        for it in items:
            if it not in self.names:
                self.names.append(it)
