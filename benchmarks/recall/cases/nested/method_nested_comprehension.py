# recall case: method with a nested comprehension testing membership in a local split list
# expect: HS101@11 "if c in header"


class Table:
    def __init__(self, text):
        self.text = text

    def columns_present(self, wanted):
        header = self.text.splitlines()[0].split(",")
        return [[c for c in group if c in header] for group in wanted]
