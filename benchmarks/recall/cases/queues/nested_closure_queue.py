# recall case: nested helper function doing a BFS over a tree
# expect: HS102@10 "current, depth = todo.pop(0)"


def tree_levels(root):
    def walk(node):
        todo = [(node, 0)]
        levels = {}
        while len(todo) > 0:
            current, depth = todo.pop(0)
            levels.setdefault(depth, []).append(current.value)
            todo.extend((child, depth + 1) for child in current.children)
        return levels

    return walk(root)
