import random

from ledger import books

N_MATCH = 10_000
N_SETTLE = 100_000
N_BLOCKED = 100_000
N_SMALLEST = 400_000


def test_unmatched():
    invoices = [{"ref": f"INV{i}"} for i in range(N_MATCH)]
    payments = [{"ref": f"INV{i * 2}"} for i in range(N_MATCH)]
    assert books.unmatched(payments, invoices) == N_MATCH // 2


def test_settle():
    assert books.settle(range(N_SETTLE)) == N_SETTLE * (N_SETTLE - 1) // 2


def test_blocked_entries():
    blocked = list(range(0, 600, 3))
    assert books.blocked_entries(range(N_BLOCKED), blocked) == len(blocked)


def test_smallest():
    amounts = [i / 100 for i in range(N_SMALLEST)]
    random.Random(0).shuffle(amounts)
    assert books.smallest(amounts) == 0.0


def test_weekend_days():
    assert books.weekend_days(["mon", "sat", "sun"]) == ["sat", "sun"]
