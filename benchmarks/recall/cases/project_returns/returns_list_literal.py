# recall case: project function whose return statement builds a list (the issue's `load()` example)
# expect: HS101@11 "if x in known"


def load():
    return [line.strip() for line in open("known.txt")]


def unknown(a):
    known = load()
    return [x for x in a if x in known]
