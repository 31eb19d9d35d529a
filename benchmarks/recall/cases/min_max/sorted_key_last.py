# recall case: `sorted(x, key=...)[-1]` in a method
# expect: HS304@10 "sorted(self.bids, key=lambda b: b.amount)[-1]"


class Auction:
    def __init__(self, bids):
        self.bids = bids

    def winner(self):
        return sorted(self.bids, key=lambda b: b.amount)[-1]
