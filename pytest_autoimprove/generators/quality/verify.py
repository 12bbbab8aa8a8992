"""Running the rendered quality tests on the untouched baseline, and dropping what fails.

Guard tests must pass on the baseline: a test that fails there (a benchmark that
scores differently in a scratch copy, an invariant a second run breaks) is dropped
from the plan, with a note, before anything is written.
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from pytest_autoimprove.generators import GeneratedFile, scratch_env, scratch_pytest
from pytest_autoimprove.generators.quality.render import QualityPlan, render_quality
from pytest_autoimprove.process import run_command
from pytest_autoimprove.runtime.harness import copy_repo

__all__ = ["OPTIONAL_TESTS", "verify_plan"]

_Case = TypeVar("_Case")


def verify_plan(
    root: Path,
    plan: QualityPlan,
    files: Sequence[GeneratedFile],
    test_path: Path,
    time_budget: float,
) -> list[str]:
    """Run the rendered tests on a scratch copy; drop what fails on the baseline."""
    notes: list[str] = []
    for _round in range(2):
        failed = _failing_tests(root, plan, files, test_path, time_budget)
        if failed is None:
            notes.append("could not run the generated quality tests to verify them")
            return notes
        if not failed:
            return notes
        _drop(plan, failed, notes)
    return notes


def _failing_tests(
    root: Path,
    plan: QualityPlan,
    files: Sequence[GeneratedFile],
    test_path: Path,
    time_budget: float,
) -> set[str] | None:
    with tempfile.TemporaryDirectory(prefix="autoimprove-verify-quality-") as tmp:
        copy = copy_repo(root, Path(tmp) / "repo")
        for file in [*files, GeneratedFile(test_path, render_quality(plan))]:
            file.write(copy)
        xml = Path(tmp) / "report.xml"
        argv = scratch_pytest(
            copy, Path(tmp) / "pytest.ini", f"--junitxml={xml}", str(copy / test_path)
        )
        env = scratch_env(PYTEST_ADDOPTS="")
        timeout = max(120.0, time_budget * 2, plan.harness.timeout * 3)
        result = run_command(argv, cwd=copy, timeout=timeout, env=env)
        if not xml.exists() or result.timed_out:
            return None
        failed: set[str] = set()
        for case in ET.parse(xml).getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed.add(case.get("name", ""))
        if result.returncode not in (0, 1) and not failed:
            return None
        return failed


#: The tests a plan can leave out one by one: the test, the plan field that leaves it
#: out and the value that does, and the test's name in the note.
OPTIONAL_TESTS: tuple[tuple[str, str, object, str], ...] = (
    ("test_holdout_score_did_not_drop", "baseline_holdout", None, "holdout"),
    ("test_code_in_scope_does_not_read_golden_files", "check_reads", False, "golden-read"),
    ("test_code_in_scope_does_not_embed_golden_set", "check_literals", False, "golden-literal"),
    ("test_visible_gain_carries_over_to_holdout", "baseline_visible", None, "generalization"),
    ("test_code_in_scope_adds_no_golden_table", "table_limit", None, "golden-table"),
)


def _drop(plan: QualityPlan, failed: set[str], notes: list[str]) -> None:
    for test, switch, off, label in OPTIONAL_TESTS:
        if test in failed:
            setattr(plan, switch, off)
            notes.append(f"dropped the {label} test: it fails on the baseline")
    plan.edges = _passing(
        plan.edges,
        lambda e: f"test_entry_point_handles_input[{_last(e.target)}-{e.name}]",
        failed,
        "edge-input",
        notes,
    )
    plan.invariants = _passing(
        plan.invariants,
        lambda i: f"test_output_invariant[{_last(i.target)}-{i.id}]",
        failed,
        "invariant",
        notes,
    )


def _passing(
    cases: list[_Case],
    test_id: Callable[[_Case], str],
    failed: set[str],
    what: str,
    notes: list[str],
) -> list[_Case]:
    """The parametrized ``cases`` whose test passed on the baseline."""
    kept = [case for case in cases if test_id(case) not in failed]
    if len(kept) < len(cases):
        notes.append(f"dropped {len(cases) - len(kept)} {what} test(s) that fail on the baseline")
    return kept


def _last(target: str) -> str:
    """A target's name in a test id: ``pkg.mod::search`` -> ``search``."""
    return target.rsplit("::", 1)[-1]
