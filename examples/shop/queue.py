"""Fulfilment: orders wait in a first-in, first-out queue until a picker takes them."""

from __future__ import annotations

from shop.models import Order


def fulfil(orders: list[Order], capacity: int) -> tuple[list[int], list[int]]:
    """Ship orders in arrival order while the day's capacity (in items) lasts.

    Returns the ids shipped and the ids left waiting.
    """
    pending = list(orders)
    shipped = []
    while pending:
        order = pending.pop(0)
        items = sum(line.quantity for line in order.lines)
        if items > capacity:
            pending.insert(0, order)
            break
        capacity -= items
        shipped.append(order.order_id)
    return shipped, [order.order_id for order in pending]


def batches(order_ids: list[int], size: int) -> list[list[int]]:
    """Split order ids into pick batches of at most ``size``."""
    queue = list(order_ids)
    out = []
    batch = []
    while queue:
        batch.append(queue.pop(0))
        if len(batch) == size:
            out.append(batch)
            batch = []
    if batch:
        out.append(batch)
    return out
