# recall case: flattening the children of every node inside a method
# expect: HS104@10 "sum(map(lambda n: n.children, self.nodes), [])"


class Forest:
    def __init__(self, nodes):
        self.nodes = nodes

    def grandchildren(self):
        return sum(map(lambda n: n.children, self.nodes), [])
