"""HS306 loop-builds-dict: filling an empty dict in a loop vs a dict comprehension.

The module-level case comes first: inside a function the two forms run at the same speed on
CPython 3.11, which the other cases show.
"""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ([(f"k{i}", i) for i in range(n)],)


def slow(pairs):
    table = {}
    for key, value in pairs:
        table[key] = value
    return table


def fast(pairs):
    table = {key: value for key, value in pairs}
    return table


def setup_objects(n):
    return (list(range(n)),)


def slow_computed(ids):
    index = {}
    for i in ids:
        index[i] = i * 2
    return index


def fast_computed(ids):
    index = {i: i * 2 for i in ids}
    return index


_MODULE_LOOP = compile("table = {}\nfor key, value in pairs:\n    table[key] = value\n", "<module>", "exec")
_MODULE_COMPREHENSION = compile("table = {key: value for key, value in pairs}\n", "<module>", "exec")


def setup_module(n):
    return ({"pairs": [(f"k{i}", i) for i in range(n)]},)


def slow_module(namespace):
    exec(_MODULE_LOOP, namespace)
    return namespace["table"]


def fast_module(namespace):
    exec(_MODULE_COMPREHENSION, namespace)
    return namespace["table"]


BENCHES = [
    Bench("HS306", "at module level", setup_module, slow_module, fast_module,
          description="the same pairs loop run as module-level code, where its variables are globals"),
    Bench("HS306", "pairs loop vs comprehension", setup, slow, fast, description="n key/value pairs into a dict"),
    Bench("HS306", "computed value", setup_objects, slow_computed, fast_computed,
          description="n keys with a computed value"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
