"""HS107 nested-loop-join: comparing every pair vs indexing one side in a dict."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    orders = [{"id": i, "customer": (i * 31) % n} for i in range(n)]
    customers = [{"id": i, "name": f"c{i}"} for i in range(n)]
    return orders, customers


def slow(orders, customers):
    out = []
    for order in orders:
        for customer in customers:
            if order["customer"] == customer["id"]:
                out.append((order["id"], customer["name"]))
    return out


def fast(orders, customers):
    by_id = {}
    for customer in customers:
        by_id.setdefault(customer["id"], []).append(customer)
    out = []
    for order in orders:
        for customer in by_id.get(order["customer"], ()):
            out.append((order["id"], customer["name"]))
    return out


BENCHES = [
    Bench("HS107", "join", setup, slow, fast, description="join n orders to n customers: nested loops vs a dict index"),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
