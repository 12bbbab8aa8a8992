"""What a run leaves in the repository, found and taken away again.

A run leaves worktrees (``.autoimprove/worktrees/<run>`` and any ``<run>.<suffix>``
beside it), a branch (``autoimprove/<run>``), a ref per discarded experiment
(``refs/autoimprove/<run>/<n>``), a run folder (``.autoimprove/runs/<run>``) and two
lines in ``.git/info/exclude``. Two callers take them away: a run that could not
start (its baseline failed) removes its own at once, and ``autoimprove-guard clean``
removes those of finished runs (:mod:`pytest_autoimprove.cli.clean`). Neither ever
touches the user's checkout, HEAD or branches.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pytest_autoimprove import repo
from pytest_autoimprove.loop.experiment import REFS_PREFIX
from pytest_autoimprove.loop.journal import JOURNAL
from pytest_autoimprove.loop.runlock import holder
from pytest_autoimprove.names import BRANCH_PREFIX, RUNS_DIR, WORKTREES_DIR
from pytest_autoimprove.plural import plural

__all__ = ["Leftovers", "find", "remove", "tidy"]

HEADS = "refs/heads/"


@dataclass
class Leftovers:
    """What one run left behind (any part may be gone already).

    :param running: the pid of the process running it now (``-1``: pid unknown).
    :param unmerged: commits of the branch that HEAD does not have: kept experiments
        not merged yet (0: the branch holds nothing new).
    """

    run_id: str
    folder: Path | None = None
    worktrees: list[Path] = field(default_factory=list)
    branch: str | None = None
    branch_sha: str | None = None
    refs: list[str] = field(default_factory=list)
    running: int | None = None
    unmerged: int = 0


def find(root: Path) -> list[Leftovers]:
    """Every run with something left in the repository ``root``, oldest first."""
    runs: dict[str, Leftovers] = {}

    def get(run_id: str) -> Leftovers:
        return runs.setdefault(run_id, Leftovers(run_id))

    folders = root / RUNS_DIR
    for folder in sorted(folders.iterdir()) if folders.is_dir() else []:
        if folder.is_dir():
            run = get(folder.name)
            run.folder = folder
            run.running = holder(folder)
            start = _start_record(folder)
            if start.get("worktree"):
                run.worktrees.append(Path(str(start["worktree"])))
    base = (root / WORKTREES_DIR).resolve()
    on_disk = sorted((root / WORKTREES_DIR).iterdir()) if (root / WORKTREES_DIR).is_dir() else []
    registered = [p for p in repo.worktree_paths(root) if p.resolve().parent == base]
    for path in [*on_disk, *registered]:
        # `<run>` and `<run>.best`: run ids have no dots.
        run = get(path.name.split(".", 1)[0])
        if path.resolve() not in {p.resolve() for p in run.worktrees}:
            run.worktrees.append(path)
    for name, sha in repo.refs(root, HEADS + BRANCH_PREFIX).items():
        run = get(name[len(HEADS + BRANCH_PREFIX) :])
        run.branch, run.branch_sha = name[len(HEADS) :], sha
    for name in repo.refs(root, REFS_PREFIX):
        get(name[len(REFS_PREFIX) :].split("/", 1)[0]).refs.append(name)
    head = repo.resolve(root, "HEAD")
    for run in runs.values():
        if run.branch_sha and not repo.is_ancestor(root, run.branch_sha, head):
            run.unmerged = repo.count_commits(root, head, run.branch_sha)
    return [runs[name] for name in sorted(runs)]


def remove(root: Path, run: Leftovers, *, branch: bool) -> list[str]:
    """Remove ``run``'s worktrees, refs and folder (and its branch when ``branch``).

    Returns what was removed, in words, for the caller's message.
    """
    removed: list[str] = []
    present = [p for p in run.worktrees if p.exists() or _registered(root, p)]
    for path in present:
        repo.remove_worktree(root, path)
    if present:
        removed.append("worktree" if len(present) == 1 else plural(len(present), "worktree"))
    if run.refs:
        repo.delete_refs(root, run.refs)
        removed.append(plural(len(run.refs), "discarded ref"))
    if branch and run.branch:
        repo.delete_refs(root, [HEADS + run.branch])
        removed.append(f"branch {run.branch}")
    if run.folder is not None and run.folder.exists():
        shutil.rmtree(run.folder)
        removed.append("run folder")
    return removed


def tidy(root: Path) -> None:
    """Empty folders of ours go; with no run left, so do our lines in .git/info/exclude."""
    for folder in (root / WORKTREES_DIR, root / RUNS_DIR):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    if not (root / WORKTREES_DIR).exists() and not (root / RUNS_DIR).exists():
        repo.remove_local_excludes(root)


def _registered(root: Path, path: Path) -> bool:
    return path.resolve() in {p.resolve() for p in repo.worktree_paths(root)}


def _start_record(folder: Path) -> dict[str, object]:
    journal = folder / JOURNAL
    if not journal.is_file():
        return {}
    with journal.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(event, dict) and event.get("event") == "start":
                return event
    return {}
