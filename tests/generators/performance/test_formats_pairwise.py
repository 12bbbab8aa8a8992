"""formats.py (valid strings of a regex, near misses) and pairwise.py (covering arrays)."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from pytest_autoimprove.generators.performance.formats import (
    corruptions,
    inline_flags,
    valid_strings,
)
from pytest_autoimprove.generators.performance.pairwise import covering_rows, pick_edges

ISO_DATE = r"(\d{4})-(\d{2})-(\d{2})"
NUMBER = r"[+-]?\d+(\.\d+)?"


def test_valid_strings_match_in_full_and_are_deterministic() -> None:
    first = valid_strings(ISO_DATE, count=4)
    assert len(first) == 4
    assert all(re.fullmatch(ISO_DATE, s) and s.isascii() for s in first)
    assert valid_strings(ISO_DATE, count=4) == first
    assert len(set(first)) == 4
    assert first[0] == "1111-11-11"  # the walked full string comes first
    flagged = valid_strings("[a-z]+", re.I)
    assert flagged and all(re.fullmatch("[a-z]+", s, re.I) for s in flagged)


def test_expressions_that_cannot_be_drawn_from_give_nothing() -> None:
    assert valid_strings(r"(?<=a)b") == []
    assert valid_strings("(unclosed") == []


def test_near_misses_of_a_valid_string() -> None:
    near = {c.how: c.value for c in corruptions("-12.50")}
    assert near["a sign in front"] == "+-12.50"
    assert near["a comma decimal"] == "-12,50"
    assert near["a non-ASCII digit"] == "-\u06632.50"
    assert near["surrounding whitespace"] == " -12.50 "
    assert near["a trailing newline"] == "-12.50\n"
    assert near["an inner control character"] == "-12\x01.50"
    assert near["the last character missing"] == "-12.5"
    assert near["a blank, then a sign"] == " +-12.50"
    assert "swapped case" not in near  # nothing to swap
    assert not any(re.fullmatch(NUMBER, v) for how, v in near.items() if "whitespace" in how)
    assert {c.how for c in corruptions("abc")} >= {"a non-ASCII letter", "swapped case"}


def test_inline_flags() -> None:
    assert inline_flags("[a-z]+", re.I | re.X) == "(?ix)[a-z]+"
    assert inline_flags("x", 0) == "x"
    assert re.fullmatch(inline_flags("[a-z]+", re.I), "ABC")


@given(st.lists(st.integers(min_value=0, max_value=3), min_size=2, max_size=5))
def test_covering_rows_cover_every_pair(sizes: list[int]) -> None:
    rows = covering_rows(sizes, max_rows=100)
    present = [i for i, n in enumerate(sizes) if n]
    covered = {
        (i, row[i], j, row[j]) for row in rows for i, j in itertools.combinations(present, 2)
    }
    needed = {
        (i, a, j, b)
        for i, j in itertools.combinations(present, 2)
        for a in range(sizes[i])
        for b in range(sizes[j])
    }
    assert needed <= covered
    assert all(row[i] == -1 for row in rows for i, n in enumerate(sizes) if not n)
    assert len(rows) <= len(needed)  # every row covers a pair not covered before


def test_covering_rows_are_bounded_and_deterministic() -> None:
    assert covering_rows([3, 3, 3, 3]) == covering_rows([3, 3, 3, 3])
    # Far fewer calls than the 81 combinations of four parameters.
    assert len(covering_rows([3, 3, 3, 3], max_rows=100)) <= 12
    assert len(covering_rows([3] * 6)) <= 12
    assert covering_rows([3]) == []


def test_pick_edges_prefers_distinct_risks_and_skips_big_inputs() -> None:
    edges = [
        (None, "dropped-none-check"),
        ("", "empty-input"),
        (" ", "empty-input"),
        ("x" * 3000, "huge-input"),
        ("É", "unicode-fast-path"),
    ]
    assert pick_edges(edges) == [0, 1, 4]
