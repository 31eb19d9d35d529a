"""shop: products, orders, fulfilment and reports for a small online store."""
