"""The one door to git: every git call of the package goes through this module.

Read-only questions asked on every guarded pytest session (which files exist, what
a file held at a ref) run the ``git`` binary with argument lists: importing
GitPython costs ~70 ms, more than the whole budget of ``--autoimprove-verify``.
Only creating or reopening the loop's worktree uses GitPython (imported lazily); the
per-experiment git calls run the ``git`` binary too, for speed.
Nothing here ever uses ``shell=True``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.names import RUNS_DIR, WORKTREES_DIR

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


def _git(
    root: Path,
    args: Sequence[str],
    *,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            check=False,
            env=env,
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
    # ls-files lists deleted-but-tracked files too; the guard wants what is on disk. Asking
    # git for them costs one call; a stat per file cost 0.16 s on a 20k-file repository.
    deleted = _git(root, ["ls-files", "-z", "--deleted"]).decode("utf-8", "surrogateescape")
    return sorted(names.difference(deleted.split("\0")))


#: Variables that change how git reads pathspecs: with ``GIT_LITERAL_PATHSPECS`` set, a
#: ``:(glob)**/conftest.py`` would find nothing.
_PATHSPEC_ENV = frozenset(
    {"GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"}
)


def list_files_in(root: Path, pathspecs: Sequence[str] | None) -> list[str]:
    """Tracked and untracked, non-ignored files under ``root`` that ``pathspecs`` cover
    (``None``: all), in one git call; unlike :func:`list_files`, tracked files deleted from
    disk are listed too (the guard opens each file it lists anyway, and asking git for
    deletions stats every file of the index: 28 ms at 20k files).

    :raises GitError: not a repository, or git refused.
    """
    args = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    if pathspecs is not None:
        args += ["--", *pathspecs]
    env = {k: v for k, v in os.environ.items() if k not in _PATHSPEC_ENV}
    out = _git(root, args, env=env)
    return sorted({name for name in out.decode("utf-8", "surrogateescape").split("\0") if name})


def untracked(root: Path) -> list[str]:
    """Files and folders under ``root`` that the index does not hold, ignored ones included
    (a folder of them as ``name/``), minus caches: what a run left behind."""
    out = _git(root, ["ls-files", "-z", "--others", "--directory", "--no-empty-directory"])
    names = out.decode("utf-8", "surrogateescape").split("\0")
    return sorted(n for n in names if n and not is_cache_path(n.rstrip("/")))


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


# ---------------------------------------------------------------------------
# The loop's own worktree (GitPython, imported lazily: only the loop pays for it)

#: Files the loop writes in the user's checkout, kept out of their ``git status``.
LOOP_EXCLUDES = (f"{WORKTREES_DIR}/", f"{RUNS_DIR}/")
#: Caches that tools leave behind; never a proposal's change.
_CACHE_PARTS = frozenset(
    {"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"}
)
#: git settings for the loop's own commits: no hooks, no signing prompt at 3 a.m.
_COMMIT_SETTINGS = ("-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false")
_FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "pytest-autoimprove",
    "GIT_AUTHOR_EMAIL": "autoimprove@localhost",
    "GIT_COMMITTER_NAME": "pytest-autoimprove",
    "GIT_COMMITTER_EMAIL": "autoimprove@localhost",
}


def is_cache_path(path: str) -> bool:
    """Byte code and tool caches: written by every test run, never part of a change."""
    parts = path.split("/")
    return any(part in _CACHE_PARTS for part in parts) or path.endswith((".pyc", ".pyo"))


def exclude_locally(root: Path, patterns: Iterable[str] = LOOP_EXCLUDES) -> None:
    """Add ``patterns`` to ``.git/info/exclude`` (never to the user's .gitignore)."""
    common = Path(_git(root, ["rev-parse", "--git-common-dir"]).decode().strip())
    if not common.is_absolute():
        common = root / common
    exclude = common / "info" / "exclude"
    exclude.parent.mkdir(parents=True, exist_ok=True)
    text = exclude.read_text(encoding="utf-8") if exclude.is_file() else ""
    missing = [p for p in patterns if p not in text.splitlines()]
    if missing:
        prefix = "" if not text or text.endswith("\n") else "\n"
        with exclude.open("a", encoding="utf-8") as handle:
            handle.write(prefix + "".join(f"{p}\n" for p in missing))


@dataclass(frozen=True)
class WorktreeChange:
    """One path a proposal touched, relative to the worktree root.

    :param status: ``modified``, ``added``, ``deleted`` or ``ignored`` (an ignored
        file the proposal created: not committed, but it could still steer a run);
        ``cache`` only when :meth:`Worktree.changes` is asked for caches.
    """

    path: str
    status: str


class Worktree:
    """The loop's own git worktree on branch ``autoimprove/<run-id>``.

    Every write the loop makes to git happens here, never in the user's checkout:
    its HEAD, index, stash and files are not touched (only ``.git`` gains the
    worktree's metadata, the branch and ``refs/autoimprove/*``).
    """

    def __init__(self, repo_root: Path, path: Path, branch: str | None) -> None:
        self.repo_root = repo_root
        self.path = path
        #: ``None``: a worker's detached tree (a parallel run), which takes no commits.
        self.branch = branch
        self._identity_args: tuple[str, ...] | None = None
        self._git_dir: Path | None = None

    @classmethod
    def detached(cls, repo_root: Path, path: Path, commit: str) -> Worktree:
        """A worker's own tree of a parallel run, detached at ``commit`` (made if needed)."""
        if not (path / ".git").exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            _git(repo_root, ["worktree", "prune"])
            _git(repo_root, ["worktree", "add", "-q", "--detach", "--force", str(path), commit])
        tree = cls(repo_root, path, None)
        tree.reset(commit, recover=True)
        return tree

    def remove(self) -> None:
        """Remove this worktree (files and git's record of it)."""
        if self.path.exists():
            _git(self.repo_root, ["worktree", "remove", "--force", str(self.path)])

    @classmethod
    def create(cls, repo_root: Path, path: Path, branch: str, start: str = "HEAD") -> Worktree:
        """Check out ``start`` into a new worktree at ``path`` on a new ``branch``."""
        import git

        sha = resolve(repo_root, start)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            git.Repo(repo_root).git.worktree("add", "-b", branch, str(path), sha)
        except git.GitCommandError as exc:
            raise GitError(f"git worktree add {path}: {_git_message(exc)}") from None
        return cls(repo_root, path, branch)

    @classmethod
    def reopen(cls, repo_root: Path, path: Path, branch: str) -> Worktree:
        """The worktree of an earlier run, re-created from its branch if it was removed."""
        import git

        tree = cls(repo_root, path, branch)
        if (path / ".git").exists():
            return tree
        repo = git.Repo(repo_root)
        try:
            repo.git.worktree("prune")
            repo.git.worktree("add", "--force", str(path), branch)
        except git.GitCommandError as exc:
            raise GitError(f"git worktree add {path}: {_git_message(exc)}") from None
        return tree

    def _run(self, *args: str) -> str:
        return _git(self.path, args).decode("utf-8", "surrogateescape")

    def head(self) -> str:
        return self._run("rev-parse", "HEAD").strip()

    def changes(self, base: str, *, caches: bool = False) -> list[WorktreeChange]:
        """What differs from commit ``base``: tracked edits, new files, ignored new files.

        A proposer that committed on its own is seen too (the diff is taken against
        ``base``, not HEAD). Caches (``__pycache__``, ``.pytest_cache``) are left out,
        unless ``caches``: then ignored ones are listed with status ``cache`` (so the
        caller knows whether there is anything for :meth:`stage` to remove). Nothing is
        written, the index included (:meth:`stage_changes` stages as it lists).
        """
        found = _name_status(self._run("diff", "--name-status", "-z", "--no-renames", base, "--"))
        untracked = self._run("ls-files", "-z", "--others", "--exclude-standard")
        for name in untracked.split("\0"):
            if name:
                found[name] = "added"
        for name in self._hidden():
            found.setdefault(name, "modified")  # git would not look: assume it changed
        return _listing(found, self._ignored(), caches=caches)

    def _hidden(self) -> list[str]:
        """Index entries marked ``--assume-unchanged`` or ``--skip-worktree``.

        Git neither reads nor stages their files, so an edit made after marking one is
        invisible to ``diff`` and ``add -A`` (and survives ``reset --hard``). The loop
        never marks an entry: a marked one is a proposer hiding an edit.
        """
        out = self._run("ls-files", "-v", "-z")
        return [e[2:] for e in out.split("\0") if e[:1].islower() or e[:2] == "S "]

    def _unhide(self) -> None:
        """Clear the marks of :meth:`_hidden`'s entries, so git reads their files again."""
        hidden = self._hidden()
        for start in range(0, len(hidden), 500):
            chunk = hidden[start : start + 500]
            # One mark per call: given both, update-index applies only the last.
            self._run("update-index", "--no-assume-unchanged", "--", *chunk)
            self._run("update-index", "--no-skip-worktree", "--", *chunk)

    def stage_changes(self, base: str) -> list[WorktreeChange]:
        """Stage the whole tree in the index and list what differs from ``base``, as
        :meth:`changes` with ``caches`` lists it; :meth:`write_staged` then writes the tree.

        Three git calls where :meth:`changes` and :meth:`stage` make five, and two walks
        of the work tree fewer (about 30 ms an experiment at 20k files): once ``git add
        -A`` has staged every tracked edit and every new file that is not ignored, the
        index against ``base`` is the listing of both. Ignored files are listed first,
        with the very call :meth:`changes` makes, so each names the same paths. One
        listing differs, rightly: a file only dropped from the index (``git rm
        --cached``), unchanged on disk, is staged again and is no change.
        """
        self._unhide()
        ignored = self._ignored()
        self._run("add", "-A")
        diff = self._run("diff", "--cached", "--name-status", "-z", "--no-renames", base, "--")
        return _listing(_name_status(diff), ignored, caches=True)

    def _ignored(self) -> list[str]:
        """Ignored files that are not in the index (git may also name their folder, ``name/``)."""
        out = self._run(
            "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"
        )
        return [name for name in out.split("\0") if name]

    def stage(self, *, remove_ignored: bool = True) -> str:
        """Stage the whole tree in the index; returns its tree's sha.

        ``remove_ignored``: delete ignored files first (a proposal's untracked
        leftovers must not steer a run); the caller may skip it when
        :meth:`changes` listed none. The tree is written now, before any test runs,
        so whatever a test run does to the index or the files cannot leak into the
        experiment's commit (:meth:`commit`).
        """
        if remove_ignored:
            self._run("clean", "-ffdXq")
        self._unhide()
        self._run("add", "-A")
        return self._run("write-tree").strip()

    def write_staged(self, *, remove_ignored: bool = True) -> str:
        """What :meth:`stage` returns, after :meth:`stage_changes` staged the tree.

        ``git clean -X`` removes only files git ignores, which ``git add -A`` never
        stages: removing them after staging leaves the index as removing them first would.
        """
        if remove_ignored:
            self._run("clean", "-ffdXq")
        return self._run("write-tree").strip()

    def staged_lines(self, base: str) -> str:
        """The lines the staged tree adds to ``base`` (tracked edits and new files)."""
        diff = self._run("diff", "--cached", "--no-color", "-U0", "--no-ext-diff", base, "--")
        added = (line for line in diff.splitlines() if line.startswith("+"))
        return "\n".join(line[1:] for line in added if not line.startswith("+++"))

    def commit(self, tree: str, parent: str, message: str, ref: str) -> str:
        """Commit ``tree`` on ``parent`` with ``message`` and point ``ref`` at it.

        One ``commit-tree`` per experiment, made once its outcome is known, so the
        message carries the ``Result:`` trailer from the start. ``ref`` is the
        branch for a kept experiment, ``refs/autoimprove/<run>/<n>`` otherwise.
        """
        sha = self._run(
            *_COMMIT_SETTINGS, *self._identity(), "commit-tree", tree, "-p", parent, "-m", message
        ).strip()
        self._run("update-ref", ref, sha)
        return sha

    @property
    def branch_ref(self) -> str:
        assert self.branch is not None, "a detached worker tree has no branch"
        return f"refs/heads/{self.branch}"

    def checkout_tree(self, commit: str, tree: str) -> None:
        """Detached at ``commit``, with the files (and index) of ``tree``: a change
        replayed on a newer best, or one a remote worker returned, ready to check."""
        self.reset(commit, recover=True)
        self._run("read-tree", "-u", "--reset", tree)

    def message(self, commit: str = "HEAD") -> str:
        return self._run("log", "-1", "--format=%B", commit).rstrip("\n")

    def reset(self, commit: str, *, recover: bool = False) -> None:
        """Put branch, index and files back to ``commit``; remove every untracked and
        ignored file: what each experiment starts from.

        Nothing in the worktree is the run's own (its logs, reports and temporary
        folders live in the run folder), so whatever is not in ``commit`` is a step's
        leftover. ``recover``: first remove a stale ``index.lock`` left by a git
        process that was killed (the worktree is the loop's own, and every process
        of the step before has been ended).
        """
        if recover:
            if self._git_dir is None:
                self._git_dir = Path(self._run("rev-parse", "--absolute-git-dir").strip())
            (self._git_dir / "index.lock").unlink(missing_ok=True)
        # A proposer may have switched branches or detached HEAD; come back.
        if self.branch is None:
            # Detach first, so a branch the proposer made is never moved by the reset.
            self._run("update-ref", "--no-deref", "HEAD", commit)
        else:
            self._run("symbolic-ref", "HEAD", self.branch_ref)
        self._unhide()  # else reset --hard keeps a hidden file's edit
        self._run("reset", "--hard", "-q", commit)
        self._run("clean", "-ffdxq")

    def _identity(self) -> tuple[str, ...]:
        """``-c user.*`` for what git's configuration lacks (environment variables
        such as ``GIT_AUTHOR_NAME`` still win); computed once per worktree."""
        if self._identity_args is None:
            args: list[str] = []
            for key in ("name", "email"):
                try:
                    _git(self.path, ["config", f"user.{key}"])
                except GitError:
                    args += ["-c", f"user.{key}={_FALLBACK_IDENTITY[f'GIT_AUTHOR_{key.upper()}']}"]
            self._identity_args = tuple(args)
        return self._identity_args


def _name_status(diff: str) -> dict[str, str]:
    """``{path: added|deleted|modified}`` from ``git diff --name-status -z --no-renames``."""
    fields = [f for f in diff.split("\0") if f]
    return {
        name: {"A": "added", "D": "deleted"}.get(status[:1], "modified")
        for status, name in zip(fields[::2], fields[1::2], strict=False)
    }


def _listing(
    found: dict[str, str], ignored: Iterable[str], *, caches: bool
) -> list[WorktreeChange]:
    """The changes of ``found`` plus the ``ignored`` paths not in it, sorted; caches only
    when ``caches`` (status ``cache``, for ignored ones)."""
    for name in ignored:
        name = name.rstrip("/")
        if name and name not in found:
            found[name] = "cache" if is_cache_path(name) else "ignored"
    return [
        WorktreeChange(p, s)
        for p, s in sorted(found.items())
        if (caches and s == "cache") or not is_cache_path(p)
    ]


class ReferenceTree:
    """A detached worktree of the run's best commit, measured beside each candidate.

    It has no branch and takes no commits: :meth:`move_to` checks out the best commit
    from scratch (tracked files restored, every other file removed), so each
    experiment measures the best from the same state as the candidate.
    """

    def __init__(self, repo_root: Path, path: Path) -> None:
        self.repo_root = repo_root
        self.path = path

    @classmethod
    def open(cls, repo_root: Path, path: Path, commit: str) -> ReferenceTree:
        """The tree at ``path`` at ``commit``, added as a worktree if it is not one."""
        tree = cls(repo_root, path)
        if not (path / ".git").exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            _git(repo_root, ["worktree", "prune"])
            _git(repo_root, ["worktree", "add", "-q", "--detach", "--force", str(path), commit])
        tree.move_to(commit)
        return tree

    def move_to(self, commit: str) -> None:
        """Check out ``commit`` and remove everything git does not track there."""
        # A git process killed in here (kill -9 of the loop) may have left its lock.
        git_dir = Path(_git(self.path, ["rev-parse", "--absolute-git-dir"]).decode().strip())
        (git_dir / "index.lock").unlink(missing_ok=True)
        _git(self.path, ["reset", "--hard", "-q", commit])
        _git(self.path, ["clean", "-ffdxq"])

    def changed(self, commit: str) -> list[str]:
        """Tracked files that differ from ``commit``, and new files Python would load."""
        out = _git(self.path, ["diff", "--name-only", "-z", "--no-renames", commit, "--"])
        paths = [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]
        others = _git(self.path, ["ls-files", "-z", "--others"])
        for name in others.decode("utf-8", "surrogateescape").split("\0"):
            if name.endswith((".py", ".pth")) and not is_cache_path(name):
                paths.append(name)
        return sorted(paths)

    def remove(self) -> None:
        """Remove the worktree (its files and git's record of it)."""
        _git(self.repo_root, ["worktree", "remove", "--force", str(self.path)])


@dataclass(frozen=True)
class Merged:
    """A change merged onto a newer commit: the combined tree, or the conflicting paths."""

    tree: str | None
    conflicts: tuple[str, ...] = ()


def merge_onto(root: Path, onto: str, change: str) -> Merged:
    """Replay commit ``change`` (made on an older commit) on top of ``onto``, in memory.

    A three-way merge (``git merge-tree --write-tree``) whose base is where ``change``
    and ``onto`` meet: the combined tree holds ``onto`` plus what ``change`` changed,
    as a cherry-pick would, without touching any worktree.
    """
    done = subprocess.run(
        ["git", "-C", str(root), "merge-tree", "--write-tree", "--name-only", "-z"]
        + ["--no-messages", onto, change],
        capture_output=True,
        timeout=_GIT_TIMEOUT,
        check=False,
    )
    fields = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    if done.returncode == 0:
        return Merged(fields[0].strip())
    if done.returncode == 1:
        return Merged(None, tuple(f for f in fields[1:] if f))
    message = done.stderr.decode(errors="replace").strip().splitlines()
    raise GitError(f"git merge-tree: {message[-1] if message else 'failed'}")


def tree_of(root: Path, commit: str) -> str:
    return _git(root, ["rev-parse", f"{commit}^{{tree}}"]).decode().strip()


def commit_tree(root: Path, tree: str, parent: str, message: str, ref: str | None = None) -> str:
    """Commit ``tree`` on ``parent`` (no hooks, no signing); point ``ref`` at it."""
    identity: list[str] = []
    for key in ("name", "email"):
        try:
            _git(root, ["config", f"user.{key}"])
        except GitError:
            identity += ["-c", f"user.{key}={_FALLBACK_IDENTITY[f'GIT_AUTHOR_{key.upper()}']}"]
    args = [*_COMMIT_SETTINGS, *identity, "commit-tree", tree, "-p", parent, "-m", message]
    sha = _git(root, args).decode().strip()
    if ref is not None:
        _git(root, ["update-ref", ref, sha])
    return sha


def update_ref(root: Path, ref: str, commit: str) -> None:
    _git(root, ["update-ref", ref, commit])


def changed_paths(root: Path, old: str, new: str) -> list[tuple[str, str]]:
    """``(path, status)`` of what differs between two commits or trees."""
    out = _git(root, ["diff-tree", "-r", "-z", "--no-renames", "--name-status", old, new])
    fields = [f for f in out.decode("utf-8", "surrogateescape").split("\0") if f]
    names = {"A": "added", "D": "deleted"}
    return [
        (name, names.get(st[:1], "modified"))
        for st, name in zip(fields[::2], fields[1::2], strict=False)
    ]


def bundle(root: Path, commit: str, path: Path, *, since: str | None = None) -> None:
    """Write ``commit`` (and its history, or only what ``since`` lacks) to a bundle file."""
    ref = f"refs/autoimprove-bundle/{os.getpid()}-{commit[:12]}"
    _git(root, ["update-ref", ref, commit])
    try:
        _git(root, ["bundle", "create", "-q", str(path), ref, *([f"^{since}"] if since else [])])
    finally:
        _git(root, ["update-ref", "-d", ref])


def unbundle(root: Path, path: Path) -> str:
    """Store a bundle's objects in the repository at ``root``; the commit it carries."""
    out = _git(root, ["bundle", "unbundle", str(path)]).decode().split()
    if not out:
        raise GitError(f"{path}: an empty bundle")
    return out[0]


def clone_bundle(path: Path, into: Path, commit: str) -> None:
    """A fresh repository at ``into`` whose work tree is ``commit`` from bundle ``path``."""
    into.mkdir(parents=True, exist_ok=True)
    _git(into, ["init", "-q"])
    _git(into, ["fetch", "-q", str(path), "+refs/*:refs/bundle/*"])
    _git(into, ["checkout", "-q", "--detach", commit])


def _git_message(exc: Any) -> str:
    lines = str(getattr(exc, "stderr", "") or exc).strip().splitlines()
    return lines[-1].strip().strip("'") if lines else "failed"


def is_dirty(root: Path) -> bool:
    """Whether the checkout has uncommitted changes (without touching its index)."""
    out = _git(root, ["--no-optional-locks", "status", "--porcelain", "--untracked-files=normal"])
    return bool(out.strip())


def subject_since(root: Path, base: str) -> str | None:
    """The subject of HEAD when something committed on top of ``base``, else ``None``."""
    head = _git(root, ["rev-parse", "HEAD"]).decode().strip()
    if head == resolve(root, base):
        return None
    return _git(root, ["log", "-1", "--format=%s", "HEAD"]).decode().strip() or None


def change_summary(root: Path, base: str) -> str:
    """``2 files changed, 5 insertions(+)`` against ``base``, untracked files counted."""
    stat = _git(root, ["--no-optional-locks", "diff", "--shortstat", base, "--"]).decode().strip()
    others = _git(root, ["ls-files", "--others", "--exclude-standard"]).decode().split()
    parts = [stat] if stat else []
    if others:
        parts.append(f"{len(others)} new file{'s' if len(others) != 1 else ''}")
    return ", ".join(parts) or "no change"


def diff(root: Path, old: str, new: str) -> str:
    """The unified diff from commit ``old`` to commit ``new`` (read-only; for reports)."""
    out = _git(
        root, ["diff", "--no-color", "--no-ext-diff", resolve(root, old), resolve(root, new), "--"]
    )
    return out.decode("utf-8", "replace")


def init_repo(root: Path, message: str) -> str:
    """Make ``root`` a git repository with everything committed (the demo's fresh copy).

    A fresh machine may have no git identity; the demo repository gets a local one
    so its commits work without touching the user's global configuration.
    """
    _git(root, ["init", "-q"])
    for key, value in (("user.name", "autoimprove demo"), ("user.email", "demo@localhost")):
        try:
            _git(root, ["config", key])
        except GitError:
            _git(root, ["config", key, value])
    return commit_all(root, message)


def commit_all(root: Path, message: str) -> str:
    """Stage and commit every change in ``root``; the new commit's sha."""
    _git(root, ["add", "-A"])
    _git(root, ["commit", "-q", "--allow-empty", "-m", message])
    return _git(root, ["rev-parse", "HEAD"]).decode().strip()


# ---------------------------------------------------------------------------
# Tidying up after runs (``autoimprove-guard clean``, and a run that could not start)


def refs(root: Path, prefix: str) -> dict[str, str]:
    """``{ref name: sha}`` of every ref under ``prefix`` (``refs/autoimprove/``)."""
    out = _git(root, ["for-each-ref", "--format=%(refname) %(objectname)", prefix]).decode()
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, _, sha = line.partition(" ")
        if name:
            found[name] = sha
    return found


def delete_refs(root: Path, names: Iterable[str]) -> None:
    """Delete refs (the loop's own: discarded experiments, run branches) in one call."""
    request = "".join(f"delete {name}\n" for name in names)
    if request:
        _git(root, ["update-ref", "--stdin"], stdin=request.encode("utf-8", "surrogateescape"))


def worktree_paths(root: Path) -> list[Path]:
    """The paths of every worktree git knows of (the main checkout first)."""
    out = _git(root, ["worktree", "list", "--porcelain"]).decode("utf-8", "surrogateescape")
    return [
        Path(line[len("worktree ") :]) for line in out.splitlines() if line.startswith("worktree ")
    ]


def remove_worktree(root: Path, path: Path) -> None:
    """Remove one of the loop's worktrees (its files and git's record of it)."""
    registered = {p.resolve() for p in worktree_paths(root)}
    if path.resolve() in registered:
        # Twice --force: also when the worktree is dirty or locked; it is the loop's own.
        _git(root, ["worktree", "remove", "--force", "--force", str(path)])
    elif path.exists():
        import shutil

        shutil.rmtree(path)
    _git(root, ["worktree", "prune"])


def is_ancestor(root: Path, commit: str, of: str) -> bool:
    """Whether ``commit`` is already part of ``of``'s history (merged, or never moved)."""
    done = subprocess.run(
        ["git", "-C", str(root), "merge-base", "--is-ancestor", commit, of],
        capture_output=True,
        timeout=_GIT_TIMEOUT,
        check=False,
    )
    return done.returncode == 0


def count_commits(root: Path, base: str, tip: str) -> int:
    """How many commits ``tip`` has that ``base`` has not."""
    return int(_git(root, ["rev-list", "--count", f"{base}..{tip}"]).decode().strip() or 0)


def checked_out_branches(root: Path) -> dict[Path, str]:
    """``{worktree path: branch}`` of every worktree with a branch checked out (the main
    checkout included); branches as ``refs/heads/...``."""
    out = _git(root, ["worktree", "list", "--porcelain"]).decode("utf-8", "surrogateescape")
    found: dict[Path, str] = {}
    path: Path | None = None
    for line in out.splitlines():
        if line.startswith("worktree "):
            path = Path(line[len("worktree ") :])
        elif line.startswith("branch ") and path is not None:
            found[path] = line[len("branch ") :]
    return found


def remove_local_excludes(root: Path, patterns: Iterable[str] = LOOP_EXCLUDES) -> None:
    """Take ``patterns`` out of ``.git/info/exclude`` again (the inverse of exclude_locally)."""
    common = Path(_git(root, ["rev-parse", "--git-common-dir"]).decode().strip())
    if not common.is_absolute():
        common = root / common
    exclude = common / "info" / "exclude"
    if not exclude.is_file():
        return
    lines = exclude.read_text(encoding="utf-8").splitlines(keepends=True)
    drop = set(patterns)
    kept = [line for line in lines if line.rstrip("\n") not in drop]
    if len(kept) != len(lines):
        exclude.write_text("".join(kept), encoding="utf-8")
