from shop import orders as shop_orders
from shop.models import Order, OrderLine


def test_line_totals(orders):
    order = Order(1, "x", [OrderLine("A", 3, 1.25), OrderLine("B", 1, 9.99)])
    assert shop_orders.line_totals(order) == [3.75, 9.99]
    big = Order(2, "y", [line for o in orders for line in o.lines])
    assert len(shop_orders.line_totals(big)) == len(big.lines)


def test_apply_discount():
    order = Order(1, "x", [OrderLine("A", 2, 10.0)])
    discounted = shop_orders.apply_discount(order, 10)
    assert discounted.lines[0].unit_price == 9.0
    assert order.lines[0].unit_price == 10.0


def test_orders_for_customers(orders):
    customers = sorted({o.customer for o in orders})[:50]
    picked = shop_orders.orders_for_customers(orders, customers)
    assert picked and all(o.customer in customers for o in picked)


def test_largest_order(orders):
    assert shop_orders.largest_order([]) is None
    best = shop_orders.largest_order(orders)
    assert best.total == max(o.total for o in orders)
