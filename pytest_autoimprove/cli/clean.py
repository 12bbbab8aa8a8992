"""``autoimprove-guard clean``: take away what finished runs left in the repository.

A run leaves a worktree, a branch (``autoimprove/<run>``), a ref per discarded
experiment and a run folder (:mod:`pytest_autoimprove.loop.leftovers`). Once a run
is over, all but the branch are clutter; the branch is worth keeping while it holds
kept experiments the user has not merged. So ``clean`` removes, for every run not
in progress:

- its worktree, its discarded refs and its run folder;
- its branch when it holds nothing new (nothing kept, or already merged into HEAD);
- with ``--all``, after listing them (and a question, or ``--yes``), the branches
  with kept experiments too.

A run in progress (its ``running.lock`` is held, see
:mod:`~pytest_autoimprove.loop.runlock`) is never touched, nor is anything of the
user's checkout: its files, its HEAD, its branches.
"""

from __future__ import annotations

import argparse
import sys

from pytest_autoimprove.cli.context import PROG, examples, repo_root
from pytest_autoimprove.errors import ExitCode, UsageError
from pytest_autoimprove.plural import plural

HELP = (
    "remove finished runs' worktrees, discarded refs and run folders "
    "(branches with kept experiments only with --all)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all",
        action="store_true",
        help="also delete the branches with kept experiments (listed first)",
    )
    parser.add_argument("--yes", "-y", action="store_true", help="with --all: do not ask")
    parser.add_argument(
        "--dry-run", action="store_true", help="list what would be removed; remove nothing"
    )
    parser.epilog = examples(
        f"{PROG} clean             # finished runs: worktrees, discarded refs, run folders",
        f"{PROG} clean --dry-run   # what it would remove",
        f"{PROG} clean --all       # also the branches with kept experiments (asks first)",
    ) + (
        "\n\nexit codes: 0 done (a run in progress is left alone), 2 not a git repository, "
        "or --all not confirmed"
    )


def run(args: argparse.Namespace) -> int:
    from pytest_autoimprove import repo
    from pytest_autoimprove.loop import leftovers

    root = repo_root(args)
    if not repo.is_repo(root):
        raise UsageError(f"{root}: not a git repository; there is nothing to clean")
    runs = leftovers.find(root)
    if not runs:
        print("nothing to clean: no run left anything in this repository")
        return ExitCode.OK
    idle = [r for r in runs if r.running is None]
    for r in runs:
        if r.running is not None:
            pid = f"pid {r.running}" if r.running > 0 else "pid unknown"
            print(f"run {r.run_id}: in progress ({pid}); left alone")
    valuable = [r for r in idle if r.branch and r.unmerged]
    delete_kept = bool(args.all and valuable)
    if delete_kept:
        print(f"{plural(len(valuable), 'branch', 'branches')} with kept experiments:")
        for r in valuable:
            print(f"  {r.branch}: {plural(r.unmerged, 'commit')} not in HEAD")
        if not args.dry_run and not args.yes and not _confirm(len(valuable)):
            raise UsageError(
                "nothing removed: deleting kept branches needs a yes; answer y, pass --yes, "
                "or run `clean` without --all to keep them"
            )
    checked_out = repo.checked_out_branches(root)
    for r in idle:
        note = ""
        drop_branch = bool(r.branch)
        ours = {path.resolve() for path in r.worktrees}
        elsewhere = {b for path, b in checked_out.items() if path.resolve() not in ours}
        if r.branch and leftovers.HEADS + r.branch in elsewhere:
            drop_branch, note = False, f"branch {r.branch} kept: it is checked out"
        elif r.branch and r.unmerged and not delete_kept:
            drop_branch = False
            note = (
                f"branch {r.branch} kept ({plural(r.unmerged, 'commit')} not in HEAD: "
                f"`git merge {r.branch}`, or `{PROG} clean --all`)"
            )
        if args.dry_run:
            parts = _would_remove(r, drop_branch)
            verb = "would remove"
        else:
            parts = leftovers.remove(root, r, branch=drop_branch)
            verb = "removed"
        line = f"run {r.run_id}: " + (f"{verb} {', '.join(parts)}" if parts else "nothing left")
        print(line + (f"; {note}" if note else ""))
    if not args.dry_run:
        leftovers.tidy(root)
    return ExitCode.OK


def _would_remove(run: object, branch: bool) -> list[str]:
    from pytest_autoimprove.loop.leftovers import Leftovers

    assert isinstance(run, Leftovers)
    parts = []
    if any(p.exists() for p in run.worktrees):
        parts.append("worktree")
    if run.refs:
        parts.append(plural(len(run.refs), "discarded ref"))
    if branch and run.branch:
        parts.append(f"branch {run.branch}")
    if run.folder is not None:
        parts.append("run folder")
    return parts


def _confirm(count: int) -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input(f"delete {plural(count, 'branch', 'branches')}? [y/N]: ").strip().lower()
    return answer in ("y", "yes")
