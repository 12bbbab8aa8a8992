"""Ordinary tests of the search engine, the kind the project had before autoimprove.

They pin the contract, not the ranking: they must keep passing whatever values
the ranking constants are tuned to.
"""

from __future__ import annotations

import pytest

from rag_search import Hit, search


def test_results_are_hits() -> None:
    hits = search("crop rotation")
    assert hits
    for hit in hits:
        assert isinstance(hit, Hit)
        assert isinstance(hit.id, str) and isinstance(hit.title, str)
        assert isinstance(hit.score, float)


@pytest.mark.parametrize("limit", [1, 3, 10, 25])
def test_limit_is_respected(limit: int) -> None:
    assert len(search("water", limit=limit)) <= limit


def test_known_query_finds_its_chunk() -> None:
    ids = [hit.id for hit in search("blossom end rot", limit=3)]
    assert "garden-03" in ids


def test_paraphrased_query_finds_its_chunk() -> None:
    # No chunk contains every word, so only the vector side can answer this one.
    ids = [hit.id for hit in search("how long should a steak rest before cutting", limit=5)]
    assert "cook-14" in ids


def test_best_first_and_no_duplicates() -> None:
    hits = search("telescope", limit=10)
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({hit.id for hit in hits}) == len(hits)


def test_same_query_same_answer() -> None:
    assert search("sourdough starter") == search("sourdough starter")


@pytest.mark.parametrize("query", ["", "   "])
def test_blank_query_finds_nothing(query: str) -> None:
    assert search(query) == []


def test_zero_limit_finds_nothing() -> None:
    assert search("coffee", limit=0) == []
