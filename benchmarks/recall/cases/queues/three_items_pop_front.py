# recall case: `pop(0)` draining a three-item list built once
# expect: silent
# why: three pops in all; the list never grows, so the cost is constant.


def header_fields(line):
    parts = line.split(",", 2)
    name = parts.pop(0)
    kind = parts.pop(0)
    rest = parts.pop(0) if parts else ""
    return name, kind, rest


def fixed_steps():
    steps = ["fetch", "build", "deploy"]
    done = []
    while steps:
        done.append(steps.pop(0).upper())
    return done
