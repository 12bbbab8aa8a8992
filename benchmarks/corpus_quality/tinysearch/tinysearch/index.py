"""TF-IDF over titles and bodies, with year ranges (``1990-1995``) in queries.

Known bug, kept on purpose: a hyphenated word (``state-of-the-art``) is read as a
malformed range and raises ValueError.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "data" / "docs.jsonl"
TITLE_BOOST = 2.0
_WORD = re.compile(r"\w+")


def _terms(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, dict[str, Counter[str]]], dict[str, float]]:
    docs = [json.loads(line) for line in DOCS.read_text(encoding="utf-8").splitlines() if line]
    fields = {
        d["id"]: {"title": Counter(_terms(d["title"])), "body": Counter(_terms(d["body"]))}
        for d in docs
    }
    df: Counter[str] = Counter()
    for f in fields.values():
        df.update(set(f["title"]) | set(f["body"]))
    idf = {t: math.log(1 + len(docs) / n) for t, n in df.items()}
    return fields, idf


def _parse(query: str) -> tuple[list[str], tuple[int, int] | None]:
    words, years = [], None
    for token in query.split():
        if "-" in token:
            low, high = token.split("-")
            years = (int(low), int(high))
        else:
            words += _terms(token)
    return words, years


def search(query: str, limit: int = 5) -> list[tuple[str, float]]:
    """``(doc id, score)`` of the best ``limit`` documents, best first."""
    words, _years = _parse(query)
    fields, idf = _index()
    scores = {}
    for doc_id, f in fields.items():
        score = sum(
            idf.get(w, 0.0) * (TITLE_BOOST * f["title"][w] + f["body"][w]) for w in words
        )
        if score > 0:
            scores[doc_id] = score
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]
