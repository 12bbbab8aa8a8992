"""Built-in proposers, agent presets, and third-party proposers (entry point, conftest)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from toyrepo import AGENTS, ToyRepo, git, run_loop, subprocess_env

from pytest_autoimprove.config import parse_text
from pytest_autoimprove.proposers import ProposalContext
from pytest_autoimprove.proposers.agent import PRESETS, agent_argv


def context(tmp_path: Path, provider: str, model: str | None = "m1") -> ProposalContext:
    text = "# t\n## Change\nscope: mod.py\n## Check\nrun: python b.py\ngoal: higher\n"
    text += f"## Agent\nprovider: {provider}\ncommand: {sys.executable}\n"
    if model:
        text += f"model: {model}\n"
    (tmp_path / "mod.py").write_text("VALUE = 1\n")
    return ProposalContext(
        worktree=tmp_path,
        config=parse_text(text, tmp_path / "improve.md"),
        run_dir=tmp_path / "run",
        experiment=1,
        baseline_score=1.0,
        best_score=1.0,
        prompt="PROMPT",
    )


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        ("claude", ["-p", "--dangerously-skip-permissions", "--model", "m1", "PROMPT"]),
        ("codex", ["exec", "--full-auto", "--model", "m1", "PROMPT"]),
        ("gemini", ["--approval-mode=yolo", "--model", "m1", "--prompt", "PROMPT"]),
    ],
)
def test_preset_command_lines(tmp_path: Path, provider: str, expected: list[str]) -> None:
    argv = agent_argv(context(tmp_path, provider), tmp_path / "p.md")
    assert argv == [sys.executable, *expected]


def test_aider_preset_edits_without_asking_and_without_committing(tmp_path: Path) -> None:
    argv = agent_argv(context(tmp_path, "aider", model=None), tmp_path / "p.md")
    for flag in ("--yes-always", "--no-auto-commits", "--no-gitignore"):
        assert flag in argv
    assert argv[argv.index("--message-file") + 1] == str(tmp_path / "p.md")
    assert argv[-1] == "mod.py"
    assert set(PRESETS) == {"claude", "codex", "gemini", "aider"}


def test_missing_agent_program_is_a_usage_error(tmp_path: Path) -> None:
    from pytest_autoimprove.errors import UsageError

    ctx = context(tmp_path, "claude")
    text = ctx.config.path.read_text() if ctx.config.path.exists() else ""
    assert not text
    config = parse_text(
        "# t\n## Check\nrun: x\ngoal: higher\n## Agent\nprovider: claude\n"
        "command: no-such-agent-binary\n",
        tmp_path / "improve.md",
    )
    ctx = ProposalContext(tmp_path, config, tmp_path, 1, 1.0, 1.0)
    with pytest.raises(UsageError, match="no-such-agent-binary.*not on PATH"):
        agent_argv(ctx, tmp_path / "p.md")


def test_claude_preset_runs_in_the_loop(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1)
    improve = repo.root / "improve.md"
    text = improve.read_text()
    start = text.index("provider: command")
    text = text[:start] + (
        f"provider: claude\nmodel: opus\ncommand: {sys.executable} {AGENTS / 'fake_claude.py'}\n"
    )
    improve.write_text(text)
    git(repo.root, "commit", "-qam", "claude")
    code, out = run_loop(repo)
    assert code == 0, out
    [record] = repo.records()
    assert record["status"] == "kept"
    assert record["description"] == "raise VALUE by 5"
    logs = list((repo.run_dirs()[-1] / "proposals").glob("0001-claude.log"))
    assert logs and "I made VALUE bigger." in logs[0].read_text()


THIRD_PARTY = """
from pathlib import Path

import pytest

from pytest_autoimprove.proposers import Proposal


@pytest.hookimpl
def pytest_autoimprove_propose(context):
    if context.config.agent.provider != "doubler":
        return None
    path = context.worktree / "mod.py"
    path.write_text(path.read_text().replace("VALUE = 10", "VALUE = 20"))
    return Proposal("doubled VALUE (third party)")
"""


def test_third_party_proposer_from_an_entry_point(
    toy: Callable[..., ToyRepo], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "doubler-1.0.dist-info").mkdir(parents=True)
    (site / "doubler_proposer.py").write_text(THIRD_PARTY)
    (site / "doubler-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: doubler\nVersion: 1.0\n"
    )
    (site / "doubler-1.0.dist-info" / "entry_points.txt").write_text(
        "[pytest_autoimprove]\ndoubler = doubler_proposer\n"
    )
    repo = toy(rounds=1)
    improve = repo.root / "improve.md"
    text = improve.read_text()
    improve.write_text(text[: text.index("provider: command")] + "provider: doubler\n")
    git(repo.root, "commit", "-qam", "doubler")
    env = subprocess_env()
    env["PYTHONPATH"] = str(site)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--autoimprove"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert repo.statuses() == ["kept"]
    assert repo.records()[0]["description"] == "doubled VALUE (third party)"


def test_conftest_proposer_under_pytest_autoimprove(pytester: pytest.Pytester) -> None:
    """A conftest.py implementing the hook is asked first (a plugin overriding built-ins)."""
    root = pytester.path
    pytester.makepyfile(mod="VALUE = 1\n", bench="import mod\nprint(f'SCORE: {mod.VALUE}')\n")
    pytester.makepyfile(test_mod="import mod\n\ndef test_ok():\n    assert mod.VALUE > 0\n")
    pytester.makeconftest(
        textwrap.dedent(
            """
            import pytest
            from pytest_autoimprove.proposers import Proposal

            @pytest.hookimpl(tryfirst=True)
            def pytest_autoimprove_propose(context):
                (context.worktree / "mod.py").write_text("VALUE = 2\\n")
                return Proposal("from conftest")
            """
        )
    )
    (root / "improve.md").write_text(
        f"# t\n## Change\nscope: mod.py\n## Check\nrun: {sys.executable} bench.py\n"
        "goal: higher\n## Stop\nrounds: 1\n## Agent\nprovider: command\ncommand: false\n"
    )
    from pytest_autoimprove import guard
    from pytest_autoimprove.config import load_config

    for args in (["init", "-q"], ["add", "-A"]):
        git(root, *args)
    guard.freeze(root, load_config(root), guard_tests=0)
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    result = pytester.runpytest_subprocess("--autoimprove", "-p", "no:cacheprovider")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*kept*from conftest*"])


def test_the_sealed_holdout_variable_is_kept_from_the_proposer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The agent never sees where the sealed holdout is (``holdout: env:NAME``)."""
    from pytest_autoimprove.proposers.command import run_proposer

    monkeypatch.setenv("SECRET_HOLDOUT", "/srv/holdout.jsonl")
    text = "# t\n## Check\nrun: python b.py\ngoal: higher\nholdout: env:SECRET_HOLDOUT\n"
    ctx = ProposalContext(
        worktree=tmp_path,
        config=parse_text(text, tmp_path / "improve.md"),
        run_dir=tmp_path / "run",
        experiment=1,
        baseline_score=1.0,
        best_score=1.0,
        prompt="PROMPT",
    )
    probe = "import os; print('seen:', os.environ.get('SECRET_HOLDOUT'))"
    _proposal, output = run_proposer([sys.executable, "-c", probe], ctx, "command")
    assert "seen: None" in output
