# recall case: `self.order.index(x)` on a list attribute inside a loop
# expect: HS105@12 "self.order.index(item)"


class Ranking:
    def __init__(self, order):
        self.order = list(order)

    def positions(self, items):
        result = {}
        for item in items:
            result[item] = self.order.index(item)
        return result
