"""Ledger operations. Each function holds one planted finding; the tests decide how much it costs."""


def unmatched(payments, invoices):
    """How many payments match no invoice (planted: membership test on a list)."""
    references = [invoice["ref"] for invoice in invoices]
    missing = 0
    for payment in payments:
        if payment["ref"] not in references:
            missing += 1
    return missing


def settle(amounts):
    """Settle queued amounts in order (planted: list.pop(0) in a loop)."""
    queue = list(amounts)
    total = 0
    while queue:
        total += queue.pop(0)
    return total


def blocked_entries(entries, blocked):
    """How many entries belong to blocked accounts (planted: a set rebuilt in every pass)."""
    count = 0
    for entry in entries:
        if entry in set(blocked):
            count += 1
    return count


def smallest(amounts):
    """The smallest amount (planted: a whole sort to take one element)."""
    return sorted(amounts)[0]


def weekend_days(days):
    """The weekend days among ``days`` (planted: membership in a literal list)."""
    return [day for day in days if day in ["sat", "sun", "holiday"]]
