# recall case: project function returning a list it accumulated; result scanned in a loop
# expect: HS101@17 "if order.customer in vip"


def vip_customers(customers):
    found = []
    for c in customers:
        if c.total > 10_000:
            found.append(c.id)
            print("vip", c.id)
    return found


def tag_orders(orders, customers):
    vip = vip_customers(customers)
    for order in orders:
        if order.customer in vip:
            order.priority = 1
