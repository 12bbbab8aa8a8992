"""Dropping what fails on the baseline: a failing test leaves the rendered file, the rest stay."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_autoimprove.generators.quality.render import EdgeCase, QualityPlan, render_quality
from pytest_autoimprove.generators.quality.verify import OPTIONAL_TESTS, _drop
from pytest_autoimprove.runtime.harness import Harness
from pytest_autoimprove.runtime.invariants import Invariant


def _plan() -> QualityPlan:
    harness = Harness(Path("."), "python eval.py {golden}", None, "golden.jsonl", "arg", 60.0)
    return QualityPlan(
        harness,
        "higher",
        "golden.jsonl",
        "visible.jsonl",
        "holdout.jsonl",
        baseline_holdout=0.5,
        allowed_drop=0.05,
        leak_names=("golden.jsonl",),
        leak_stems=("golden",),
        baseline_visible=0.6,
        rows=(40, 10),
        table_limit=8,
        edges=[
            EdgeCase("app.search::search", "empty", "", None, "empty-input"),
            EdgeCase("app.search::search", "long", "x" * 50, None, "huge-input"),
        ],
        invariants=[Invariant("sorted", "app.search::search")],
        probe={"target": "app.search::search"},
    )


def _tests(plan: QualityPlan) -> set[str]:
    return set(re.findall(r"^def (test_\w+)", render_quality(plan), re.MULTILINE))


@pytest.mark.parametrize("test", [row[0] for row in OPTIONAL_TESTS])
def test_a_failing_optional_test_is_dropped(test: str) -> None:
    plan = _plan()
    before = _tests(plan)
    assert test in before
    notes: list[str] = []
    _drop(plan, {test, "test_something_else"}, notes)
    after = _tests(plan)
    assert test not in after
    # The generalization test compares with the holdout: it goes with the holdout test.
    assert after >= before - {test, "test_visible_gain_carries_over_to_holdout"}
    assert len(notes) == 1 and notes[0].endswith("test: it fails on the baseline")


def test_failing_cases_of_a_parametrized_test_are_dropped_and_counted() -> None:
    plan = _plan()
    notes: list[str] = []
    failed = {"test_entry_point_handles_input[search-long]", "test_output_invariant[search-sorted]"}
    _drop(plan, failed, notes)
    assert [e.name for e in plan.edges] == ["empty"]
    assert plan.invariants == []
    assert "test_output_invariant" not in _tests(plan)
    assert notes == [
        "dropped 1 edge-input test(s) that fail on the baseline",
        "dropped 1 invariant test(s) that fail on the baseline",
    ]
