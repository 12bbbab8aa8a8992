"""Ordinary tests of textnorm, the kind the project had before autoimprove."""

from __future__ import annotations

import pytest

import textnorm
from textnorm import normalize_and_dedupe, normalize_line


def test_keeps_first_occurrence_in_order() -> None:
    assert normalize_and_dedupe(["Tea", "coffee", "TEA", "Cocoa", "Coffee"]) == [
        "tea",
        "coffee",
        "cocoa",
    ]


def test_skips_none_and_blank_lines() -> None:
    assert normalize_and_dedupe([None, "", "  ", "\t\u00a0", "tea", None]) == ["tea"]


def test_empty_input() -> None:
    assert normalize_and_dedupe([]) == []


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("  Oat   Milk ", "oat milk"),
        ("oat\tmilk\n", "oat milk"),
        ("oat\u00a0milk", "oat milk"),  # no-break space
        ("ＯＡＴ　ＭＩＬＫ", "oat milk"),  # full-width letters and ideographic space
        ("Cafe\u0301", "café"),  # decomposed accent
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # casefold, not lower()
        ("\ufb01ve", "five"),  # ligature
        ("-12.5", "-12.5"),
    ],
)
def test_normalize_line(typed: str, normalized: str) -> None:
    assert normalize_line(typed) == normalized


def test_spellings_of_one_label_collapse() -> None:
    assert normalize_and_dedupe(["Café Latte", "cafe\u0301  latte", "ＣＡＦÉ LATTE "]) == [
        "café latte"
    ]


def test_accepts_any_iterable_once() -> None:
    assert normalize_and_dedupe(line for line in ["b", "a", "B"]) == ["b", "a"]


def test_does_not_modify_its_input() -> None:
    lines = ["B", None, "a"]
    normalize_and_dedupe(lines)
    assert lines == ["B", None, "a"]


def test_rejects_items_that_are_not_text() -> None:
    with pytest.raises(TypeError, match="line 1 is int"):
        normalize_and_dedupe(["a", 3])  # type: ignore[list-item]


@pytest.mark.parametrize("batch_size", [1, 2, 7, 1000])
def test_same_answer_for_every_batch_size(monkeypatch: pytest.MonkeyPatch, batch_size: int) -> None:
    monkeypatch.setattr(textnorm, "BATCH_SIZE", batch_size)
    lines: list[str | None] = [f" Item {n % 17} " if n % 5 else None for n in range(100)]
    lines += ["a\x00b", "A\x00B", "e\u0301", "\x00"]  # the batch separator inside a line
    expected: list[str] = []
    for line in lines:
        normalized = normalize_line(line) if line is not None else ""
        if normalized and normalized not in expected:
            expected.append(normalized)
    assert normalize_and_dedupe(lines) == expected
    assert expected[-3:] == ["a\x00b", "é", "\x00"] and len(expected) == 20
