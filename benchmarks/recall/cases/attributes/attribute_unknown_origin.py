# recall case: attribute assigned from a constructor argument of unknown type
# expect: silent
# why: `self.allowed` holds whatever the caller passed (often a set); the type is unknown.


class Gate:
    def __init__(self, allowed):
        self.allowed = allowed

    def admit(self, people):
        return [p for p in people if p in self.allowed]
