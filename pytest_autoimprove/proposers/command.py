"""The ``command`` proposer: any program that edits the tree.

``## Agent`` with ``provider: command`` and ``command: <cmd>`` runs ``cmd`` through
the shell in the loop's worktree, in its own process group, bounded by
``timeout:``. The program learns what it needs from the environment:

- ``AUTOIMPROVE_PROMPT_FILE``: program.md for this experiment (goal, scope, rules,
  best score, history);
- ``AUTOIMPROVE_EXPERIMENT``: the experiment number (1-based);
- ``AUTOIMPROVE_BEST_SCORE`` and ``AUTOIMPROVE_BASELINE_SCORE``;
- ``AUTOIMPROVE_RUN_DIR``: the run folder (outside the worktree), for its memory;
- ``AUTOIMPROVE_WORKTREE``: the tree to edit (also the working directory);
- in a parallel run, ``AUTOIMPROVE_WORKER`` and ``AUTOIMPROVE_PART``, and on one
  machine ``AUTOIMPROVE_BOARD`` (what the other workers are doing, kept up to date),
  ``AUTOIMPROVE_INTENT`` (where to say what this one will try) and
  ``AUTOIMPROVE_BOARD_LOCK`` (:mod:`pytest_autoimprove.loop.board`).

Its description is a ``DESCRIPTION: ...`` line of its output, else its last
non-empty line, else ``command experiment N``. A non-zero exit or a timeout makes
the experiment ``crashed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from pytest_autoimprove.names import BOARD_ENV, BOARD_LOCK_ENV, INTENT_ENV, PART_ENV, WORKER_ENV
from pytest_autoimprove.proposers import Proposal, ProposalContext

PROVIDER = "command"


def proposal_env(context: ProposalContext, prompt_file: Path) -> dict[str, str | None]:
    """The ``AUTOIMPROVE_*`` variables every proposer program gets (``None``: removed)."""
    env: dict[str, str | None] = {
        "AUTOIMPROVE_PROMPT_FILE": str(prompt_file),
        "AUTOIMPROVE_EXPERIMENT": str(context.experiment),
        "AUTOIMPROVE_BEST_SCORE": repr(context.best_score),
        "AUTOIMPROVE_BASELINE_SCORE": repr(context.baseline_score),
        "AUTOIMPROVE_RUN_DIR": str(context.run_dir),
        "AUTOIMPROVE_WORKTREE": str(context.worktree),
        # In a parallel run: which worker, and which part of the system, this is.
        WORKER_ENV: str(context.extra.get("worker", 1)),
        PART_ENV: str(context.extra.get("part") or ""),
    }
    # On one machine, a parallel run's live board of the other experiments in flight.
    for name, key in ((BOARD_ENV, "board"), (INTENT_ENV, "intent"), (BOARD_LOCK_ENV, "board_lock")):
        if context.extra.get(key):
            env[name] = str(context.extra[key])
    sealed = context.config.check.holdout
    if sealed and sealed.startswith("env:"):
        # The variable naming the sealed holdout stays out of the agent's environment.
        env[sealed[4:]] = None
    return env


def write_prompt(context: ProposalContext) -> Path:
    """program.md for this experiment, kept in the run folder."""
    folder = context.run_dir / "proposals"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{context.experiment:04d}-prompt.md"
    path.write_text(context.prompt, encoding="utf-8")
    return path


def log_path(context: ProposalContext, name: str) -> Path:
    folder = context.run_dir / "proposals"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{context.experiment:04d}-{name}.log"


def run_proposer(
    command: str | Sequence[str], context: ProposalContext, name: str
) -> tuple[Proposal, str]:
    """Run a proposer program; returns the proposal (failed or not) and its output."""
    from pytest_autoimprove.process import run_command
    from pytest_autoimprove.proposers.prompt import description_from

    prompt_file = write_prompt(context)
    result = run_command(
        command,
        cwd=context.worktree,
        timeout=context.timeout,
        env=proposal_env(context, prompt_file),
        log_path=log_path(context, name),
    )
    output = result.output
    described = description_from(output)
    if result.timed_out:
        return Proposal(
            described or f"{name} experiment {context.experiment}",
            failed=f"{name} timed out after {context.timeout:g}s",
            log=result.tail(),
        ), output
    if result.returncode != 0:
        return Proposal(
            described or f"{name} experiment {context.experiment}",
            failed=f"{name} exited with {result.returncode}: {_last_line(output) or 'no output'}",
            log=result.tail(),
        ), output
    return Proposal(described or "", log=result.tail()), output


@pytest.hookimpl
def pytest_autoimprove_propose(context: ProposalContext) -> Proposal | None:
    agent = context.config.agent
    if agent.provider != PROVIDER or not agent.command:
        return None
    proposal, output = run_proposer(agent.command, context, PROVIDER)
    if proposal.failed is None and not proposal.description:
        description = _last_line(output) or f"command experiment {context.experiment}"
        proposal = Proposal(description[:200], log=proposal.log)
    return proposal


def _last_line(output: str) -> str:
    for line in reversed(output.splitlines()):
        if line.strip():
            return line.strip()[:200]
    return ""
