# recall case: membership inside `any()` over a generator, per request
# expect: HS101@9 "h in blocked"


def any_blocked(requests, rules):
    blocked = [r.host for r in rules]
    flagged = 0
    for req in requests:
        if any(h in blocked for h in req.hops):
            flagged += 1
    return flagged
