"""``autoimprove-guard demo``: the README's first command, end to end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest


def demo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "demo", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


@pytest.mark.slow(seconds=28)
def test_demo_finds_the_hyphen_crash_and_improves_the_score(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    # Ten rounds reach every constant's first step (five constants, two directions),
    # and doubling BM25_TITLE_WEIGHT improves the score from the baseline, whatever
    # order the run id's seed gives the search.
    result = demo("--into", str(target), "--rounds", "10", cwd=tmp_path)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    # The guardrails find the baseline's bug before the first experiment.
    assert "findings: 1 bug(s) in the baseline" in out
    assert "'state-of-the-art'" in out and "OperationalError" in out
    # The loop keeps at least one real improvement with the tune proposer.
    counts = re.search(r"experiments: \d+ \((\d+) kept", out)
    assert counts is not None and int(counts[1]) >= 1, out
    summary = next(line for line in out.splitlines() if "score: baseline" in line)
    assert "(+" in summary and "(+0.00%" not in summary, summary
    assert "to merge it: git merge autoimprove/" in out
    runs = list((target / ".autoimprove" / "runs").iterdir())
    assert len(runs) == 1
    assert (runs[0] / "report.md").is_file()
    pytest.importorskip("matplotlib")
    assert (runs[0] / "progress.png").stat().st_size > 10_000


def test_demo_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = demo("--into", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_demo_rejects_a_bad_budget(tmp_path: Path) -> None:
    result = demo("--into", str(tmp_path / "d"), "--budget", "soon", cwd=tmp_path)
    assert result.returncode == 2
    assert "--budget" in result.stderr and "Traceback" not in result.stderr
