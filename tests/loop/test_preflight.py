"""A run that cannot start says why and leaves nothing behind: no worktree, no branch,
no ref, no run folder (the first night on a real repository left all four)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from toyrepo import AGENTS, ToyRepo, git, run_loop

from pytest_autoimprove.loop.preflight import changed_fields


def leftovers(root: Path) -> dict[str, object]:
    """Everything a run creates in the repository."""
    worktrees = [
        line for line in git(root, "worktree", "list", "--porcelain").splitlines()
        if line.startswith("worktree ")
    ]  # fmt: skip
    state = root / ".autoimprove"
    return {
        "worktrees": len(worktrees) - 1,  # the checkout itself
        "refs": git(root, "for-each-ref", "refs/autoimprove/", "refs/heads/autoimprove/"),
        "runs": sorted(p.name for p in (state / "runs").iterdir())
        if (state / "runs").is_dir()
        else [],
        "worktree folders": sorted(p.name for p in (state / "worktrees").iterdir())
        if (state / "worktrees").is_dir()
        else [],
        "excluded": ".autoimprove/runs/" in (root / ".git" / "info" / "exclude").read_text(),
    }


NOTHING = {"worktrees": 0, "refs": "", "runs": [], "worktree folders": [], "excluded": False}


def edit_improve(repo: ToyRepo, old: str, new: str, *, commit: bool = True) -> None:
    """Change improve.md (and, committed, re-freeze the lock, as a user would)."""
    from pytest_autoimprove import guard
    from pytest_autoimprove.config import load_config

    path = repo.root / "improve.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    if commit:
        guard.freeze(repo.root, load_config(repo.root), guard_tests=1)
        git(repo.root, "commit", "-qam", "edit improve.md")


def fake_cli(tmp_path: Path, name: str, version_exit: int) -> Path:
    script = tmp_path / name
    script.write_text(
        f"#!{sys.executable}\nimport sys\n"
        f"if sys.argv[1:] == ['--version']:\n    print('{name}: not logged in')\n"
        f"    sys.exit({version_exit})\n"
    )
    script.chmod(0o755)
    return script


@pytest.mark.parametrize(
    ("edit", "code", "message"),
    [
        (
            ("command: ", "command: no-such-agent-4711 --go # "),
            2,
            "improve.md:17: command: `no-such-agent-4711` is not on PATH",
        ),
        (("scope: mod.py", "scope: mdo.py"), 2, "improve.md:4: scope 'mdo.py' matches no file"),
        (
            ("provider: command\ncommand: ", "provider: claude\ncommand: /nowhere/claude # "),
            2,
            "provider claude: `/nowhere/claude` is not on PATH",
        ),
    ],
    ids=["command-missing", "scope-matches-nothing", "preset-missing"],
)
def test_bad_configuration_is_reported_before_anything_exists(
    toy: Callable[..., ToyRepo], edit: tuple[str, str], code: int, message: str
) -> None:
    repo = toy(rounds=1, plan=["improve"])
    edit_improve(repo, *edit)
    got, out = run_loop(repo)
    assert got == code, out
    assert message in out
    assert "Traceback" not in out
    assert repo.calls() == []  # the proposer never ran
    assert leftovers(repo.root) == NOTHING


def test_a_preset_that_does_not_answer_version_is_reported(
    toy: Callable[..., ToyRepo], tmp_path: Path
) -> None:
    repo = toy(rounds=1)
    broken = fake_cli(tmp_path, "codex", version_exit=3)
    agent_line = f"command: {sys.executable} {AGENTS / 'fake_agent.py'} {repo.plan}"
    edit_improve(repo, f"provider: command\n{agent_line}", f"provider: codex\ncommand: {broken}")
    code, out = run_loop(repo)
    assert code == 2, out
    assert f"provider codex: `{broken} --version` exited with 3 (codex: not logged in)" in out
    assert leftovers(repo.root) == NOTHING


def test_a_logged_in_cli_needs_no_api_key(
    toy: Callable[..., ToyRepo], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    repo = toy(rounds=1)
    claude = f"{sys.executable} {AGENTS / 'fake_claude.py'}"
    agent_line = f"command: {sys.executable} {AGENTS / 'fake_agent.py'} {repo.plan}"
    edit_improve(
        repo,
        f"provider: command\n{agent_line}",
        f"provider: claude\nmodel: opus\ncommand: {claude}",
    )
    code, out = run_loop(repo)
    assert code == 0, out
    assert repo.statuses() == ["kept"]


def test_every_configuration_problem_at_once(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1)
    edit_improve(repo, "scope: mod.py", "scope: mdo.py, src/*.py")
    edit_improve(repo, "command: ", "command: no-such-agent-4711 # ")
    code, out = run_loop(repo)
    assert code == 2
    lines = [line for line in out.splitlines() if "improve.md:" in line]
    assert len(lines) == 3, out
    assert "'mdo.py'" in lines[0] and "'src/*.py'" in lines[1] and "no-such-agent" in lines[2]


def test_uncommitted_improve_md_is_reported_before_anything_exists(
    toy: Callable[..., ToyRepo],
) -> None:
    repo = toy(rounds=1)
    git(repo.root, "rm", "-q", "--cached", "improve.md")
    git(repo.root, "commit", "-qm", "untrack")
    code, out = run_loop(repo)
    assert code == 2
    assert "not committed" in out and "git add improve.md" in out
    assert leftovers(repo.root) == NOTHING


def test_uncommitted_lock_is_reported_before_anything_exists(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1)
    git(repo.root, "rm", "-q", "--cached", ".autoimprove/guard.lock")
    git(repo.root, "commit", "-qm", "untrack the lock")
    code, out = run_loop(repo)
    assert code == 3
    assert ".autoimprove/guard.lock: not committed" in out
    assert leftovers(repo.root) == NOTHING


def test_a_lock_that_does_not_hold_at_head_is_reported_before_anything_exists(
    toy: Callable[..., ToyRepo],
) -> None:
    repo = toy(rounds=1)
    (repo.root / "bench.py").write_text("print('SCORE: 99')\n")
    git(repo.root, "commit", "-qam", "edit the frozen benchmark")
    code, out = run_loop(repo)
    assert code == 3
    assert "1 frozen entry differs from the lock" in out and "bench.py" in out
    assert leftovers(repo.root) == NOTHING


@pytest.mark.parametrize("failure", ["score regex", "tests"])
def test_a_baseline_that_fails_leaves_nothing_behind(
    toy: Callable[..., ToyRepo], failure: str
) -> None:
    repo = toy(rounds=1, plan=["improve"])
    if failure == "score regex":
        edit_improve(repo, "goal: higher", "goal: higher\nscore: took ([\\d.]+) ms")
    else:
        (repo.root / "mod.py").write_text((repo.root / "mod.py").read_text() + "\nBROKEN = 1\n")
        git(repo.root, "commit", "-qam", "break it")
    code, out = run_loop(repo)
    assert code == 4, out
    if failure == "score regex":
        # The regex as written, one backslash; the output it did not match.
        assert "yields no score" in out and "`took ([\\d.]+) ms`" in out and "SCORE: 10" in out
    else:
        assert "baseline fails its tests" in out
    assert repo.calls() == []
    assert leftovers(repo.root) == NOTHING


def test_uncommitted_changes_to_improve_md_are_named(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1, plan=["improve"])
    edit_improve(repo, "frozen: bench.py", "frozen: bench.py\nrepeats: 10", commit=False)
    edit_improve(repo, "rounds: 1", "rounds: 1\nbudget: 2h", commit=False)
    code, out = run_loop(repo)
    assert code == 0, out
    assert (
        "warning: improve.md has uncommitted changes to repeats, budget: the run uses the "
        "committed values" in out
    )


def test_changed_fields_names_improve_md_fields() -> None:
    from pytest_autoimprove.config import parse_text

    base = "## Check\nrun: x\ngoal: lower\nguard: p=(\\d+) <= 3\n## Agent\nprovider: tune\n"
    old = parse_text(base)
    new = parse_text(base.replace("<= 3", "<= 4") + "\n## Instructions\nbe quick\n")
    assert changed_fields(old, new) == ["guard", "instructions"]
    assert changed_fields(old, old) == []
