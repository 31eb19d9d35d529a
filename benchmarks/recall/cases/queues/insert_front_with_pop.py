# recall case: `insert(0, x)` into a list that is also popped: a deque used backwards
# expect: HS102@8 "history.insert(0, event)"


def recent(events, limit):
    history = []
    for event in events:
        history.insert(0, event)
        if len(history) > limit:
            history.pop()
    return history
