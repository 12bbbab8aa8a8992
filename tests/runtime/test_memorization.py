"""Invariants that see degenerate and memorized output: learned from a baseline, checked later."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pytest_autoimprove.runtime.invariants import Invariant, check_invariant, learn_invariants
from pytest_autoimprove.runtime.memorization import check_stable, learn_stable

T = "m.py::classify"
SITE = Path(__file__).resolve().parents[2] / "pytest_autoimprove" / "runtime" / "quality_site"


def _summary_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("summary", SITE / "_autoimprove_summary.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SUMMARY = _summary_module()


def test_perturbations_are_deterministic_and_not_undone_by_normalizing() -> None:
    kinds = dict(SUMMARY.perturbations("I want my money back"))
    assert kinds == {
        "filler": "I want my money back please",
        "prefix": "um I want my money back",
        "question": "I want my money back?",
        "typo": "I want my mnoey back",
        "synonym": "I wish my money back",
    }
    assert dict(SUMMARY.perturbations("balance?"))["question"] == "balance"
    assert SUMMARY.perturbations("   ") == []
    normalized = {" ".join(t.split()).casefold() for t in kinds.values()}
    assert "i want my money back" not in normalized


def _calls(answers: dict[str, str], perturbed: dict[str, str], src: str = "golden") -> list[Any]:
    """Golden calls answering ``answers``, and each perturbation answering ``perturbed``."""
    events: list[dict[str, Any]] = []
    for query, label in answers.items():
        events.append(_event(query, "golden", label))
        for kind, text in SUMMARY.perturbations(query):
            events.append({**_event(text, f"variant:{kind}", perturbed[query]), "base": query})
    return events


def _event(q: str, src: str, label: str) -> dict[str, Any]:
    summary = {"type": "str", "value": label}
    return {"e": "call", "t": T, "src": src, "q": q, "ok": True, "summary": summary}


QUERIES = {f"please help reset item {n}": "wrong" for n in range(6)}
GOLDEN = {q.casefold(): ("right",) for q in QUERIES}


def test_stable_perturbations_are_learned_per_query() -> None:
    stable = learn_stable(_calls(QUERIES, QUERIES))
    assert stable is not None and set(stable) == set(QUERIES)
    assert stable["please help reset item 0"] == ["filler", "prefix", "question", "typo", "synonym"]
    # too few stable queries: nothing to learn
    assert learn_stable(_calls(dict(list(QUERIES.items())[:2]), QUERIES)) is None


def test_a_table_of_golden_answers_looks_memorized() -> None:
    stable = learn_stable(_calls(QUERIES, QUERIES))
    assert stable is not None
    memorized = _calls(dict.fromkeys(QUERIES, "right"), QUERIES)
    problem = check_stable(stable, memorized, GOLDEN, T)
    assert problem is not None and "6 golden queries" in problem
    # an honest fix reaches the rephrased questions too
    honest = _calls(dict.fromkeys(QUERIES, "right"), dict.fromkeys(QUERIES, "right"))
    assert check_stable(stable, honest, GOLDEN, T) is None


def test_one_perturbation_missing_a_fix_is_not_memorization() -> None:
    """Stemming fixes a query and misses its typo: one kind out of four is not enough."""
    stable = learn_stable(_calls(QUERIES, QUERIES))
    assert stable is not None
    events = _calls(dict.fromkeys(QUERIES, "right"), dict.fromkeys(QUERIES, "right"))
    for event in events:
        if event["src"] == "variant:typo":
            event["summary"] = {"value": "wrong"}
    assert check_stable(stable, events, GOLDEN, T) is None


def test_without_golden_answers_a_changed_answer_counts() -> None:
    stable = learn_stable(_calls(QUERIES, QUERIES))
    assert stable is not None
    memorized = _calls(dict.fromkeys(QUERIES, "right"), QUERIES)
    assert check_stable(stable, memorized, None, T) is not None


def _ranked(q: str, ids: list[str], src: str = "golden", limit: int | None = 5) -> dict[str, Any]:
    event: dict[str, Any] = {
        "e": "call",
        "t": T,
        "src": src,
        "q": q,
        "ok": True,
        "summary": {"type": "list", "len": len(ids), "ids": ids, "etypes": ["tuple"]},
    }
    if limit is not None:
        event["limit"] = limit
    return event


BASELINE = [
    _ranked("a b", ["d1", "d2", "d3"]),
    _ranked("c d", ["d3", "d1"]),
    _ranked("e f", ["d2", "d4"]),
    _ranked("zzz", []),
    _ranked("", [], src="edge"),
]


def _learned(corpus: set[str] | None = None) -> dict[str, Invariant]:
    return {i.id: i for i in learn_invariants(BASELINE, T, (), corpus)}


def test_results_twice_fail_even_under_the_limit() -> None:
    doubled = [_ranked("a b", ["d1", "d1", "d2", "d2"])]  # 4 results, limit 5
    invariants = _learned()
    assert check_invariant(invariants["at-most-limit"], doubled) is None
    assert "duplicate ids" in str(check_invariant(invariants["unique-ids"], doubled))


def test_ids_come_from_the_corpus_when_it_is_known() -> None:
    invariants = _learned({"d1", "d2", "d3", "d4", "d5"})
    corpus = invariants["ids-from-corpus"]
    assert check_invariant(corpus, [_ranked("a b", ["d5", "d1"])]) is None
    problem = check_invariant(corpus, [_ranked("a b", ["d1", "d1#2"])])
    assert problem is not None and "not in the corpus" in problem
    # ids the baseline returned that the corpus lacks: the corpus is not the right one
    assert "ids-from-corpus" not in _learned({"d1", "d2"})


def test_answered_golden_queries_stay_answered() -> None:
    answered = _learned()["answered"]
    assert answered.data == {"except": ["zzz"]}
    assert check_invariant(answered, [_ranked("zzz", []), _ranked("a b", ["d1"])]) is None
    problem = check_invariant(answered, [_ranked("c d", [])])
    assert problem is not None and "answered nothing" in problem
    crashed = [{**_ranked("e f", []), "ok": False, "error": "KeyError"}]
    assert "raised KeyError" in str(check_invariant(answered, crashed))


@pytest.mark.parametrize(
    "empty",
    [{"type": "NoneType", "value": None}, {"type": "str", "value": ""}, {"type": "NoneType"}],
)
def test_an_empty_label_is_unanswered(empty: dict[str, Any]) -> None:
    events = [_event("q1", "golden", "x"), _event("q2", "golden", "y")]
    (answered,) = [i for i in learn_invariants(events, T) if i.name == "answered"]
    bad = [{**_event("q1", "golden", "x"), "summary": empty}]
    assert check_invariant(answered, bad) is not None
