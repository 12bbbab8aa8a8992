"""The best commit's own worktree, measured beside each candidate."""

from __future__ import annotations

from collections.abc import Callable

from toyrepo import ToyRepo, git

from pytest_autoimprove.repo import ReferenceTree


def test_the_reference_tree_follows_the_best_and_starts_clean(
    toy: Callable[..., ToyRepo],
) -> None:
    repo = toy()
    first = git(repo.root, "rev-parse", "HEAD").strip()
    path = repo.root / ".autoimprove" / "worktrees" / "run-best"
    tree = ReferenceTree.open(repo.root, path, first)
    assert (path / "mod.py").read_text() == (repo.root / "mod.py").read_text()
    assert tree.changed(first) == []

    # What a measured process might leave behind: edits, planted modules, caches.
    (path / "mod.py").write_text("VALUE = 1\n")
    (path / "sitecustomize.py").write_text("import os\n")
    (path / "out.json").write_text("{}\n")
    (path / "__pycache__").mkdir()
    (path / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    assert tree.changed(first) == ["mod.py", "sitecustomize.py"]

    (repo.root / "mod.py").write_text("VALUE = 11\n")
    git(repo.root, "commit", "-qam", "a better best")
    second = git(repo.root, "rev-parse", "HEAD").strip()
    tree.move_to(second)
    assert (path / "mod.py").read_text() == "VALUE = 11\n"
    assert not (path / "sitecustomize.py").exists()
    assert not (path / "out.json").exists()
    assert not (path / "__pycache__").exists()
    # The user's checkout is untouched: the reference tree is detached, no branch.
    assert git(repo.root, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert "run-best" not in git(repo.root, "branch", "--list")

    # Reopening an existing tree moves it; a removed one is added again.
    assert ReferenceTree.open(repo.root, path, first).changed(first) == []
    tree.remove()
    assert not path.exists()
    ReferenceTree.open(repo.root, path, second)
    assert (path / "mod.py").read_text() == "VALUE = 11\n"
