"""Stock keeping: what we sell, what is running low, what an order cannot be filled from."""

from __future__ import annotations

from shop.models import Order, Product


def unknown_skus(orders: list[Order], catalog: list[Product]) -> list[str]:
    """SKUs ordered that the catalog does not list, in order of first appearance."""
    known = [product.sku for product in catalog]
    missing = []
    for order in orders:
        for line in order.lines:
            if line.sku not in known and line.sku not in missing:
                missing.append(line.sku)
    return missing


def low_stock(stock: dict[str, int], threshold: int = 5) -> list[str]:
    """SKUs whose stock level is at or below ``threshold``, sorted."""
    flagged = []
    for sku, _ in stock.items():
        if stock[sku] <= threshold:
            flagged.append(sku)
    return sorted(flagged)


def cheapest_price(catalog: list[Product]) -> float:
    """The lowest price in the catalog."""
    prices = [product.price for product in catalog]
    return sorted(prices)[0]


def all_tags(catalog: list[Product]) -> list[str]:
    """Every tag used in the catalog, duplicates included, in catalog order."""
    return sum([product.tags for product in catalog], [])


def reserve(catalog: list[Product], order: Order) -> dict[str, int]:
    """Take an order's quantities out of stock; return what is left per SKU."""
    by_sku = {product.sku: product for product in catalog}
    for line in order.lines:
        product = by_sku[line.sku]
        if product.stock < line.quantity:
            raise ValueError(f"not enough {line.sku}: {product.stock} left, {line.quantity} ordered")
        product.stock -= line.quantity
    return {sku: product.stock for sku, product in by_sku.items()}
