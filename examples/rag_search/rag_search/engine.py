"""Hybrid search: SQLite FTS5 BM25 keyword scores merged with character-trigram vectors.

Keyword search finds chunks that contain every query term (FTS5 AND mode) and ranks
them with BM25 over the title and text columns. Vector search compares character
trigrams, so it still finds chunks when the query uses other word forms ("rotating"
for "rotate") or extra words that AND mode cannot match. The two score lists are
min-max normalized and added with weights.

The index is built once per process, on the first call to :func:`search`.

The constants marked ``# autoimprove: tune`` are the ranking knobs an optimizer may
change; ``python eval.py`` measures their effect on the golden queries.
"""

from __future__ import annotations

import atexit
import json
import math
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "chunks.jsonl"

BM25_TITLE_WEIGHT = 1.0  # autoimprove: tune
BM25_TEXT_WEIGHT = 1.0  # autoimprove: tune
KEYWORD_WEIGHT = 1.0  # autoimprove: tune
VECTOR_WEIGHT = 1.0  # autoimprove: tune
CANDIDATES = 20  # autoimprove: tune

# Words too common to say anything about a chunk; left out of the trigram vectors.
STOPWORDS = frozenset(
    "a an and are as at be but by can do does for from how i if in into is it its my "  # noqa: SIM905
    "of on or so than that the their them then there these they this to too was we "
    "what when where which while who why will with you your".split()
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    """One search result: the chunk id, its merged score (higher is better) and title."""

    id: str
    score: float
    title: str


def search(query: str, limit: int = 10) -> list[Hit]:
    """Return up to ``limit`` chunks for ``query``, best first.

    Ties are broken by chunk id so the order is deterministic.
    """
    if limit <= 0 or not query.strip():
        return []
    index = _index()
    keyword = _normalize(index.keyword_scores(query, CANDIDATES))
    vector = _normalize(index.vector_scores(query, CANDIDATES))
    merged = {
        chunk_id: KEYWORD_WEIGHT * keyword.get(chunk_id, 0.0)
        + VECTOR_WEIGHT * vector.get(chunk_id, 0.0)
        for chunk_id in keyword.keys() | vector.keys()
    }
    ranked = sorted(merged.items(), key=lambda item: (-item[1], item[0]))
    return [Hit(chunk_id, score, index.titles[chunk_id]) for chunk_id, score in ranked[:limit]]


def _normalize(scores: dict[str, float]) -> dict[str, float]:
    """Min-max scale scores to [0, 1]; a single score (or all equal) becomes 1.0."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high == low:
        return dict.fromkeys(scores, 1.0)
    return {key: (value - low) / (high - low) for key, value in scores.items()}


def _trigrams(text: str) -> Counter[str]:
    """Character trigrams of the words of ``text`` (lowercased, stopwords left out)."""
    grams: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS:
            continue
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def _unit(grams: Counter[str]) -> dict[str, float]:
    """Trigram counts scaled to unit length, so a dot product is a cosine."""
    norm = math.sqrt(sum(n * n for n in grams.values())) or 1.0
    return {gram: n / norm for gram, n in grams.items()}


class _Index:
    """The corpus in an in-memory FTS5 table plus one sparse trigram vector per chunk."""

    def __init__(self, chunks: list[dict[str, str]]) -> None:
        self.titles = {chunk["id"]: chunk["title"] for chunk in chunks}
        self.db = sqlite3.connect(":memory:")
        atexit.register(self.db.close)
        self.db.execute("CREATE VIRTUAL TABLE chunks USING fts5(id UNINDEXED, title, text)")
        self.db.executemany(
            "INSERT INTO chunks (id, title, text) VALUES (?, ?, ?)",
            [(chunk["id"], chunk["title"], chunk["text"]) for chunk in chunks],
        )
        self.vectors = {
            chunk["id"]: _unit(_trigrams(f"{chunk['title']} {chunk['text']}")) for chunk in chunks
        }

    def keyword_scores(self, query: str, limit: int) -> dict[str, float]:
        """BM25 scores (higher is better) of the chunks that contain every query term."""
        rows = self.db.execute(
            "SELECT id, bm25(chunks, 0.0, ?, ?) AS rank FROM chunks WHERE chunks MATCH ? "
            "ORDER BY rank, id LIMIT ?",
            (BM25_TITLE_WEIGHT, BM25_TEXT_WEIGHT, query, limit),
        ).fetchall()
        return {chunk_id: -rank for chunk_id, rank in rows}

    def vector_scores(self, query: str, limit: int) -> dict[str, float]:
        """Cosine similarity of the query's trigram vector, for the ``limit`` best chunks."""
        query_vector = _unit(_trigrams(query))
        if not query_vector:
            return {}
        scores = {
            chunk_id: sum(w * vector.get(g, 0.0) for g, w in query_vector.items())
            for chunk_id, vector in self.vectors.items()
        }
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return {chunk_id: score for chunk_id, score in best if score > 0.0}


@lru_cache(maxsize=1)
def _index() -> _Index:
    with CORPUS.open(encoding="utf-8") as corpus:
        return _Index([json.loads(line) for line in corpus if line.strip()])
