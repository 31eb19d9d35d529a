# recall case: list filled by one loop, scanned by a later one
# expect: HS101@11 "not item.sku in discontinued"


def active_items(catalog, items):
    discontinued = []
    for entry in catalog:
        if entry.status == "discontinued":
            discontinued.append(entry.sku)
            print("discontinued", entry.sku)
    return [item for item in items if not item.sku in discontinued]
