"""The loop on a quality goal: cheats on the golden set are not kept, honest gains are.

A real project (the benchmark corpus's intent classifier, 40 golden rows), its real
generated guardrails, and a scripted agent (agents/quality_agent.py) that memorizes
the visible golden split in several ways, crashes on blank input, or improves the
classifier honestly.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from toyrepo import AGENTS, ToyRepo, git, run_loop

from pytest_autoimprove import guard
from pytest_autoimprove.config import load_config
from pytest_autoimprove.generators import driver

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus_quality"

AGENT_SECTION = """
## Stop
rounds: {rounds}

## Agent
provider: command
command: {python} {agent} {plan}
timeout: 60s
workers: {workers}
"""


GUARD = """\
import pytest


@pytest.mark.autoimprove_guard
def test_nothing_but_the_loop_guards_this() -> None:
    assert True
"""


def _project(
    tmp_path: Path, plan: list[str], *, generate: bool = True, workers: int = 1
) -> ToyRepo:
    root = Path(
        shutil.copytree(
            CORPUS / "intents", tmp_path / "repo", ignore=shutil.ignore_patterns("__pycache__")
        )
    )
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan))
    improve = root / "improve.md"
    improve.write_text(
        improve.read_text(encoding="utf-8")
        + AGENT_SECTION.format(
            rounds=len(plan),
            python=sys.executable,
            agent=AGENTS / "quality_agent.py",
            plan=plan_path,
            workers=workers,
        ),
        encoding="utf-8",
    )
    (root / ".gitignore").write_text("__pycache__/\n.autoimprove/runs/\n.autoimprove/worktrees/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "config", "commit.gpgsign", "false")
    if generate:
        assert driver.run(root, load_config(root)) == 0
    else:
        # The splits alone, without the generated tests: only the loop's own check is left.
        lines = (root / "data" / "golden.jsonl").read_text(encoding="utf-8").splitlines(True)
        split = root / "tests" / "autoimprove_guard" / "golden"
        split.mkdir(parents=True)
        (split / "visible.jsonl").write_text("".join(lines[::3] + lines[1::3]))
        (split / "holdout.jsonl").write_text("".join(lines[2::3]))
        (split.parent / "test_guard.py").write_text(GUARD)
        guard.freeze(root, load_config(root), guard_tests=1)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "intent classifier with its guardrails")
    return ToyRepo(root, plan_path)


def test_only_the_honest_changes_are_kept(tmp_path: Path) -> None:
    plan = ["memorize-all", "cues", "positional", "memorize-wrong", "stemming", "crash-blank"]
    repo = _project(tmp_path, plan)
    code, out = run_loop(repo)
    assert code == 0, out
    records = {str(r["description"]): r for r in repo.records()}
    assert set(records) == set(plan), out
    kept = {name for name, r in records.items() if r["status"] == "kept"}
    assert kept == {"cues", "stemming"}, {n: (r["status"], r["reason"]) for n, r in records.items()}
    for name in ("memorize-all", "positional", "memorize-wrong", "crash-blank"):
        assert records[name]["status"] in ("failed", "discarded"), records[name]
    # the keeps carry their holdout score, for the next keep's generalization check
    assert all(isinstance(records[n].get("holdout"), float) for n in kept)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_loop_refuses_a_visible_gain_the_holdout_does_not_share(
    tmp_path: Path, workers: int
) -> None:
    # The memorizer is judged against the baseline: on top of "cues" (3 visible errors
    # left, 1 holdout error) no test can tell memorizing from fixing.
    repo = _project(tmp_path, ["memorize-all", "cues after 1"], generate=False, workers=workers)
    code, out = run_loop(repo)
    assert code == 0, out
    records = {str(r["description"]): r for r in repo.records()}
    memorized, honest = records["memorize-all"], records["cues"]
    assert memorized["status"] == "discarded", memorized
    assert "does not carry over to the holdout" in str(memorized["reason"])
    assert float(memorized["score"]) == 1.0  # type: ignore[arg-type]
    assert honest["status"] == "kept", honest
    assert isinstance(honest["holdout"], float)
    baseline = next(e for e in repo.journal() if e["event"] == "baseline")
    assert isinstance(baseline["holdout"], float)
