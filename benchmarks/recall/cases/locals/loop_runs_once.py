# recall case: list membership inside a loop over a single-item literal
# expect: silent
# why: the loop body runs once; hoisting a set would cost a pass over the list for one test.


def check(user, rules):
    allowed = [r.name for r in rules]
    for role in (user.role,):
        if role in allowed:
            return True
    return False
