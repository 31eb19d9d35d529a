import random

import pytest

from shop.models import Order, OrderLine, Product


def make_catalog(n: int, seed: int = 7) -> list[Product]:
    rng = random.Random(seed)
    tags = ["garden", "kitchen", "outdoor", "tools", "sale", "new", "eco"]
    return [
        Product(f"SKU-{i:05d}", f"Product {i}", round(rng.uniform(1, 200), 2), rng.randint(0, 40), rng.sample(tags, 2))
        for i in range(n)
    ]


def make_orders(n: int, catalog: list[Product], unknown_every: int = 0, seed: int = 11) -> list[Order]:
    rng = random.Random(seed)
    customers = [f"customer-{i}" for i in range(max(1, n // 3))]
    orders = []
    for i in range(n):
        lines = []
        for j in range(rng.randint(1, 3)):
            if unknown_every and (i * 3 + j) % unknown_every == 0:
                sku = f"GONE-{i:05d}-{j}"
            else:
                sku = rng.choice(catalog).sku
            lines.append(OrderLine(sku, rng.randint(1, 4), round(rng.uniform(1, 200), 2)))
        orders.append(Order(i, rng.choice(customers), lines))
    return orders


@pytest.fixture(scope="session")
def catalog():
    return make_catalog(2000)


@pytest.fixture
def orders(catalog):
    return make_orders(700, catalog, unknown_every=50)
