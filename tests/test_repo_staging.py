"""``Worktree.stage_changes`` + ``write_staged`` list and stage what ``changes`` + ``stage`` do.

The loop lists a proposal's changes by staging first (fewer walks of a large tree); the
paths it names in ``tampered``/``out-of-scope``/``no-op`` reasons, and the tree it
commits, must stay those of the read-only listing. Each case builds a real repository
twice, lists one the old way and the other the new way, and compares.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pytest_autoimprove import repo


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def write(root: Path, name: str, text: str = "x\n") -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def base_repo(root: Path) -> str:
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, ".gitignore", "__pycache__/\n*.log\nbuild/\n.venv/\n")
    write(root, "mod.py", "VALUE = 1\n")
    write(root, "pkg/a.py")
    write(root, "pkg/b.py")
    write(root, "tests/test_mod.py", "def test_x():\n    pass\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return git(root, "rev-parse", "HEAD").strip()


def edit_tracked(root: Path) -> None:
    write(root, "mod.py", "VALUE = 2\n")


def delete_tracked(root: Path) -> None:
    (root / "pkg" / "b.py").unlink()


def new_files_in_new_folder(root: Path) -> None:
    write(root, "extra/deep/x.py")
    write(root, "extra/y.txt")


def ignored_file_beside_tracked(root: Path) -> None:
    write(root, "pkg/run.log")


def ignored_folder(root: Path) -> None:
    write(root, "build/out/a.bin")
    write(root, "build/b.bin")


def folder_of_only_ignored_files(root: Path) -> None:
    # Not ignored as a folder, but everything in it is.
    write(root, "logs/a.log")
    write(root, "logs/b.log")


def folder_of_ignored_and_new_files(root: Path) -> None:
    write(root, "mixed/a.log")
    write(root, "mixed/new.py")


def ignored_conftest(root: Path) -> None:
    write(root, ".gitignore", "__pycache__/\n*.log\nbuild/\n.venv/\nconftest.py\n")
    write(root, "tests/conftest.py", "import pytest\n")


def caches_ignored_and_not(root: Path) -> None:
    write(root, "pkg/__pycache__/a.cpython-311.pyc")
    write(root, "stray.pyc")
    write(root, ".pytest_cache/v/cache/lastfailed", "{}")


def proposer_committed(root: Path) -> None:
    write(root, "mod.py", "VALUE = 3\n")
    git(root, "commit", "-qam", "the proposer's own commit")
    write(root, "later.py")


def untracked_by_the_index(root: Path) -> None:
    git(root, "rm", "-q", "--cached", "pkg/a.py")


def ignored_tracked_file_unstaged(root: Path) -> None:
    write(root, "keep.log", "tracked although ignored\n")
    git(root, "add", "-f", "keep.log")


def folder_replaced_by_file(root: Path) -> None:
    shutil.rmtree(root / "pkg")
    write(root, "pkg", "now a file\n")


def symlink_added(root: Path) -> None:
    os.symlink("mod.py", root / "alias.py")


def nothing(root: Path) -> None:
    pass


CASES: list[Callable[[Path], None]] = [
    edit_tracked,
    delete_tracked,
    new_files_in_new_folder,
    ignored_file_beside_tracked,
    ignored_folder,
    folder_of_only_ignored_files,
    folder_of_ignored_and_new_files,
    ignored_conftest,
    caches_ignored_and_not,
    proposer_committed,
    ignored_tracked_file_unstaged,
    folder_replaced_by_file,
    symlink_added,
    nothing,
]


@pytest.mark.parametrize("change", CASES, ids=lambda f: f.__name__)
def test_stage_changes_lists_and_stages_as_changes_and_stage(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    base = base_repo(tmp_path / "old")
    change(tmp_path / "old")
    shutil.copytree(tmp_path / "old", tmp_path / "new", symlinks=True)
    old = repo.Worktree(tmp_path / "old", tmp_path / "old", "main")
    new = repo.Worktree(tmp_path / "new", tmp_path / "new", "main")

    listed = old.changes(base, caches=True)
    assert new.changes(base, caches=True) == listed  # read-only: the copies agree
    staged_listing = new.stage_changes(base)
    assert staged_listing == listed

    kept = [c for c in listed if c.status not in ("ignored", "cache")]
    remove = len(listed) > len(kept)
    assert new.write_staged(remove_ignored=remove) == old.stage(remove_ignored=remove)
    assert sorted(repo.untracked(tmp_path / "new")) == sorted(repo.untracked(tmp_path / "old"))


def test_stage_changes_sees_what_the_cases_are_about(tmp_path: Path) -> None:
    """The comparison above is only worth something if the listing is not empty."""
    base = base_repo(tmp_path / "r")
    root = tmp_path / "r"
    for change in (edit_tracked, folder_of_only_ignored_files, ignored_conftest, symlink_added):
        change(root)
    tree = repo.Worktree(root, root, "main")
    assert tree.stage_changes(base) == [
        repo.WorktreeChange(".gitignore", "modified"),
        repo.WorktreeChange("alias.py", "added"),
        repo.WorktreeChange("logs", "ignored"),  # git names the folder and its files
        repo.WorktreeChange("logs/a.log", "ignored"),
        repo.WorktreeChange("logs/b.log", "ignored"),
        repo.WorktreeChange("mod.py", "modified"),
        repo.WorktreeChange("tests/conftest.py", "ignored"),
    ]
    staged = git(root, "diff", "--cached", "--name-only", base)
    assert staged.split() == [".gitignore", "alias.py", "mod.py"]


def test_a_file_only_dropped_from_the_index_is_no_change(tmp_path: Path) -> None:
    """The one listing that differs: ``git rm --cached`` of a file left as it was on disk.

    The read-only listing calls it ``added`` (the index no longer holds it); staging adds
    it back, so the tree, and the files the tests would run on, are the base's: nothing
    changed, which is what the loop then says (``no-op``) instead of running the tests.
    """
    base = base_repo(tmp_path / "r")
    root = tmp_path / "r"
    untracked_by_the_index(root)
    tree = repo.Worktree(root, root, "main")
    assert tree.changes(base, caches=True) == [repo.WorktreeChange("pkg/a.py", "added")]
    assert tree.stage_changes(base) == []
    assert (
        tree.write_staged(remove_ignored=False)
        == git(root, "rev-parse", f"{base}^{{tree}}").strip()
    )


@pytest.mark.parametrize("mark", ["--assume-unchanged", "--skip-worktree"])
def test_an_edit_hidden_from_git_is_listed_staged_and_reset(tmp_path: Path, mark: str) -> None:
    # A proposer marks a file so that git stops reading it, then edits it: the edit
    # must still be listed, committed with the experiment, and undone by a reset.
    root = tmp_path / "repo"
    base = base_repo(root)
    tree = repo.Worktree(root, root, "main")
    git(root, "update-index", mark, "mod.py")
    write(root, "mod.py", "VALUE = 99\n")
    listed = {(c.path, c.status) for c in tree.changes(base)}
    assert ("mod.py", "modified") in listed
    staged = {(c.path, c.status) for c in tree.stage_changes(base)}
    assert ("mod.py", "modified") in staged
    sha = tree.write_staged()
    assert git(root, "cat-file", "-p", f"{sha}:mod.py") == "VALUE = 99\n"
    git(root, "update-index", mark, "mod.py")
    tree.reset(base)
    assert (root / "mod.py").read_text() == "VALUE = 1\n"
    assert tree.changes(base) == []
