# recall case: list attribute tested once per call, not in a loop
# expect: silent
# why: one scan per call; no loop repeats it.


class Roles:
    def __init__(self):
        self.admins = ["root"]

    def is_admin(self, user):
        return user in self.admins
