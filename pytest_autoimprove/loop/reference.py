"""The best commit, measured beside each candidate in a worktree of its own.

The keep rule (:mod:`~pytest_autoimprove.loop.paired`) runs the current best and
the candidate in A/B pairs, so that load that comes and goes hits both. The best
runs in the run's second worktree, ``.autoimprove/worktrees/<run-id>-best``
(detached, no branch: :class:`~pytest_autoimprove.repo.ReferenceTree`), checked
out afresh at the best commit for each experiment, and with the same command,
environment and timeout as the candidate (the run's
:class:`~pytest_autoimprove.loop.checks.Checks`, pointed at that tree). It is made
on first use: a deterministic score never needs it.

The candidate's code runs while the best's tree sits beside it, so after the
measuring the tree is checked: a tracked file changed, or a module Python would
load planted there, makes the experiment ``tampered``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pytest_autoimprove import repo
from pytest_autoimprove.loop.checks import Checks, Measured

#: The best's worktree is the run's worktree path with this suffix.
SUFFIX = "-best"


@dataclass
class BestTree:
    """Where and how the best commit is measured during one run.

    :param repo_root: the user's repository.
    :param path: the best's worktree (made on first use).
    :param checks: the candidate's checks; the best's are the same, in ``path``.
    """

    repo_root: Path
    path: Path
    checks: Checks
    _tree: repo.ReferenceTree | None = None
    _commit: str | None = None

    def measure(self, commit: str, number: int, measured: Measured) -> Callable[[], float | None]:
        """One benchmark run of ``commit`` per call; the first call checks it out afresh."""
        run: Callable[[], float | None] | None = None

        def measure() -> float | None:
            nonlocal run
            if run is None:
                self._tree = repo.ReferenceTree.open(self.repo_root, self.path, commit)
                self._commit = commit
                best = self.checks.for_tree(self.path)
                run = best.measure(number, measured, log_name="best-bench")
            return run()

        return measure

    def problem(self) -> str | None:
        """What the experiment changed in the best's worktree, in one line, else ``None``."""
        if self._tree is None or self._commit is None or not self.path.is_dir():
            return None
        changed = self._tree.changed(self._commit)
        if not changed:
            return None
        more = f" (and {len(changed) - 1} more)" if len(changed) > 1 else ""
        return f"changed {changed[0]}{more} in the best commit's worktree"

    def remove(self) -> None:
        """Remove the worktree at the end of the run (a resume makes it again)."""
        if not self.path.exists():
            return
        tree = self._tree or repo.ReferenceTree(self.repo_root, self.path)
        tree.remove()
        self._tree = None
