"""HS108 quadratic-concatenation-in-loop: ``acc = acc + [x]`` vs in place; tuple/bytes growth."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return (list(range(n)),)


def slow_list(xs):
    acc = []
    for x in xs:
        acc = acc + [x]
    return acc


def fast_list(xs):
    acc = []
    for x in xs:
        acc += [x]
    return acc


def slow_tuple(xs):
    acc = ()
    for x in xs:
        acc += (x,)
    return acc


def fast_tuple(xs):
    acc = []
    for x in xs:
        acc.append(x)
    return tuple(acc)


def setup_bytes(n):
    return ([bytes([i % 256]) * 8 for i in range(n)],)


def slow_bytes(chunks):
    data = b""
    for chunk in chunks:
        data += chunk
    return data


def fast_bytes(chunks):
    parts = []
    for chunk in chunks:
        parts.append(chunk)
    return b"".join(parts)


BENCHES = [
    Bench("HS108", "list-concat", setup, slow_list, fast_list, description="grow a list of n items: acc = acc + [x] vs acc += [x]"),
    Bench("HS108", "tuple-concat", setup, slow_tuple, fast_tuple, description="grow a tuple of n items: += (x,) vs a list and tuple()"),
    Bench("HS108", "bytes-concat", setup_bytes, slow_bytes, fast_bytes, description="n 8-byte chunks: bytes += vs b''.join"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
