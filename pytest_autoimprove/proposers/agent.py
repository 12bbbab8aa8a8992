"""The ``agent`` proposer: an AI coding CLI, run headless in the loop's worktree.

Presets for ``claude``, ``codex``, ``gemini`` and ``aider`` build the command
line with the flags each CLI needs to edit files without asking; the prompt is
program.md (:mod:`pytest_autoimprove.proposers.prompt`, the same text ``autoimprove-guard
export`` writes). ``command:`` next to a preset replaces the program (``command:
npx @anthropic-ai/claude-code``); any other command line works as ``provider:
command``. The agent's whole output is kept in the run folder
(``proposals/NNNN-<provider>.log``).

The description is the agent's ``DESCRIPTION: ...`` line (the prompt asks for
one), else the subject of a commit it made, else a diff stat.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.proposers import Proposal, ProposalContext
from pytest_autoimprove.proposers.command import run_proposer, write_prompt

#: Builds the arguments that follow the program.
Builder = Callable[[ProposalContext, Path], list[str]]


def _model(flag: str, context: ProposalContext) -> list[str]:
    model = context.config.agent.model
    return [flag, model] if model else []


def _claude(context: ProposalContext, prompt_file: Path) -> list[str]:
    return [
        "-p",
        "--dangerously-skip-permissions",
        *_model("--model", context),
        context.prompt,
    ]


def _codex(context: ProposalContext, prompt_file: Path) -> list[str]:
    return ["exec", "--full-auto", *_model("--model", context), context.prompt]


def _gemini(context: ProposalContext, prompt_file: Path) -> list[str]:
    # --yolo is deprecated in current Gemini CLI releases in favour of --approval-mode.
    return ["--approval-mode=yolo", *_model("--model", context), "--prompt", context.prompt]


def _aider(context: ProposalContext, prompt_file: Path) -> list[str]:
    history = context.run_dir / "proposals"
    from pytest_autoimprove import paths

    files = paths.expand(context.worktree, context.config.change.scope)
    files = [f for f in files if context.config.change.in_scope(f)]
    return [
        "--yes-always",
        "--no-auto-commits",
        "--no-dirty-commits",
        "--no-gitignore",
        "--no-check-update",
        "--no-show-model-warnings",
        "--no-pretty",
        "--chat-history-file",
        str(history / "aider.chat.history.md"),
        "--input-history-file",
        str(history / "aider.input.history"),
        *_model("--model", context),
        "--message-file",
        str(prompt_file),
        *files,
    ]


PRESETS: dict[str, tuple[str, Builder]] = {
    "claude": ("claude", _claude),
    "codex": ("codex", _codex),
    "gemini": ("gemini", _gemini),
    "aider": ("aider", _aider),
}


def agent_argv(context: ProposalContext, prompt_file: Path) -> list[str]:
    """The full command line for ``context.config.agent`` (a preset provider)."""
    agent = context.config.agent
    program, build = PRESETS[agent.provider]
    prefix = shlex.split(agent.command) if agent.command else [program]
    if shutil.which(prefix[0]) is None and not Path(prefix[0]).is_file():
        raise agent_missing(context, prefix[0])
    return [*prefix, *build(context, prompt_file)]


def agent_missing(context: ProposalContext, program: str) -> UsageError:
    """A preset whose program is not installed: one line, exit 2."""
    return UsageError(
        f"{context.config.path.name}: provider {context.config.agent.provider}: `{program}` "
        f"is not on PATH; install it, or name the program with `command: /path/to/{program}`"
    )


@pytest.hookimpl
def pytest_autoimprove_propose(context: ProposalContext) -> Proposal | None:
    agent = context.config.agent
    if agent.provider not in PRESETS:
        return None
    prompt_file = write_prompt(context)
    proposal, _ = run_proposer(agent_argv(context, prompt_file), context, agent.provider)
    if proposal.description:
        return proposal
    from pytest_autoimprove.repo import change_summary, subject_since

    base = str(context.extra.get("best_commit", "HEAD"))
    description = subject_since(context.worktree, base) or (
        f"{agent.provider}: {change_summary(context.worktree, base)}"
    )
    return Proposal(description[:200], failed=proposal.failed, log=proposal.log)
