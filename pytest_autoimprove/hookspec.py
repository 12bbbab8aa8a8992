"""Every ``pytest_autoimprove_*`` hook: how proposers, generators and listeners plug in.

The specs are registered in pytest's plugin manager (``pytest_addhooks``), so a
``conftest.py`` or any ``pytest11`` plugin can implement them with
``@pytest.hookimpl``; the standalone ``autoimprove-guard`` CLI builds a manager of
its own (:mod:`pytest_autoimprove.manager`) with the same specs, the built-ins and
the ``pytest_autoimprove`` entry point group. The built-in proposers and generators
are implementations of these very hooks, so a plugin can add to them or override
them (``tryfirst=True``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig
    from pytest_autoimprove.generators import GenerateRequest, GenerationResult
    from pytest_autoimprove.generators.catalog import GoalFamily
    from pytest_autoimprove.loop.executors import Executor
    from pytest_autoimprove.loop.journal import ExperimentRecord, RunSummary
    from pytest_autoimprove.proposers import Proposal, ProposalContext


@pytest.hookspec(firstresult=True)
def pytest_autoimprove_propose(context: ProposalContext) -> Proposal | None:
    """Change the tree in ``context.worktree`` and describe the change.

    A proposer looks at ``context.config.agent.provider`` and returns ``None`` when
    the provider is not its own, so that the next implementation is asked. Return
    ``Proposal(description, failed=...)`` when the attempt failed or timed out; the
    loop then records the experiment as ``crashed``.

    :param context: the goal, scope, instructions, best score and history.

    Stops at first non-None result.

    .. versionadded:: 0.1
    """


@pytest.hookspec
def pytest_autoimprove_generate(request: GenerateRequest) -> GenerationResult | None:
    """Write guardrail tests for the goal described by ``request``.

    Every generator is asked; each returns ``None`` when ``request.kind`` is not a
    goal family it knows. Files are returned, not written: the caller writes them,
    so ``generate --dry-run`` can list them.

    :param request: the repository, the modules in scope and the goal family.

    .. versionadded:: 0.1
    """


@pytest.hookspec
def pytest_autoimprove_goal_families() -> Sequence[GoalFamily]:
    """Declare goal families (values of ``kind:`` in improve.md) this plugin serves.

    A plugin adds a goal family alone: it returns a
    :class:`~pytest_autoimprove.GoalFamily` with the risks it guards here, and writes
    the tests for that kind in :func:`pytest_autoimprove_generate`. improve.md then
    accepts the kind. Built-in kinds cannot be redeclared.

    .. versionadded:: 0.2
    """


@pytest.hookspec
def pytest_autoimprove_frozen_paths(root: Path, config: ImproveConfig | None) -> Sequence[str]:
    """Name more files (paths or globs relative to ``root``) for the guard lock.

    The guardrail folder, the files in ``frozen:``, every conftest.py and pytest's
    configuration are always frozen; this hook adds to them (a snapshot folder, a
    fixtures directory, a second eval harness). It is asked when the lock is written
    (``autoimprove-guard freeze`` and ``generate``, which load plugins from the
    ``pytest_autoimprove`` entry point group), and the answers are recorded in the
    lock, so every later check freezes exactly the same paths.

    :param root: the repository root.
    :param config: the parsed improve.md, or ``None`` when the repo has none.

    .. versionadded:: 0.1
    """


@pytest.hookspec(firstresult=True)
def pytest_autoimprove_executor(
    backend: str, workers: int, config: ImproveConfig
) -> Executor | None:
    """Return the executor that runs a parallel run's attempts on ``backend``.

    A parallel run (``workers:`` above 1, or a ``backend:`` other than ``local``)
    hands each attempt (a proposal in a worker's own tree, its test gate and its
    benchmark) to an executor, and decides the outcomes itself, one at a time. The
    built-in implementations answer ``local`` (threads on this machine) and ``ray``
    (Ray tasks on a cluster, the ``[ray]`` extra); return ``None`` for a backend that
    is not yours. See :class:`~pytest_autoimprove.loop.executors.Executor` for what
    an executor does.

    :param backend: ``## Agent backend:`` (``local`` by default).
    :param workers: how many attempts may be in flight at once.
    :param config: the parsed improve.md (``config.agent.address``, say).

    Stops at first non-None result.

    .. versionadded:: 0.3
    """


@pytest.hookspec
def pytest_autoimprove_experiment(record: ExperimentRecord) -> None:
    """Called after each experiment is decided and written to the journal.

    Listeners (notifiers, dashboards) see the same record as ``results.tsv``.

    :param record: number, commit, score, delta, status and description.

    .. versionadded:: 0.1
    """


@pytest.hookspec
def pytest_autoimprove_run_finished(summary: RunSummary) -> None:
    """Called once when a run stops, whatever the reason.

    :param summary: baseline and best score, counts per status, the branch.

    .. versionadded:: 0.1
    """
