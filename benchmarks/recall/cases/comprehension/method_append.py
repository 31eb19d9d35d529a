# recall case: method building a list with an append loop
# expect: HS301@12 "names.append(u.display_name())"


class Team:
    def __init__(self, users):
        self.users = users

    def names(self):
        names = []
        for u in self.users:
            names.append(u.display_name())
        return names
