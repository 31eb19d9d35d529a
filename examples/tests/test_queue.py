from shop import queue
from shop.models import Order, OrderLine


def _orders(n):
    return [Order(i, "c", [OrderLine("A", 1 + i % 3, 1.0)]) for i in range(n)]


def test_fulfil_stops_at_capacity():
    shipped, waiting = queue.fulfil(_orders(5), capacity=5)
    assert shipped == [0, 1]
    assert waiting == [2, 3, 4]


def test_fulfil_large_day():
    orders = _orders(20000)
    shipped, waiting = queue.fulfil(orders, capacity=30000)
    assert len(shipped) + len(waiting) == 20000
    assert shipped == list(range(len(shipped)))


def test_batches():
    assert queue.batches([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    assert sum(len(b) for b in queue.batches(list(range(10000)), 7)) == 10000
