"""The probe's budget is shared: targets take turns, and a slow one stops early.

croniter's constructor had dozens of planned calls, some of which expand a schedule
for seconds; probed one target after the other, it spent the whole budget alone and
the named ``get_next`` had no test. Targets now take turns within a tier, and a
target slow three times has no other call tried.
"""

from __future__ import annotations

import pickle
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pytest_autoimprove.generators.performance.probe import MAX_SLOW_CALLS, run

SLOW = """
import time


def expand(n):
    time.sleep(0.3)  # every call is too slow to replay in a guardrail
    return n


def double(n):
    return 2 * n
"""


def _spec(cid: str, qualname: str, value: object, tier: int = 0) -> dict[str, Any]:
    payload = pickle.dumps(((value,), {}, None), protocol=4)
    return {"id": cid, "qualname": qualname, "kind": "function", "payload": payload, "tier": tier}


def test_targets_take_turns_and_a_slow_one_stops_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "slowmod.py").write_text(textwrap.dedent(SLOW), encoding="utf-8")
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.chdir(tmp_path)
    cases = [_spec(f"e{i}", "expand", i) for i in range(12)]
    cases += [_spec(f"d{i}", "double", i) for i in range(3)]
    cases.append(_spec("later", "expand", 99, tier=1))
    request = {
        "sys_path": [str(tmp_path)],
        "seed_check": False,
        "modules": [{"name": "slowmod", "surface_names": [], "cases": cases}],
    }
    try:
        records = run(request)["modules"]["slowmod"]["cases"]
    finally:
        sys.modules.pop("slowmod", None)
    order = [r["id"] for r in records]
    # Turn by turn within tier 0 (expand, double, expand, double...), tier 1 last.
    assert order[:6] == ["e0", "d0", "e1", "d1", "e2", "d2"] and order[-1] == "later"
    statuses = {r["id"]: r["status"] for r in records}
    assert [statuses[f"e{i}"] for i in range(MAX_SLOW_CALLS)] == ["slow"] * MAX_SLOW_CALLS
    assert {statuses[f"e{i}"] for i in range(MAX_SLOW_CALLS, 12)} == {"skipped-slow"}
    assert {statuses[f"d{i}"] for i in range(3)} == {"ok"}
