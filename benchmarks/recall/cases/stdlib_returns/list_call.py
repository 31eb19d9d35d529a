# recall case: `list(...)` of an iterator, scanned in a loop
# expect: HS101@9 "if node in leaves"


def count_leaves(nodes, tree):
    leaves = list(filter(tree.is_leaf, tree.nodes()))
    n = 0
    for node in nodes:
        if node in leaves:
            n += 1
    return n
