"""Counted nouns in messages: ``1 frozen entry differs``, ``3 guard tests``.

A leaf module (it imports nothing of ours), so every message can say it right.
"""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and the noun in the number it takes (``nouns``: default ``noun + "s"``)."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"
