"""Literal tables a change adds to the code in scope, as large as a share of the golden set.

Memorizing a golden set takes a table: the golden texts (normalized or hashed) mapped
to their answers, the answers in the order the benchmark asks, a long ``if``/``elif``
chain. The leakage scan (:mod:`.leakage`) sees golden strings written out; this scan
sees the table's shape even when no golden string is left in it. An entry counts
when it looks like a key of such a table:

- a string that is a golden query (case, spacing and punctuation aside) or nearly one,
  or that looks like a hash (``"3fa9c01b"``), or an integer as large as one;
- in a dict keyed by integers, or a list of records, a value that is a golden answer
  (a label or an id) or a list of small integers (answers encoded as positions);
- in a list of labels or small integers, each item when the list repeats some (the
  answers to the golden rows in order; a list of the distinct classes repeats none);
- each branch of an ``if``/``elif`` chain or a ``match`` that compares with such a
  key, or returns a golden answer.

A stopword list, a suffix list or a keyword -> label table of the system's own counts
nothing. Entries the baseline already has are allowed (compared by fingerprint, so
moving a table is free); the test fails when the change adds at least ``limit``
entries, by default a fifth of the golden rows and at least 5 (``max_table:`` in
improve.md).
"""

from __future__ import annotations

import ast
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pytest_autoimprove.runtime.textfiles import read_text

__all__ = [
    "DEFAULT_SHARE",
    "MIN_ENTRIES",
    "GoldenHints",
    "Table",
    "table_limit",
    "tables_in",
    "tables_in_files",
]

#: Default share of the golden rows a new table may not reach.
DEFAULT_SHARE = 0.2
#: The smallest limit, whatever the size of the golden set.
MIN_ENTRIES = 5
_HEX = re.compile(r"^[0-9a-f]{8,}$|^[0-9A-F]{8,}$")
_TOKEN = re.compile(r"^[A-Za-z0-9+/=_-]{16,}$")
_SMALL_INT = 10_000
_HASH_INT = 1 << 24
_MAX_BYTES = 2_000_000


def table_limit(rows: int, setting: float | None = None) -> int:
    """Entries a change may add: ``setting`` (a share below 1, else a count) of ``rows``."""
    if setting is not None and setting >= 1:
        return int(setting)
    share = DEFAULT_SHARE if setting is None else setting
    return max(MIN_ENTRIES, math.ceil(share * rows))


def _words(text: str) -> tuple[str, ...]:
    return tuple("".join(c if c.isalnum() else " " for c in text.casefold()).split())


@dataclass(frozen=True)
class GoldenHints:
    """What the scan compares literals with: the golden queries' words and the answers."""

    queries: frozenset[tuple[str, ...]]
    answers: frozenset[str]

    @classmethod
    def build(cls, queries: Iterable[str], answers: Iterable[str]) -> GoldenHints:
        return cls(
            frozenset(w for w in (_words(q) for q in queries) if w),
            frozenset(str(a) for a in answers if str(a)),
        )

    def query_like(self, text: str) -> bool:
        words = _words(text)
        if not words:
            return False
        if words in self.queries:
            return True
        if len(words) < 2:
            return False
        mine = set(words)
        return any(
            len(mine & set(q)) / len(mine | set(q)) >= 0.75 for q in self.queries if len(q) >= 2
        )


@dataclass(frozen=True)
class Table:
    """A literal table in a file: where, what shape, and the fingerprints of its counted entries."""

    path: str
    line: int
    kind: str
    entries: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: a {self.kind} of {len(self.entries)} golden-table entries"


def _fingerprint(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:12]


def _constant(node: ast.AST | None) -> object:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _NOT_LITERAL


_NOT_LITERAL = object()


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _hash_like(value: object) -> bool:
    if _int(value):
        return abs(value) >= _HASH_INT  # type: ignore[arg-type]
    if not isinstance(value, str):
        return False
    if _HEX.match(value):
        return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
    return bool(_TOKEN.match(value)) and (
        any(c.isdigit() for c in value) and any(c.isupper() for c in value)
    )


class _Scan:
    def __init__(self, hints: GoldenHints, path: str) -> None:
        self.hints = hints
        self.path = path
        self.tables: list[Table] = []

    def key(self, value: object) -> bool:
        """A key of a memorized table: a golden query (nearly), a hash; not an answer."""
        if isinstance(value, str):
            if value in self.hints.answers:
                return False
            return self.hints.query_like(value) or _hash_like(value)
        return _hash_like(value)

    def answer(self, value: object) -> bool:
        """A golden answer, or answers encoded as a list of small integers."""
        if isinstance(value, str):
            return value in self.hints.answers
        if isinstance(value, (list, tuple)) and value:
            return all(
                (isinstance(v, str) and v in self.hints.answers)
                or (isinstance(v, int) and not isinstance(v, bool) and 0 <= v < _SMALL_INT)
                for v in value
            )
        return False

    def add(self, node: ast.AST, kind: str, entries: Sequence[object]) -> None:
        if entries:
            line = getattr(node, "lineno", 0)
            self.tables.append(
                Table(self.path, line, kind, tuple(_fingerprint(e) for e in entries))
            )

    def collection(self, node: ast.AST) -> None:
        if isinstance(node, ast.Dict):
            keys = [_constant(k) for k in node.keys]
            values = [_constant(v) for v in node.values]
            pairs = [
                (k, v)
                for k, v in zip(keys, values, strict=True)
                if k is not _NOT_LITERAL
                and (self.key(k) or (_int(k) and v is not _NOT_LITERAL and self.answer(v)))
            ]
            self.add(node, "dict", pairs)
            return
        assert isinstance(node, (ast.List, ast.Tuple, ast.Set))
        kind = type(node).__name__.lower()
        items = [_constant(e) for e in node.elts]
        items = [i for i in items if i is not _NOT_LITERAL]
        keyed = [i for i in items if self.key(i)]
        # answers to the golden rows in order: the position is part of the entry
        records = [
            (n, i) for n, i in enumerate(items) if isinstance(i, (list, tuple)) and self.answer(i)
        ]
        ordered = [i for i in items if (isinstance(i, str) and self.answer(i)) or _int(i)]
        repeated = len(ordered) >= 2 and len({repr(i) for i in ordered}) < len(ordered)
        small = all(not _int(i) or 0 <= i < _SMALL_INT for i in ordered)  # type: ignore[operator]
        positional = (
            ordered
            if repeated and small and not isinstance(node, ast.Set) and len(ordered) == len(items)
            else []
        )
        entries: list[object] = [*keyed, *records]
        entries += [(len(keyed) + n, v) for n, v in enumerate(positional)]
        self.add(node, kind, entries)

    def chain(self, node: ast.If) -> None:
        entries: list[object] = []
        current: ast.stmt | None = node
        while isinstance(current, ast.If):
            compared = [
                _constant(c)
                for n in ast.walk(current.test)
                if isinstance(n, ast.Compare)
                for c in (n.left, *n.comparators)
                if isinstance(c, ast.Constant)
            ]
            answers = [
                _constant(n.value)
                for n in current.body
                if isinstance(n, (ast.Return, ast.Assign)) and isinstance(n.value, ast.Constant)
            ]
            if any(self.key(c) for c in compared) or (
                compared and any(self.answer(a) for a in answers)
            ):
                entries.append(("if", compared))
            current = current.orelse[0] if len(current.orelse) == 1 else None
        self.add(node, "if/elif chain", entries)

    def match(self, node: ast.Match) -> None:
        entries = []
        for case in node.cases:
            pattern = case.pattern
            value = _constant(pattern.value) if isinstance(pattern, ast.MatchValue) else None
            answers = [
                _constant(n.value)
                for n in case.body
                if isinstance(n, ast.Return) and isinstance(n.value, ast.Constant)
            ]
            if value is not None and (self.key(value) or any(self.answer(a) for a in answers)):
                entries.append(("case", value))
        self.add(node, "match", entries)


def tables_in(source: str, path: str, hints: GoldenHints) -> list[Table]:
    """The tables of Python ``source`` with at least one counted entry."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    scan = _Scan(hints, path)
    inner: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
            scan.collection(node)
        elif isinstance(node, ast.If) and id(node) not in inner:
            # an elif is the only statement of its parent's else: one chain, counted once
            tail = node
            while len(tail.orelse) == 1 and isinstance(tail.orelse[0], ast.If):
                tail = tail.orelse[0]
                inner.add(id(tail))
            scan.chain(node)
        elif isinstance(node, ast.Match):
            scan.match(node)
    return scan.tables


def tables_in_files(root: Path, files: Iterable[str], hints: GoldenHints) -> list[Table]:
    """:func:`tables_in` over the Python files among ``files`` (relative to ``root``)."""
    out: list[Table] = []
    for rel in files:
        if not rel.endswith(".py"):
            continue
        source = read_text(root / rel, _MAX_BYTES)
        if source is not None:
            out += tables_in(source, rel, hints)
    return out
