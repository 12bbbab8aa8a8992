"""The one door to git: every git call of the package goes through this module.

Read-only questions asked on every guarded pytest session (which files exist, what
a file held at a ref) run the ``git`` binary with argument lists: importing
GitPython costs ~70 ms, more than the whole budget of ``--autoimprove-verify``.
The loop's writes (worktrees, commits, resets) use GitPython and import it lazily.
Nothing here ever uses ``shell=True``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pytest_autoimprove.errors import UsageError

#: Folders never walked when the tree is not a git repository.
_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "build",
        "dist",
    }
)
_GIT_TIMEOUT = 120.0


class GitError(UsageError):
    """git refused a request (unknown ref, not a repository)."""


def _git(root: Path, args: Sequence[str], *, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git: not found; install git and make sure it is on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])}: {message[-1] if message else 'failed'}")
    return done.stdout


def is_repo(path: Path) -> bool:
    try:
        _git(path, ["rev-parse", "--git-dir"])
    except GitError:
        return False
    return True


def find_root(start: Path) -> Path:
    """The top of the git work tree containing ``start``, else ``start`` itself."""
    try:
        return Path(_git(start, ["rev-parse", "--show-toplevel"]).decode().strip())
    except GitError:
        return start.resolve()


def list_files(root: Path) -> list[str]:
    """Tracked and untracked, non-ignored files under ``root``, repo-relative, sorted."""
    try:
        out = _git(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
    except GitError:
        return _walk(root)
    names = {name for name in out.decode("utf-8", "surrogateescape").split("\0") if name}
    # ls-files lists deleted-but-tracked files too; the guard wants what is on disk.
    return sorted(name for name in names if (root / name).is_file())


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.endswith(".egg-info"))
        base = Path(folder).relative_to(root)
        found.extend((base / name).as_posix() for name in files)
    return sorted(found)


def resolve(root: Path, ref: str) -> str:
    """The commit sha ``ref`` names; a clear error when it names nothing."""
    try:
        return (
            _git(root, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"]).decode().strip()
        )
    except GitError:
        raise GitError(
            f"{ref}: not a commit in {root}; name a branch, tag or sha (fetch it first in CI: "
            "`git fetch origin main`)"
        ) from None


def files_at(root: Path, ref: str) -> list[str]:
    """Files in the tree of commit ``ref``, sorted."""
    out = _git(root, ["ls-tree", "-r", "-z", "--name-only", resolve(root, ref)])
    return sorted(name for name in out.decode("utf-8", "surrogateescape").split("\0") if name)


def read_at(root: Path, ref: str, paths: Iterable[str]) -> dict[str, bytes | None]:
    """Contents of ``paths`` at ``ref`` in one ``git cat-file --batch`` (``None``: absent)."""
    wanted = list(dict.fromkeys(paths))
    if not wanted:
        return {}
    sha = resolve(root, ref)
    request = "".join(f"{sha}:{path}\n" for path in wanted).encode("utf-8", "surrogateescape")
    out = _git(root, ["cat-file", "--batch"], stdin=request)
    result: dict[str, bytes | None] = {}
    position = 0
    for path in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) == 2 and header[1] == b"missing" or len(header) < 3:
            result[path] = None
            continue
        size = int(header[2])
        result[path] = out[position : position + size] if header[1] == b"blob" else None
        position += size + 1
    return result


@dataclass(frozen=True)
class Snapshot:
    """A tree to read files from: the work tree on disk, or a commit (``ref``)."""

    root: Path
    ref: str | None = None

    def files(self) -> list[str]:
        return list_files(self.root) if self.ref is None else files_at(self.root, self.ref)

    def read(self, paths: Iterable[str]) -> dict[str, bytes | None]:
        if self.ref is not None:
            return read_at(self.root, self.ref, paths)
        result: dict[str, bytes | None] = {}
        for path in paths:
            try:
                result[path] = (self.root / path).read_bytes()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                result[path] = None
        return result
