# recall case: `sum(generator, start=[])`
# expect: HS104@6 "start=[]"


def flatten(groups):
    return sum((list(g) for g in groups), start=[])
