"""A tiny TF-IDF search engine: the system the quality guard-strength benchmark attacks."""

from __future__ import annotations

from tinysearch.index import search

__all__ = ["search"]
