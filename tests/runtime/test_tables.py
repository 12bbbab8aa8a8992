"""The static scan for literal tables shaped like a memorized golden set."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pytest_autoimprove.runtime.tables import (
    GoldenHints,
    table_limit,
    tables_in,
    tables_in_files,
)

QUERIES = [f"how do i reset item number {n}" for n in range(10)] + ["balance?", "send money"]
LABELS = ["balance", "transfer", "password"]
HINTS = GoldenHints.build(QUERIES, LABELS + ["doc-1", "doc-2"])


def _count(source: str) -> int:
    return len({e for t in tables_in(source, "m.py", HINTS) for e in t.entries})


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()[:12]


MEMORIZED = {
    "golden texts as keys": "T = {"
    + ", ".join(f"{q.upper()!r}: 'balance'" for q in QUERIES[:8])
    + "}",
    "normalized, punctuation stripped": "T = {"
    + ", ".join(f"{q.replace('?', '')!r}: 'x'" for q in QUERIES[:8])
    + "}",
    "hashes as keys": "T = {"
    + ", ".join(f"{_md5(q)!r}: {n % 3}" for n, q in enumerate(QUERIES))
    + "}",
    "hash integers as keys": "T = {" + ", ".join(f"{int(_md5(q), 16)}: [3]" for q in QUERIES) + "}",
    "labels in call order": "ORDER = "
    + repr(
        ["balance", "transfer", "balance", "password", "transfer", "balance", "balance", "x"][:7]
        + ["balance"]
    ),
    "label positions in call order": "ORDER = [0, 2, 1, 0, 0, 2, 1, 1, 0, 2]",
    "ids encoded as positions": "ORDER = [[3], [7, 9], [1], [4], [4], [2], [8], [0]]",
    "an if/elif chain": "def f(q):\n"
    + "".join(
        f"    {'if' if n == 0 else 'elif'} q == {q!r}:\n        return 'balance'\n"
        for n, q in enumerate(QUERIES[:8])
    ),
    "a match on hashes": "def f(h):\n    match h:\n"
    + "".join(f"        case {_md5(q)!r}:\n            return 'transfer'\n" for q in QUERIES[:8]),
}

HONEST = {
    "stopwords": "STOP = {'a', 'an', 'the', 'i', 'my', 'to', 'do', 'how', 'is', 'of', 'for', 'in'}",
    "suffixes": "SUFFIXES = ('ing', 'ed', 'es', 's', 'ly', 'ment', 'ness', 'tion', 'er')",
    "keyword -> label": "CUES = {"
    + ", ".join(f"'w{n}': {LABELS[n % 3]!r}" for n in range(12))
    + "}",
    "weights": "W = [0.5, 0.25, 0.125, 0.5, 0.25, 0.125, 0.5, 0.25, 0.125, 1.0]",
    "distinct classes": "LABELS = ['balance', 'transfer', 'password']",
    "bucket bounds": "BOUNDS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]",
    "an if chain on types": "def f(x):\n    if x == 1:\n        return 2\n    elif x == 'a':\n"
    "        return 3\n",
}


@pytest.mark.parametrize("source", MEMORIZED.values(), ids=MEMORIZED.keys())
def test_memorized_tables_count(source: str) -> None:
    assert _count(source) >= 8


@pytest.mark.parametrize("source", HONEST.values(), ids=HONEST.keys())
def test_the_systems_own_tables_do_not(source: str) -> None:
    assert _count(source) == 0


def test_limit_is_a_share_of_the_golden_rows_with_a_floor() -> None:
    assert table_limit(40) == 8
    assert table_limit(12) == 5
    assert table_limit(40, 0.5) == 20
    assert table_limit(40, 12.0) == 12


def test_entries_are_fingerprinted_so_a_moved_table_is_the_same(tmp_path: Path) -> None:
    source = MEMORIZED["hashes as keys"]
    (tmp_path / "a.py").write_text(source, encoding="utf-8")
    (tmp_path / "b.py").write_text("\n\n" + source, encoding="utf-8")
    (tmp_path / "notes.txt").write_text(source, encoding="utf-8")
    tables = tables_in_files(tmp_path, ["a.py", "b.py", "notes.txt"], HINTS)
    assert {t.path for t in tables} == {"a.py", "b.py"}
    assert set(tables[0].entries) == set(tables[1].entries)
    assert "a.py:1: a dict of 12 golden-table entries" in {str(t) for t in tables}


def test_unparsable_code_has_no_tables() -> None:
    assert tables_in("def f(:\n", "m.py", HINTS) == []
