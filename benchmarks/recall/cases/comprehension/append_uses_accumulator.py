# recall case: each appended value depends on the previous one (running total)
# expect: silent
# why: the body also updates `running`; a comprehension cannot carry the state without a walrus trick.


def prefix_sums(values):
    out = []
    running = 0
    for v in values:
        running += v
        out.append(running)
    return out
