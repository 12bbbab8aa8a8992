"""Verification's scheduling, with a fake runner: named targets first, deadlines kept."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from pytest_autoimprove.generators import GeneratedFile
from pytest_autoimprove.generators.performance.render import (
    CaseText,
    ModulePlan,
    TargetPlan,
    render_module,
)
from pytest_autoimprove.generators.performance.verify import verify_plans

OUT = Path("tests/autoimprove_guard")


def _plan() -> ModulePlan:
    targets = []
    for name in ("first", "second"):
        t = TargetPlan(name, "function", 1)
        t.recorded = [CaseText("real-0", f"Case('real-0', args=(1,), returns={name!r})", None)]
        targets.append(t)
    return ModulePlan(
        path=Path("mod.py"),
        name="mod",
        import_root=Path("."),
        output_dir=OUT,
        goal="speed",
        targets=targets,
        surface={},
        expected_exceptions=[],
        max_examples=10,
        tolerance=None,
        drop_surface=True,
    )


class FakeRunner:
    """Passes every selected test; from call ``die_from`` on, is killed at the deadline."""

    def __init__(self, die_from: int = 99) -> None:
        self.calls: list[list[str]] = []
        self.die_from = die_from

    def __call__(self, argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> Any:
        nodes = [a for a in argv if "::" in a or a.endswith("autoimprove_guard")]
        self.calls.append([n.split("::", 1)[-1] for n in nodes])
        if len(self.calls) > self.die_from:
            return -9, ""
        with open(env["AUTOIMPROVE_VERIFY_LOG"], "a", encoding="utf-8") as log:
            for node in nodes:
                test = node.split("::", 1)[-1] if "::" in node else None
                for name in [test] if test else ["test_first_recorded", "test_second_recorded"]:
                    line = {
                        "nodeid": f"tests/autoimprove_guard/test_guard_mod.py::{name}[real-0]",
                        "passed": True,
                        "seconds": 0.01,
                    }
                    log.write(json.dumps(line) + "\n")
        return 0, "passed"


def _verify(plan: ModulePlan, runner: FakeRunner, **kwargs: Any) -> list[str]:
    return verify_plans(
        [plan],
        lambda: [GeneratedFile(plan.test_path, render_module(plan))],
        output_dir=OUT,
        env={},
        deadline=time.monotonic() + 60,
        max_examples=10,
        runner=runner,
        **kwargs,
    )


def test_named_targets_are_verified_first_in_a_run_of_their_own() -> None:
    plan = _plan()
    runner = FakeRunner()
    _verify(plan, runner, priority=["test_guard_mod.py::test_second_recorded"])
    assert runner.calls[0] == ["test_second_recorded"]
    assert runner.calls[1] == ["test_first_recorded"]
    assert all(not t.dropped for t in plan.targets)


def test_a_second_round_cut_by_the_deadline_keeps_what_passed_the_first() -> None:
    plan = _plan()
    runner = FakeRunner(die_from=1)  # the first run passes, the second seed's is killed
    notes = _verify(plan, runner)
    assert len(runner.calls) == 2
    assert [t.qualname for t in plan.targets] == ["first", "second"]
    assert all(not t.dropped for t in plan.targets)
    assert "no time left for another verification run; kept what passed" in notes


class TimedRunner(FakeRunner):
    """Records the time limit each run was given."""

    def __init__(self) -> None:
        super().__init__()
        self.timeouts: list[float] = []

    def __call__(self, argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> Any:
        self.timeouts.append(timeout)
        return super().__call__(argv, cwd=cwd, env=env, timeout=timeout)


def test_the_named_targets_tests_may_run_past_the_others_deadline() -> None:
    # croniter: the probe took its share, and the named targets' tests were cut off at
    # the early deadline kept for mutation testing; they have until a later one.
    plan = _plan()
    runner = TimedRunner()
    verify_plans(
        [plan],
        lambda: [GeneratedFile(plan.test_path, render_module(plan))],
        output_dir=OUT,
        env={},
        deadline=time.monotonic() + 5,
        max_examples=10,
        runner=runner,
        priority=["test_guard_mod.py::test_second_recorded"],
        priority_deadline=time.monotonic() + 50,
    )
    assert runner.calls[0] == ["test_second_recorded"]
    assert runner.timeouts[0] > 40 and runner.timeouts[1] <= 5
