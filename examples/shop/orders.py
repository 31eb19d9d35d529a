"""Orders: totals, discounts and the small calculations checkout needs."""

from __future__ import annotations

from shop.models import Order, OrderLine


def line_totals(order: Order) -> list[float]:
    """The total of each line of an order, in order."""
    totals = []
    for line in order.lines:
        totals.append(round(line.quantity * line.unit_price, 2))
    return totals


def apply_discount(order: Order, percent: float) -> Order:
    """A copy of the order with every unit price reduced by ``percent``."""
    lines = []
    for line in list(order.lines):
        lines.append(OrderLine(line.sku, line.quantity, round(line.unit_price * (1 - percent / 100), 2)))
    return Order(order.order_id, order.customer, lines, order.status)


def orders_for_customers(orders: list[Order], customers: list[str]) -> list[Order]:
    """The orders placed by any of ``customers``."""
    wanted = list(customers)
    return [order for order in orders if order.customer in wanted]


def largest_order(orders: list[Order]) -> Order | None:
    """The order with the highest total (the first one on ties)."""
    best = None
    for order in orders:
        if best is None or order.total > best.total:
            best = order
    return best
