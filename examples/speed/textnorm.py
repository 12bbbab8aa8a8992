"""Normalize and deduplicate lines of text: tags, names, labels typed by many people.

``"Café  Latte"``, ``"café latte"`` and ``"ＣＡＦÉ LATTE "`` are the same label
to a user. :func:`normalize_line` maps them to one form and
:func:`normalize_and_dedupe` keeps the first of each, in input order.

This is the hot function of the ``speed`` example: correct, typed, and written
without much care for speed. ``BATCH_SIZE`` (marked ``# autoimprove: tune``) sets
how many lines go through the Unicode normalization in one call; the baseline
value is deliberately poor.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

BATCH_SIZE = 1  # autoimprove: tune

# Joins the lines of a batch. NFKC and casefold never produce it, never combine a
# character across it, and it is not whitespace, so normalizing "a\0b" gives the
# normalized "a", "\0", the normalized "b". Batches holding it go line by line.
_SEPARATOR = "\x00"


def normalize_line(line: str) -> str:
    """Return ``line`` in NFKC form, case-folded, with whitespace runs as one space, stripped.

    >>> normalize_line("  Ｃａｆé\\u00a0 LATTE ")
    'café latte'
    """
    return _normalize_text(line).strip()


def normalize_and_dedupe(lines: Iterable[str | None]) -> list[str]:
    """Normalize every line and keep the first occurrence of each normalized form.

    ``None`` items and lines that normalize to ``""`` are skipped. The result is
    in order of first occurrence. ``lines`` may be any iterable (it is read once)
    and is never modified.

    :raises TypeError: if an item is neither a ``str`` nor ``None``.

    >>> normalize_and_dedupe(["Tea", None, " tea ", "", "Coffee", "TEA"])
    ['tea', 'coffee']
    """
    result: list[str] = []
    batch: list[str] = []
    size = max(1, BATCH_SIZE)
    for position, line in enumerate(lines):
        if line is None:
            continue
        if not isinstance(line, str):
            raise TypeError(f"line {position} is {type(line).__name__}, expected str or None")
        batch.append(line)
        if len(batch) >= size:
            _add_new(result, _normalize_batch(batch))
            batch = []
    if batch:
        _add_new(result, _normalize_batch(batch))
    return result


def _normalize_text(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold())


def _normalize_batch(batch: list[str]) -> list[str]:
    """``[normalize_line(line) for line in batch]``, in one pass over the joined batch."""
    joined = _SEPARATOR.join(batch)
    if joined.count(_SEPARATOR) != len(batch) - 1:  # a line holds the separator itself
        return [normalize_line(line) for line in batch]
    return [piece.strip() for piece in _normalize_text(joined).split(_SEPARATOR)]


def _add_new(result: list[str], normalized: list[str]) -> None:
    for line in normalized:
        if line and line not in result:
            result.append(line)
