"""What mutation testing adds after the first verification is frozen only once verified."""

from __future__ import annotations

from pathlib import Path

from pytest_autoimprove.generators.performance.render import CaseText, ModulePlan, TargetPlan
from pytest_autoimprove.generators.performance.verify import _drop_unverified


def test_found_and_explored_cases_left_unverified_are_dropped() -> None:
    # nameparser: with no time left to verify them, explored cases were frozen anyway
    # and three of them failed on the baseline (they depend on a class-level setting).
    target = TargetPlan("HumanName.__setitem__", "method", 1)
    target.recorded = [
        CaseText(cid, "Case()", None) for cid in ("sample-0", "mutant-0", "explored-0")
    ]
    plan = ModulePlan(
        path=Path("parser.py"),
        name="parser",
        import_root=Path("."),
        output_dir=Path("tests/autoimprove_guard"),
        goal="speed",
        targets=[target],
        surface={},
        expected_exceptions=[],
        max_examples=10,
        tolerance=None,
    )
    recorded = target.test_names()["recorded"]
    _drop_unverified([plan], [f"{plan.test_path.name}::{recorded}"])
    assert target.dropped == {"mutant-0", "explored-0"}
