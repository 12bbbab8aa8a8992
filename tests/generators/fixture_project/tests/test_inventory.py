from __future__ import annotations

import pytest
from inventory.core import Catalog, normalize_sku, parse_tags, total_price
from inventory.units import to_cents


def test_normalize() -> None:
    assert normalize_sku("ab_cd-ef") == "AB-CD-EF"
    assert normalize_sku(None) == ""


def test_total() -> None:
    assert total_price([(1.25, 2), (0.5, 1)]) == 300
    assert total_price([(10.0, 1)], discount=0.1) == 900


def test_tags() -> None:
    assert parse_tags("Red, blue,red") == ["red", "blue"]


def test_cents() -> None:
    with pytest.raises(ValueError):
        to_cents(float("nan"))


def test_catalog() -> None:
    assert Catalog(["apple", "apricot", "banana"]).find("ap") == ["apple", "apricot"]
