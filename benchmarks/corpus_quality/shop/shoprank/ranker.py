"""Rank catalogue products for a shopper's search: title and category matches, popularity."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOG = Path(__file__).resolve().parent.parent / "data" / "catalog.csv"
TITLE_WEIGHT = 1.0
CATEGORY_WEIGHT = 1.0
POPULARITY_WEIGHT = 0.3
CANDIDATES = 8


@dataclass(frozen=True)
class Hit:
    sku: str
    score: float
    title: str


@lru_cache(maxsize=1)
def _catalog() -> list[dict[str, str]]:
    with CATALOG.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _words(text: str) -> set[str]:
    return set(text.lower().replace(",", " ").split())


def rank(query: str, limit: int = 5) -> list[Hit]:
    """The best ``limit`` products for ``query``, best first."""
    words = _words(query)
    scored = []
    for item in _catalog():
        title = len(words & _words(item["title"]))
        category = len(words & _words(item["category"]))
        if not title and not category:
            continue
        score = TITLE_WEIGHT * title + CATEGORY_WEIGHT * category
        scored.append((score, item))
    # Popularity only breaks near-ties among the strongest text matches.
    scored.sort(key=lambda pair: (-pair[0], pair[1]["sku"]))
    pool = scored[:CANDIDATES]
    ranked = sorted(
        (
            Hit(item["sku"], round(s + POPULARITY_WEIGHT * float(item["popularity"]), 4), item["title"])
            for s, item in pool
        ),
        key=lambda hit: (-hit.score, hit.sku),
    )
    return ranked[:limit]
