"""What is frozen in a work tree, hashed the one way, and the quick check of the lock.

:mod:`pytest_autoimprove.guard` builds its snapshots from the functions here, and
``--autoimprove-verify`` (every CI session that sets it) asks :func:`lock_holds` first:
it imports nothing beyond what pytest already loaded (no dataclasses are built, no
improve.md parser is imported) and runs one ``git ls-files``, narrowed to the paths
that can be frozen. It answers only "the lock holds"; anything it cannot prove
(another tool version's lock, a sealed holdout, a changed ``## Check`` section, an
odd git setup) is left to :func:`pytest_autoimprove.guard.verify`, which explains.

Which paths improve.md freezes (``frozen:``, ``golden:``) is recorded in the lock at
freeze time (``check_patterns``); the quick check uses that record only when the
hash of improve.md's ``## Check`` section, where those fields live, still matches the
lock: then the record is what parsing improve.md again would give. Every frozen file
is hashed: nothing is taken on trust from a cache the code under test could write.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pytest_autoimprove import __version__, paths, repo
from pytest_autoimprove.names import GUARD_DIR, LOCK_PATH

#: The tool line a lock written by this version carries.
TOOL = f"pytest-autoimprove {__version__}"
#: improve.md when nothing names another file (as :mod:`pytest_autoimprove.config` has it).
DEFAULT_CONFIG = "improve.md"
#: pytest's configuration: file -> the section that configures pytest (None: the whole file).
PYTEST_CONFIG: tuple[tuple[str, str | None], ...] = (
    ("pytest.ini", None),
    (".pytest.ini", None),
    ("pyproject.toml", "tool.pytest.ini_options"),
    ("pyproject.toml", "tool.pytest"),
    ("tox.ini", "pytest"),
    ("setup.cfg", "tool:pytest"),
)
SECTION_SEP = "::"
CONFTEST = "conftest.py"
#: Variables that move where git finds the repository: left to git itself.
_DISCOVERY_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
)

Digest = tuple[str, int]


# ---------------------------------------------------------------------------
# What is frozen, and its hashes


def pathspecs(patterns: Sequence[str], improve_md: str | None) -> list[str] | None:
    """git pathspecs covering every path :func:`snapshot` could freeze (a superset; the
    exact match is :func:`frozen_names`'), or ``None`` when only the whole tree does."""
    folders = paths.literal_prefixes(patterns)
    if folders is None:
        return None
    names = [*folders, *(name for name, _ in PYTEST_CONFIG)]
    if improve_md:
        names.append(improve_md)
    return [f":(literal){name}" for name in dict.fromkeys(names)] + [f":(glob)**/{CONFTEST}"]


def frozen_names(files: Iterable[str], patterns: Sequence[str]) -> list[str]:
    """The files frozen by ``patterns``, plus every conftest.py, minus byte code."""
    return [
        name
        for name in files
        if (paths.matches_any(name, patterns) or name.rsplit("/", 1)[-1] == CONFTEST)
        and not cache_file(name)
    ]


def cache_file(name: str) -> bool:
    return "/__pycache__/" in f"/{name}" or name.endswith((".pyc", ".pyo"))


def digest(data: bytes) -> Digest:
    return hashlib.sha256(data).hexdigest(), len(data)


_WHOLE_FILE = 16 << 20
_CHUNK = 1 << 20


def hash_file(path: Path) -> Digest:
    """sha256 of a file: read whole when small, streamed through one buffer when large."""
    with open(path, "rb", buffering=0) as handle:
        if os.fstat(handle.fileno()).st_size <= _WHOLE_FILE:
            return digest(handle.readall())
        sha = hashlib.sha256()
        buffer = bytearray(_CHUNK)
        view = memoryview(buffer)
        size = 0
        while count := handle.readinto(buffer):
            sha.update(view[:count])
            size += count
        return sha.hexdigest(), size


def hash_files(root: Path, names: Iterable[str]) -> dict[str, Digest]:
    """Hashes of the files on disk; a listed file that is gone (or not a file) is left out."""
    found: dict[str, Digest] = {}
    for name in names:
        try:
            found[name] = hash_file(root / name)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            continue
    return found


def section_digests(
    contents: Mapping[str, bytes | None], improve_md: str | None
) -> dict[str, Digest]:
    """The frozen sections: pytest's part of each config file, improve.md's ``## Check``."""
    found: dict[str, Digest] = {}
    for name, section in PYTEST_CONFIG:
        data = contents.get(name)
        if data is None:
            continue
        body = data if section is None else pytest_section(name, section, data)
        if body is not None:
            key = name if section is None else f"{name}{SECTION_SEP}[{section}]"
            found[key] = digest(body)
    if improve_md and contents.get(improve_md) is not None:
        check = markdown_section(contents[improve_md] or b"", "check")
        if check is not None:
            found[f"{improve_md}{SECTION_SEP}## Check"] = digest(check)
    return found


def snapshot(root: Path, patterns: Sequence[str], improve_md: str | None) -> dict[str, Digest]:
    """Hash everything frozen in the work tree at ``root`` (one git call when it is a repo).

    :raises GitError: git refused (the caller decides whether a walk of the tree will do).
    """
    files = repo.list_files_in(root, pathspecs(patterns, improve_md))
    found = hash_files(root, frozen_names(files, patterns))
    listed = set(files)
    config_files = {name for name, _ in PYTEST_CONFIG if name in listed}
    if improve_md and improve_md in listed:
        config_files.add(improve_md)
    found.update(section_digests(read_files(root, sorted(config_files)), improve_md))
    return found


def read_files(root: Path, names: Iterable[str]) -> dict[str, bytes | None]:
    result: dict[str, bytes | None] = {}
    for name in names:
        try:
            result[name] = (root / name).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            result[name] = None
    return result


def _toml(text: str) -> Any:
    from pytest_autoimprove.compat import tomllib

    return tomllib.loads(text)


def pytest_section(name: str, section: str, data: bytes) -> bytes | None:
    """The pytest part of a shared config file, canonicalized (``None``: not present)."""
    text = data.decode("utf-8", "replace")
    if name.endswith(".toml"):
        try:
            table: Any = _toml(text)
        except ValueError:  # tomllib.TOMLDecodeError
            return data  # unreadable TOML: freeze the bytes, any edit then shows
        for part in section.split("."):
            if not isinstance(table, dict) or part not in table:
                return None
            table = table[part]
        if section == "tool.pytest" and isinstance(table, dict):
            table = {k: v for k, v in table.items() if k != "ini_options"}
            if not table:
                return None
        return json.dumps(table, sort_keys=True, default=str).encode()
    import configparser  # 1 ms: only for tox.ini and setup.cfg

    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return data
    if not parser.has_section(section):
        return None
    items = sorted((key, " ".join(value.split())) for key, value in parser.items(section))
    return json.dumps(items).encode()


_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")


def markdown_section(data: bytes, title: str) -> bytes | None:
    """The lines of ``## title`` in improve.md, which define how experiments are measured."""
    out: list[str] = []
    inside = False
    for line in data.decode("utf-8", "replace").splitlines():
        heading = _HEADING.match(line)
        if heading:
            inside = heading[1].strip().lower() == title
            if inside:
                out.append("")
            continue
        if inside and line.strip():
            out.append(line.rstrip())
    return "\n".join(out).encode() if out else None


# ---------------------------------------------------------------------------
# The lock's text, read without tomllib


_QUOTED = r'"(?:[^"\\]|\\.)*"'
_LOCK_ENTRY = re.compile(rf'^({_QUOTED}) = \{{ sha256 = "([0-9a-f]{{64}})", size = (\d+) \}}$')
_LOCK_HEADER = re.compile(
    rf"^(format|guard_tests) = (\d+)$|^tool = ({_QUOTED})$"
    r"|^(extra_patterns|check_patterns) = (\[.*\])$"
)
_LOCK_SEALED = re.compile(
    rf'^sealed_holdout = \{{ source = ({_QUOTED}), sha256 = "([0-9a-f]{{64}})", '
    r"size = (\d+) \}$"
)


def parse_lock(text: str) -> tuple[dict[str, Any], dict[str, Digest]] | None:
    """The header and entries of a lock in the shape ``Lock.dumps`` writes, else ``None``.

    tomllib takes longer than hashing a large lock's files would; a hand-edited lock
    (``None`` here) is read by tomllib in :meth:`pytest_autoimprove.guard.Lock.loads`.
    """
    header: dict[str, Any] = {}
    entries: dict[str, Digest] = {}
    in_files = False
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line == "[files]":
            in_files = True
            continue
        sealed = None if in_files else _LOCK_SEALED.match(line)
        if sealed is not None:
            header["sealed"] = (json.loads(sealed[1]), sealed[2], int(sealed[3]))
            continue
        match = (_LOCK_ENTRY if in_files else _LOCK_HEADER).match(line)
        if match is None:
            return None
        if in_files:
            entries[json.loads(match[1])] = (match[2], int(match[3]))
        elif match[1]:
            header[match[1]] = int(match[2])
        elif match[3]:
            header["tool"] = json.loads(match[3])
        else:
            header[match[4]] = tuple(str(p) for p in json.loads(match[5]))
    if not in_files or not {"format", "guard_tests", "tool"} <= set(header):
        return None
    return header, entries


# ---------------------------------------------------------------------------
# The quick check


def lock_holds(start: Path, improve_file: str | None) -> bool:
    """``True`` when the work tree containing ``start`` provably matches its lock.

    ``False`` means "not proven here", never "broken": the caller then runs the full
    :func:`pytest_autoimprove.guard.verify`, which decides and explains.
    """
    if any(name in os.environ for name in _DISCOVERY_ENV):
        return False
    root = _work_tree(start)
    if root is None:
        return False
    try:
        parsed = parse_lock((root / LOCK_PATH).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    if parsed is None:
        return False
    header, locked = parsed
    if header["tool"] != TOOL or "sealed" in header:
        return False
    try:
        config = _config_file(root, improve_file)
    except _Undecided:
        return False
    patterns = [GUARD_DIR]
    improve_md = None
    if config is not None:
        recorded = header.get("check_patterns")
        improve_md = _relative(root, config)
        key = f"{improve_md}{SECTION_SEP}## Check"
        if recorded is None or key not in locked:
            return False
        try:
            check = markdown_section(config.read_bytes(), "check")
        except OSError:
            return False
        if check is None or digest(check) != locked[key]:
            return False
        patterns += recorded
    patterns += header.get("extra_patterns", ())
    patterns = list(dict.fromkeys(paths.normalize(p) for p in patterns if paths.normalize(p)))
    try:
        now = snapshot(root, patterns, improve_md)
    except (repo.GitError, OSError):
        return False
    return now == locked


def _work_tree(start: Path) -> Path | None:
    """The folder holding ``.git`` at or above ``start``: where ``git rev-parse
    --show-toplevel`` starts its answer (a git call costs more than this whole check)."""
    try:
        folder = start.resolve()
        device = folder.stat().st_dev
        for candidate in (folder, *folder.parents):
            if candidate.stat().st_dev != device:
                return None  # git stops at a file system's edge
            dot_git = candidate / ".git"
            if (dot_git / "HEAD").is_file() or dot_git.is_file():
                return candidate
    except OSError:
        return None
    return None


class _Undecided(Exception):
    """A case the quick check leaves to the full one."""


def _config_file(root: Path, improve_file: str | None) -> Path | None:
    """improve.md as ``config.find_config_path`` finds it (``None``: there is none).

    :raises _Undecided: an unusual case (a named file that is missing, an unreadable
        ``[tool.autoimprove]``): the full check reports it.
    """
    if improve_file:
        candidate = Path(improve_file)
        path = candidate if candidate.is_absolute() else root / candidate
        if not path.is_file():
            raise _Undecided
        return path
    path = root / DEFAULT_CONFIG
    try:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError):
        raise _Undecided from None
    if text is not None:
        try:
            table = _toml(text).get("tool", {}).get("autoimprove", {})
        except (ValueError, AttributeError):
            raise _Undecided from None
        if not isinstance(table, dict) or set(table) - {"file"}:
            raise _Undecided
        if "file" in table:
            if not isinstance(table["file"], str) or not table["file"].strip():
                raise _Undecided
            path = root / table["file"]
    return path if path.is_file() else None


def _relative(root: Path, path: Path) -> str:
    """As ``guard.config_path_in``: improve.md's path relative to the repository root."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.name
