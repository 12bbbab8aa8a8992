"""Records and settings: small classes and dict helpers."""

from __future__ import annotations


def parse_record(line):
    """Parse 'k=v;k2=v2' into a dict; an empty line gives an empty dict."""
    if not line:
        return {}
    out = {}
    for part in line.split(";"):
        if not part.strip():
            continue
        key, _, value = part.partition("=")
        out[key.strip()] = value.strip()
    return out


def merge_settings(base, override):
    merged = dict(base)
    for key, value in override.items():
        merged[key] = value
    return merged


class PriceTable:
    def __init__(self, prices):
        self._prices = dict(prices)

    def get(self, sku, default=None):
        return self._prices.get(sku, default)

    def skus(self):
        return sorted(self._prices)

    def as_dict(self):
        return dict(self._prices)

    def total(self, skus):
        return sum(self._prices[s] for s in skus)
