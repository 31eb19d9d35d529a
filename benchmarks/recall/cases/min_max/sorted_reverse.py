# recall case: `sorted(..., reverse=True)[0]` in a loop body
# expect: HS304@8 "sorted(s.values(), reverse=True)[0]"


def best_per_student(students):
    best = {}
    for name, s in students.items():
        best[name] = sorted(s.values(), reverse=True)[0]
    return best
