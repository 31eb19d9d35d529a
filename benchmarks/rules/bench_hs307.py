"""HS307 set-add-in-loop: set.add in a loop vs set.update / set() / a set comprehension."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow(tags):
    seen = {-1}
    for tag in tags:
        seen.add(tag)
    return seen


def fast(tags):
    seen = {-1}
    seen.update(tags)
    return seen


def slow_fresh(tags):
    seen = set()
    for tag in tags:
        seen.add(tag)
    return seen


def fast_fresh(tags):
    seen = set(tags)
    return seen


def slow_expr(tags):
    seen = set()
    for tag in tags:
        seen.add(tag * 2)
    return seen


def fast_expr(tags):
    seen = {tag * 2 for tag in tags}
    return seen


BENCHES = [
    Bench("HS307", "add loop vs update()", setup, slow, fast, description="add n items to an existing set"),
    Bench("HS307", "add loop vs set()", setup, slow_fresh, fast_fresh, description="copy n items into a new set"),
    Bench("HS307", "add loop vs set comprehension", setup, slow_expr, fast_expr,
          description="add n computed items to a new set"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
