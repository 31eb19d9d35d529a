# recall case: `self.visited = []` in `__init__`, appended by one method, scanned by another in a loop
# expect: HS101@15 "if page in self.visited"


class Crawler:
    def __init__(self):
        self.visited = []

    def mark(self, page):
        self.visited.append(page)

    def unvisited(self, pages):
        left = 0
        for page in pages:
            if page in self.visited:
                continue
            left += 1
        return left
