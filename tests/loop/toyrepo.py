"""Toy repositories for the loop tests: tiny, real git repos with a lock and a fake agent.

A module with its own name (not conftest.py) so test modules can import these helpers
whatever other conftest.py files pytest has loaded under the name ``conftest``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

AGENTS = Path(__file__).parent / "agents"

IMPROVE_MD = """\
# autoimprove: toy

## Change
scope: mod.py

## Check
run: {python} bench.py
goal: {goal}
timeout: 60s
frozen: bench.py

## Stop
rounds: {rounds}

## Agent
provider: command
command: {python} {agent} {plan}
timeout: {agent_timeout}
{agent_extra}"""

MOD = """\
VALUE = 10


def value() -> int:
    if globals().get("BROKEN"):
        return -1
    if globals().get("EXIT"):
        import os

        os._exit(0)
    return VALUE
"""

BENCH = """\
import mod

print(f"SCORE: {mod.VALUE}")
"""

TEST_MOD = """\
import mod


def test_value_positive():
    assert mod.value() > 0
"""

GUARD = """\
import pytest

import mod


@pytest.mark.autoimprove_guard
def test_guard_bounded():
    assert mod.value() < 1000
"""

PYPROJECT = """\
[tool.pytest.ini_options]
testpaths = ["tests"]
"""


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


@dataclass
class ToyRepo:
    root: Path
    plan: Path

    def set_plan(self, actions: list[str]) -> None:
        self.plan.write_text(json.dumps(actions))

    def calls(self) -> list[str]:
        path = self.plan.with_suffix(".calls")
        return path.read_text().splitlines() if path.exists() else []

    def run_dirs(self) -> list[Path]:
        base = self.root / ".autoimprove" / "runs"
        return sorted(p for p in base.iterdir()) if base.is_dir() else []

    def journal(self) -> list[dict[str, object]]:
        path = self.run_dirs()[-1] / "journal.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def records(self) -> list[dict[str, object]]:
        return [e["record"] for e in self.journal() if e["event"] == "experiment"]  # type: ignore[misc]

    def statuses(self) -> list[str]:
        return [str(r["status"]) for r in self.records()]


def make_repo(
    tmp_path: Path,
    *,
    rounds: int = 5,
    agent_timeout: str = "60s",
    extra_check: str = "",
    plan: list[str] | None = None,
    goal: str = "higher",
    bench: str = BENCH,
    change: str = "scope: mod.py",
    agent_extra: str = "",
    files: dict[str, str] | None = None,
) -> ToyRepo:
    from pytest_autoimprove import guard
    from pytest_autoimprove.config import load_config

    root = tmp_path / "repo"
    (root / "tests" / "autoimprove_guard").mkdir(parents=True)
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan or []))
    text = IMPROVE_MD.format(
        python=sys.executable,
        agent=AGENTS / "fake_agent.py",
        plan=plan_path,
        rounds=rounds,
        agent_timeout=agent_timeout,
        goal=goal,
        agent_extra=agent_extra,
    ).replace("scope: mod.py\n", change + "\n")
    if extra_check:
        text = text.replace("frozen: bench.py\n", f"frozen: bench.py\n{extra_check}\n")
    (root / "improve.md").write_text(text)
    (root / "mod.py").write_text(MOD)
    (root / "bench.py").write_text(bench)
    (root / "README.md").write_text("toy\n")
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "tests" / "test_mod.py").write_text(TEST_MOD)
    (root / "tests" / "autoimprove_guard" / "test_guard.py").write_text(GUARD)
    (root / ".gitignore").write_text("__pycache__/\n*.log\n")
    for name, text in (files or {}).items():
        (root / name).write_text(text)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "config", "commit.gpgsign", "false")
    config = load_config(root)
    guard.freeze(root, config, guard_tests=1)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "toy project")
    return ToyRepo(root, plan_path)


def run_loop(repo: ToyRepo, **options: object) -> tuple[int, str]:
    """The loop in-process with the standalone hook manager; (exit code, output)."""
    from pytest_autoimprove.errors import AutoimproveError
    from pytest_autoimprove.loop.console import Console
    from pytest_autoimprove.loop.run import Loop, LoopOptions
    from pytest_autoimprove.manager import standalone_manager

    out = io.StringIO()
    console = Console(out, live=False)
    try:
        code = Loop(
            LoopOptions(start=repo.root, **options),  # type: ignore[arg-type]
            hook=standalone_manager().hook,
            console=console,
        ).run()
    except AutoimproveError as exc:
        return int(exc.exit_code), out.getvalue() + f"autoimprove: {exc}\n"
    return int(code), out.getvalue()


def checkout_state(root: Path) -> dict[str, object]:
    """Everything of the user's checkout that the loop must leave byte-identical."""
    import hashlib

    files: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".git/", ".autoimprove/runs", ".autoimprove/worktrees")):
            continue
        if path.is_file():
            files[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    index = (root / ".git" / "index").read_bytes()
    branches = [
        b for b in git(root, "branch", "--format=%(refname)").split() if "autoimprove/" not in b
    ]
    return {
        "files": files,
        "index": hashlib.sha256(index).hexdigest(),
        "head": git(root, "rev-parse", "HEAD"),
        "symbolic": git(root, "symbolic-ref", "HEAD"),
        "status": git(root, "--no-optional-locks", "status", "--porcelain"),
        "stash": git(root, "stash", "list"),
        "branches": branches,
    }


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    return env
