"""Running the rendered quality tests on the untouched baseline, and dropping what fails.

Guard tests must pass on the baseline: a test that fails there (a benchmark that
scores differently in a scratch copy, an invariant a second run breaks) is dropped
from the plan, with a note, before anything is written.
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from pytest_autoimprove.generators import GeneratedFile, scratch_pytest
from pytest_autoimprove.generators.quality.render import QualityPlan, render_quality
from pytest_autoimprove.process import run_command
from pytest_autoimprove.runtime.harness import copy_repo

__all__ = ["verify_plan"]


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
        env = {"PYTEST_ADDOPTS": "", "PYTHONDONTWRITEBYTECODE": "1"}
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


def _drop(plan: QualityPlan, failed: set[str], notes: list[str]) -> None:
    if "test_holdout_score_did_not_drop" in failed:
        plan.baseline_holdout = None
        notes.append("dropped the holdout test: it fails on the baseline")
    if "test_code_in_scope_does_not_read_golden_files" in failed:
        plan.check_reads = False
        notes.append("dropped the golden-read test: the baseline already trips it")
    if "test_code_in_scope_does_not_embed_golden_set" in failed:
        plan.check_literals = False
        notes.append("dropped the golden-literal test: it fails on the baseline")
    if "test_visible_gain_carries_over_to_holdout" in failed:
        plan.baseline_visible = None
        notes.append("dropped the generalization test: it fails on the baseline")
    if "test_code_in_scope_adds_no_golden_table" in failed:
        plan.table_limit = None
        notes.append("dropped the golden-table test: it fails on the baseline")
    edge_ids = {
        f"test_entry_point_handles_input[{e.target.rsplit('::', 1)[-1]}-{e.name}]": e
        for e in plan.edges
    }
    bad_edges = [e for name, e in edge_ids.items() if name in failed]
    if bad_edges:
        plan.edges = [e for e in plan.edges if e not in bad_edges]
        notes.append(f"dropped {len(bad_edges)} edge-input test(s) that fail on the baseline")
    inv_ids = {
        f"test_output_invariant[{i.target.rsplit('::', 1)[-1]}-{i.id}]": i for i in plan.invariants
    }
    bad_invs = [i for name, i in inv_ids.items() if name in failed]
    if bad_invs:
        plan.invariants = [i for i in plan.invariants if i not in bad_invs]
        notes.append(f"dropped {len(bad_invs)} invariant test(s) that fail on the baseline")
