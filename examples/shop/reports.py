"""Reports: invoices and CSV exports for the back office."""

from __future__ import annotations

from shop.models import Order


def invoice_text(order: Order) -> str:
    """A plain-text invoice for one order."""
    text = f"Invoice #{order.order_id} for {order.customer}\n"
    for line in order.lines:
        text += f"{line.sku:<12}{line.quantity:>5} x {line.unit_price:>8.2f} = {line.total:>10.2f}\n"
    text += f"{'Total':<12}{order.total:>33.2f}\n"
    return text


def sales_csv(orders: list[Order]) -> str:
    """One CSV row per order line: order id, customer, sku, quantity, line total."""
    out = "order_id,customer,sku,quantity,total\n"
    for order in orders:
        for line in order.lines:
            out += f"{order.order_id},{order.customer},{line.sku},{line.quantity},{line.total:.2f}\n"
    return out


def repeat_customers(orders: list[Order]) -> list[str]:
    """Customers with more than one order, in order of their first order."""
    seen = []
    repeat = []
    for order in orders:
        if order.customer in seen and order.customer not in repeat:
            repeat.append(order.customer)
        seen.append(order.customer)
    return repeat


def legacy_xml_export(orders: list[Order]) -> str:
    """The XML feed the old warehouse system reads. No test covers this yet."""
    xml = "<orders>"
    for order in orders:
        xml += f'<order id="{order.order_id}" customer="{order.customer}">'
        for line in order.lines:
            xml += f'<line sku="{line.sku}" qty="{line.quantity}"/>'
        xml += "</order>"
    xml += "</orders>"
    return xml
