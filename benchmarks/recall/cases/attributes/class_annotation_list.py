# recall case: class-level annotation `keys: list[str]` set in `__init__`, scanned in a comprehension
# expect: HS101@12 "if k in self.keys"


class Projection:
    keys: list[str]

    def __init__(self, keys):
        self.keys = list(keys)

    def apply(self, record: dict):
        return {k: v for k, v in record.items() if k in self.keys}
