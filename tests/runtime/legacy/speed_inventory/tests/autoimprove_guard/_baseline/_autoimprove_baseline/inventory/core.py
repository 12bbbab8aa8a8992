"""Catalog functions, mostly untyped, as real projects often are."""

from __future__ import annotations

from _autoimprove_baseline.inventory.units import to_cents


def normalize_sku(sku):
    if sku is None:
        return ""
    return "-".join(part.upper() for part in sku.replace("_", "-").split("-") if part)


def total_price(items, discount=0.0):
    cents = sum(to_cents(price) * qty for price, qty in items)
    return cents - int(cents * discount)


def parse_tags(text: str | None) -> list[str]:
    if not text:
        return []
    seen = []
    for tag in text.split(","):
        tag = tag.strip().lower()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


class Catalog:
    def __init__(self, names):
        self.names = list(names)

    def find(self, prefix):
        return [n for n in self.names if n.startswith(prefix)]
