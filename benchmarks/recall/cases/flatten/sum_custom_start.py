# recall case: `sum(vectors, Vector())` with a user type
# expect: silent
# why: the start is not a list; the cost depends on the class.


class Vector:
    def __init__(self, x=0.0, y=0.0):
        self.x, self.y = x, y

    def __add__(self, other):
        return Vector(self.x + other.x, self.y + other.y)


def centroid(points):
    s = sum(points, Vector())
    return Vector(s.x / len(points), s.y / len(points))
