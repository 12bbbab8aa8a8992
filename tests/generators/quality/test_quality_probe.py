"""Entry point discovery, edge inputs, and invariants learned from observations."""

from __future__ import annotations

from pathlib import Path

from pytest_autoimprove.generators.quality.probe import edge_inputs, entry_points
from pytest_autoimprove.runtime.invariants import Invariant, check_invariant, learn_invariants

SOURCE = """\
class Engine:
    def __init__(self, path):
        self.path = path

    def search(self, query: str, k: int = 5) -> list:
        return []

    def add(self, doc_id: int, body: str) -> None:
        pass


def classify(sentence):
    return "a"


def tokenize(text: str) -> list:
    return text.split()


def rank(items: list, weights: dict) -> list:
    return items


def _private(query: str) -> str:
    return query
"""


def test_entry_points(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text(SOURCE, encoding="utf-8")
    found = {(p.qualname, p.param, p.limit_param) for p in entry_points(tmp_path, [Path("mod.py")])}
    assert found == {
        ("Engine.search", "query", "k"),
        ("classify", "sentence", None),
        ("tokenize", "text", None),
    }


def test_edge_inputs_include_hyphens_and_golden_variants() -> None:
    texts = [text for _, text, _ in edge_inputs(["crop rotation plan"])]
    assert "state-of-the-art" in texts and "crop-rotation-plan" in texts
    assert len(texts) == len(set(texts))


def _call(q: str, src: str = "golden", **summary: object) -> dict[str, object]:
    event: dict[str, object] = {"e": "call", "t": "m.py::search", "src": src, "q": q, "ok": True}
    if src.startswith("variant"):
        event["base"] = q.strip().lower()
    event["summary"] = {"type": "list", **summary}
    return event


BASELINE = [
    _call("a b", len=2, etypes=["Hit"], ids=["1", "2"], scores=[0.9, 0.1]),
    _call("  a b  ", "variant:padded", len=2, etypes=["Hit"], ids=["1", "2"], scores=[0.9, 0.1]),
    _call("c d", len=3, etypes=["Hit"], ids=["3", "1", "2"], scores=[0.5, 0.4, 0.4]),
    _call(
        "  c d  ",
        "variant:padded",
        len=3,
        etypes=["Hit"],
        ids=["3", "1", "2"],
        scores=[0.5, 0.4, 0.4],
    ),
    {**_call("x", src="edge", len=0, etypes=[], ids=[]), "limit": 3},
]


def test_learned_invariants() -> None:
    names = {inv.id for inv in learn_invariants(BASELINE, "m.py::search")}
    assert names == {
        "result-type",
        "unique-ids",
        "sorted-scores-descending",
        "at-most-limit",
        "same-result-padded",
        "answered",
    }


def test_invariants_catch_regressions() -> None:
    invariants = {inv.id: inv for inv in learn_invariants(BASELINE, "m.py::search")}
    assert all(check_invariant(inv, BASELINE) is None for inv in invariants.values())
    bad = [
        _call("a b", len=2, etypes=["Hit"], ids=["1", "1"], scores=[0.1, 0.9]),
        _call("  a b  ", "variant:padded", len=0, etypes=[], ids=[]),
        {
            **_call("x", src="edge", len=5, etypes=["dict"], ids=["1", "2", "3", "4", "5"]),
            "limit": 3,
        },
    ]
    for name in (
        "unique-ids",
        "sorted-scores-descending",
        "same-result-padded",
        "at-most-limit",
        "result-type",
    ):
        assert check_invariant(invariants[name], bad) is not None, name


def test_missing_target_fails_every_invariant() -> None:
    inv = Invariant("unique-ids", "m.py::search")
    assert "never called" in str(check_invariant(inv, []))


def test_no_invariant_from_inconsistent_baseline() -> None:
    events = [
        _call("a", len=2, ids=["1", "1"], scores=[0.1, 0.9]),
        _call("b", len=2, ids=["2", "3"], scores=[0.9, 0.1]),
    ]
    names = {inv.name for inv in learn_invariants(events, "m.py::search")}
    assert "unique-ids" not in names and "sorted-scores" not in names
