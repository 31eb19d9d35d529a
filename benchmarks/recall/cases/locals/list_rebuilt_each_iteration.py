# recall case: list rebuilt inside the loop before being tested
# expect: silent
# why: the list changes on every iteration, so a set hoisted before the loop would be stale; a per-iteration set costs as much as the scan.


def survivors(rounds, players):
    alive = [p for p in players if p.active]
    for r in rounds:
        alive = [p for p in alive if p != r.loser]
        if r.winner in alive:
            r.winner.score += 1
    return alive
