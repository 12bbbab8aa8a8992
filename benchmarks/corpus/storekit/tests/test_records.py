from __future__ import annotations

from storekit.records import PriceTable, merge_settings, parse_record


def test_parse():
    assert parse_record("a=1; b = 2") == {"a": "1", "b": "2"}
    assert parse_record("") == {}


def test_merge():
    assert merge_settings({"a": 1}, {"b": 2}) == {"a": 1, "b": 2}


def test_table():
    table = PriceTable({"x": 3, "y": 5})
    assert table.skus() == ["x", "y"]
    assert table.get("x") == 3
    assert table.total(["x", "y"]) == 8
    assert table.as_dict() == {"x": 3, "y": 5}
