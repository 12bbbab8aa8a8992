"""Proposers: whatever changes the tree between two experiments.

Every proposer is a plugin implementing ``pytest_autoimprove_propose`` (see
:mod:`pytest_autoimprove.hookspec`); the built-ins (``command``, ``agent``, ``tune``)
live in this package, one module each. This module defines the types they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig


@dataclass(frozen=True)
class PastExperiment:
    """One earlier experiment as a proposer sees it, so it can learn from failures."""

    number: int
    status: str
    description: str
    score: float | None = None
    delta: float | None = None


@dataclass(frozen=True)
class ProposalContext:
    """Everything a proposer gets to decide its next change.

    :param worktree: the tree to edit (the loop's own git worktree, never the user's).
    :param config: the parsed improve.md.
    :param run_dir: the run folder; a proposer may keep its logs and memory here.
    :param experiment: this experiment's number (1-based).
    :param baseline_score: the baseline's score.
    :param best_score: the best score kept so far.
    :param history: earlier experiments, oldest first.
    :param prompt: the rendered program.md for agents that read a prompt.
    :param timeout: seconds this proposal may take before its process group is killed.
    """

    worktree: Path
    config: ImproveConfig
    run_dir: Path
    experiment: int
    baseline_score: float
    best_score: float
    history: tuple[PastExperiment, ...] = ()
    prompt: str = ""
    timeout: float = 1800.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    """What a proposer did: a one-line description, or why it failed.

    ``failed`` set (a timeout, a non-zero exit) makes the experiment ``crashed``.
    ``exhausted`` with no change says there is nothing left to try: the loop stops
    instead of asking again (the built-in tune proposer at the end of its search).
    """

    description: str
    failed: str | None = None
    log: str = ""
    exhausted: bool = False

    def headline(self) -> str:
        """The description's first non-blank line, cut at 200 characters (what results.tsv
        shows); empty when there is none."""
        for line in self.description.splitlines():
            if line.strip():
                return line.strip()[:200]
        return ""


def ask_proposer(hook: Any, context: ProposalContext) -> Proposal:
    """The first proposer's answer for ``context``; a clear error when none answers."""
    from pytest_autoimprove.errors import UsageError

    config = context.config
    proposal = hook.pytest_autoimprove_propose(context=context)
    if proposal is None:
        raise config.error(
            "agent.provider",
            f"no proposer handles provider {config.agent.provider!r}",
            "use claude, codex, gemini, aider or command, or install the plugin that provides it",
        )
    if not isinstance(proposal, Proposal):
        raise UsageError(
            f"a pytest_autoimprove_propose hook returned {type(proposal).__name__}, not a Proposal"
        )
    return proposal
