# recall case: `sorted(x)[0]` in a function
# expect: HS304@6 "sorted(prices)[0]"


def cheapest(prices):
    return sorted(prices)[0]
