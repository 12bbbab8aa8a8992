"""A small hybrid search engine over the bundled corpus (see engine.py)."""

from __future__ import annotations

from rag_search.engine import Hit, search

__all__ = ["Hit", "search"]
