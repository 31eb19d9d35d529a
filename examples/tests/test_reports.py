from shop import reports
from shop.models import Order, OrderLine


def test_invoice_text():
    order = Order(7, "ada", [OrderLine("A", 2, 1.5)])
    text = reports.invoice_text(order)
    assert text.startswith("Invoice #7 for ada\n")
    assert "3.00" in text.splitlines()[1]


def test_sales_csv(orders):
    csv = reports.sales_csv(orders)
    rows = csv.splitlines()
    assert rows[0] == "order_id,customer,sku,quantity,total"
    assert len(rows) == 1 + sum(len(o.lines) for o in orders)


def test_repeat_customers(orders):
    repeat = reports.repeat_customers(orders)
    assert len(repeat) == len(set(repeat))
