"""When order is no contract: items of the input's sets, and an order the baseline's own
hash seed moves; any other change of order fails."""

from __future__ import annotations

import importlib
import types
from pathlib import Path

import pytest

from pytest_autoimprove.runtime import order
from pytest_autoimprove.runtime.order import moved_within_sets, set_items
from pytest_autoimprove.runtime.replay import Case, check_differential, replay


def _module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(source, module.__dict__)  # noqa: S102 - a test's own module text
    return module


# The baseline lists a set in iteration order; the rewrite builds it another way (here:
# sorted, descending), an order Python never promised either way.
BASELINE = _module(
    "flat",
    "def flat(groups):\n"
    "    return [v for v in {v for g in groups.values() for v in g}] + sorted(groups)\n",
)
REWRITE = _module(
    "flat",
    "def flat(groups):\n"
    "    items = set().union(*groups.values())\n"
    "    return sorted(items, key=repr, reverse=True) + sorted(groups)\n",
)
# A regression: the keys (given in a dict, not a set) come back reversed.
KEYS_REVERSED = _module(
    "flat",
    "def flat(groups):\n"
    "    return [v for v in {v for g in groups.values() for v in g}] + sorted(groups)[::-1]\n",
)
DATA = {"a": {-221, -146, -985}, "b": {914, -306, -377}}


def test_set_items_reach_nested_sets() -> None:
    items = set_items(({"k": [frozenset({1, 2})]}, {"x": {3}}))
    assert sorted(items) == [1, 2, 3]


def test_moved_within_sets() -> None:
    items = set_items((DATA,))
    assert moved_within_sets([-221, -985, 1], [-985, -221, 1], items)
    assert not moved_within_sets([-221, 1, -985], [-985, 1, -221], [1, 2])  # not set items
    assert not moved_within_sets([1, 2], [2, 1], [])  # no set in the input
    assert not moved_within_sets([-221, -985], [-221, -146], items)  # other items
    assert not moved_within_sets((-221, -985), [-985, -221], items)  # other type


def test_a_rewrite_that_reorders_a_sets_items_passes_the_differential() -> None:
    check_differential(REWRITE, BASELINE, "flat", "function", (DATA,))


def test_a_reordered_list_still_fails_the_differential() -> None:
    with pytest.raises(AssertionError, match="differs from the baseline"):
        check_differential(KEYS_REVERSED, BASELINE, "flat", "function", (DATA,))


def test_recorded_cases_accept_the_same_reordering() -> None:
    case = Case("sample-0", args=(DATA,), returns=BASELINE.flat(DATA))
    replay(REWRITE, "flat", "function", case)
    with pytest.raises(AssertionError, match="differs from the baseline"):
        replay(KEYS_REVERSED, "flat", "function", case)


def _modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **sources: str
) -> list[types.ModuleType]:
    """Modules written as files and imported: the hash-seed probe imports them again in
    a process of its own."""
    # The probes a test process may start are counted per process: start afresh.
    monkeypatch.setattr(order, "_probes_started", 0)
    for name, source in sources.items():
        (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return [importlib.import_module(name) for name in sources]


WORDS = {f"w{i}": i for i in range(12)}


def test_an_order_that_moves_with_the_hash_seed_is_no_contract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # toposort_flatten's last level: the keys of a dict put in a set, listed; text
    # hashes differently in every process, so the baseline's own order moves.
    baseline, rewrite = _modules(
        tmp_path,
        monkeypatch,
        hashed_base="def names(groups):\n    return list({k for k in groups})\n",
        hashed_rewrite="def names(groups):\n    return sorted(set(groups))\n",
    )
    if rewrite.names(WORDS) == baseline.names(WORDS):  # pragma: no cover - 1 in 12!
        pytest.skip("this process's hash seed happens to list the words sorted")
    check_differential(rewrite, baseline, "names", "function", (WORDS,))


def test_an_order_the_baseline_keeps_still_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # list(dict.fromkeys(...)) keeps the callers' order in every process: a rewrite
    # through a set (or sorted) changes the output, whatever the hash seed.
    baseline, rewrite = _modules(
        tmp_path,
        monkeypatch,
        kept_base="def names(groups):\n    return list(dict.fromkeys(groups))\n",
        kept_rewrite="def names(groups):\n    return sorted(groups, reverse=True)\n",
    )
    with pytest.raises(AssertionError, match="differs from the baseline"):
        check_differential(rewrite, baseline, "names", "function", (WORDS,))


def test_a_recorded_order_the_hash_seed_moved_is_no_contract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, baseline_copy: Path
) -> None:
    # ``AnyOf.__iter__`` over a frozenset of clauses, recorded in the generator's
    # process and replayed in another: the unchanged code lists the same items in
    # another order, and so does the baseline copy here.
    names = "def names(groups):\n    return list({k for k in groups})\n"
    (baseline_copy / "seeded.py").write_text(names, encoding="utf-8")
    [current] = _modules(tmp_path, monkeypatch, seeded=names)
    elsewhere = current.names(WORDS)[::-1]  # as another process listed them
    replay(current, "names", "function", Case("real-0", args=(WORDS,), returns=elsewhere))
    with pytest.raises(AssertionError, match="differs from the baseline"):  # other items
        replay(current, "names", "function", Case("real-1", args=(WORDS,), returns=["w0"]))


def test_a_recorded_order_the_baseline_keeps_still_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, baseline_copy: Path
) -> None:
    kept = "def names(groups):\n    return list(dict.fromkeys(groups))\n"
    (baseline_copy / "ordered.py").write_text(kept, encoding="utf-8")
    rewrite = "def names(groups):\n    return sorted(groups, reverse=True)\n"
    [current] = _modules(tmp_path, monkeypatch, ordered=rewrite)
    case = Case("real-0", args=(WORDS,), returns=list(WORDS))
    with pytest.raises(AssertionError, match="differs from the baseline"):
        replay(current, "names", "function", case)


BAG = """
class Bag:
    def __init__(self):
        self.text = ""

    def fill(self, words):
        self.text = ", ".join({w for w in words})
"""


def test_an_instance_text_the_hash_seed_moved_is_no_contract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, baseline_copy: Path
) -> None:
    # multiset's str(): "{a, -, c}" recorded under one hash seed, "{a, c, -}" under
    # another. The baseline copy here gives the current text too: no regression.
    (baseline_copy / "bag.py").write_text(BAG, encoding="utf-8")
    [current] = _modules(tmp_path, monkeypatch, bag=BAG)
    here = current.Bag()
    here.fill(WORDS)
    elsewhere = ", ".join(reversed(here.text.split(", ")))
    case = Case("real-0", args=(WORDS,), ctor=((), {}), returns=None, state={"text": elsewhere})
    replay(current, "Bag.fill", "method", case)
    # A rewrite the baseline copy does not agree with still fails.
    sorted_bag = BAG.replace('", ".join({w for w in words})', '", ".join(sorted(words))')
    (tmp_path / "rewrite").mkdir()
    [rewrite] = _modules(tmp_path / "rewrite", monkeypatch, bag_sorted=sorted_bag)
    (baseline_copy / "bag_sorted.py").write_text(BAG, encoding="utf-8")
    with pytest.raises(AssertionError, match="instance state"):
        replay(rewrite, "Bag.fill", "method", case)
