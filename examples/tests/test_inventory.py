import copy

import pytest

from shop import inventory
from shop.models import Order, OrderLine, Product


def test_unknown_skus_small():
    catalog = [Product("A", "a", 1.0), Product("B", "b", 2.0)]
    orders = [Order(1, "x", [OrderLine("A", 1, 1.0), OrderLine("Z", 1, 1.0)]), Order(2, "y", [OrderLine("Z", 2, 1.0), OrderLine("Y", 1, 1.0)])]
    assert inventory.unknown_skus(orders, catalog) == ["Z", "Y"]


def test_unknown_skus_large(catalog, orders):
    missing = inventory.unknown_skus(orders, catalog)
    assert missing and all(sku.startswith("GONE-") for sku in missing)
    assert len(missing) == len(set(missing))


def test_low_stock():
    stock = {f"S{i}": i % 10 for i in range(3000)}
    flagged = inventory.low_stock(stock, threshold=2)
    assert len(flagged) == 900
    assert flagged == sorted(flagged)


def test_cheapest_price(catalog):
    assert inventory.cheapest_price(catalog) == min(p.price for p in catalog)
    assert inventory.cheapest_price([Product("A", "a", 3.5)]) == 3.5


def test_all_tags(catalog):
    tags = inventory.all_tags(catalog[:400])
    assert len(tags) == 800
    assert inventory.all_tags([]) == []


def test_reserve_takes_stock():
    catalog = [Product("A", "a", 1.0, stock=5), Product("B", "b", 1.0, stock=1)]
    left = inventory.reserve(catalog, Order(1, "x", [OrderLine("A", 2, 1.0)]))
    assert left == {"A": 3, "B": 1}
    with pytest.raises(ValueError, match="not enough B"):
        inventory.reserve(copy.deepcopy(catalog), Order(2, "x", [OrderLine("B", 2, 1.0)]))
