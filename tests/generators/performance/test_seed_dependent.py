"""A call whose outcome moves with the hash seed (text in a set, iterated into an
instance's state) is never frozen: the guardrails pass on the baseline in every process."""

from __future__ import annotations

import os
import pickle
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from guarded import Guarded

from pytest_autoimprove.generators.performance.probe import run, seed_moved

BAGS = '''
class Bag:
    """Values in the order they came."""

    def __init__(self):
        self.items = []

    def add_all(self, values: set[str]) -> int:
        for value in values:
            self.items.append(value)
        return len(self.items)
'''


def test_the_guardrails_pass_on_the_baseline_under_any_hash_seed(
    guarded: Callable[[str, str], Guarded],
) -> None:
    bags = guarded("bags", BAGS)
    for seed in range(1, 7):
        result = bags.run({**os.environ, "PYTHONHASHSEED": str(seed)})
        assert result.returncode == 0, (seed, result.stdout[-2000:])
    # What does not depend on the order is still guarded.
    bags.assert_caught("return len(self.items)", "return len(values)")


def test_the_probe_marks_what_moves_with_the_hash_seed_and_keeps_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "seedbags.py").write_text(textwrap.dedent(BAGS), encoding="utf-8")
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.chdir(tmp_path)
    words = {f"word {i}" for i in range(12)}  # twelve texts: their order moves

    def spec(cid: str, values: object) -> dict[str, Any]:
        payload = pickle.dumps(((values,), {}, ((), {})), protocol=4)
        return {"id": cid, "qualname": "Bag.add_all", "kind": "method", "payload": payload}

    request = {
        "sys_path": [str(tmp_path)],
        "modules": [
            {
                "name": "seedbags",
                "surface_names": [],
                "cases": [spec("texts", words), spec("numbers", set(range(12)))],
            }
        ],
    }
    try:
        records = {r["id"]: r for r in run(request)["modules"]["seedbags"]["cases"]}
    finally:
        sys.modules.pop("seedbags", None)
    assert records["texts"]["status"] == "seed-dependent"
    assert records["numbers"]["status"] == "ok"  # small ints hash to themselves
    entries = [("seedbags", "Bag.add_all", "method", records["numbers"])]
    assert seed_moved(entries, [str(tmp_path)], 30.0) == set()
