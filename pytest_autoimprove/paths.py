"""Repo-relative path patterns, as written in improve.md (``scope``, ``exclude``, ``frozen``).

One matcher for everyone who asks "is this path covered?" (scope enforcement,
the guard lock), so the three fields mean the same thing: ``*`` stays inside one
folder, ``**`` crosses folders, and a pattern without wildcards names a file or
everything under a folder.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

_GLOB_CHARS = frozenset("*?[")


def is_glob(pattern: str) -> bool:
    return any(char in _GLOB_CHARS for char in pattern)


def normalize(path: str | PurePosixPath | Path) -> str:
    """A repo-relative path in POSIX form without ``./`` or a trailing slash."""
    text = str(path).replace("\\", "/").strip()
    while text.startswith("./"):
        text = text[2:]
    return text.rstrip("/")


@functools.lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(_regex(pattern))


@functools.lru_cache(maxsize=128)
def _compile_any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    # One alternation instead of one regex per pattern: the guard matches every file
    # of the repository (20k in the loop's benchmark) against the frozen patterns.
    return re.compile("|".join(f"(?:{_regex(p)})" for p in patterns) or r"(?!)")


def _regex(pattern: str) -> str:
    pattern = normalize(pattern)
    if not is_glob(pattern):
        # A plain name covers the file itself and everything below a folder of that name.
        return re.escape(pattern) + r"(?:/.*)?"
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append(r"(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(r".*")
            index += 2
        elif char == "*":
            out.append(r"[^/]*")
            index += 1
        elif char == "?":
            out.append(r"[^/]")
            index += 1
        elif char == "[":
            end = pattern.find("]", index + 1)
            if end == -1:
                out.append(re.escape(char))
                index += 1
            else:
                body = pattern[index + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                index = end + 1
        else:
            out.append(re.escape(char))
            index += 1
    return "".join(out) + r"(?:/.*)?"


def matches(path: str | PurePosixPath | Path, pattern: str) -> bool:
    """Whether the repo-relative ``path`` is covered by ``pattern``."""
    return _compile(pattern).fullmatch(normalize(path)) is not None


def matches_any(path: str | PurePosixPath | Path, patterns: Iterable[str]) -> bool:
    return _compile_any(tuple(patterns)).fullmatch(normalize(path)) is not None


def literal_prefixes(patterns: Iterable[str]) -> list[str] | None:
    """For each pattern, the longest folder (or file) it cannot match outside of: git
    pathspecs that list a superset of what ``patterns`` match. ``None``: a pattern may
    match anywhere (it starts with a wildcard)."""
    found: list[str] = []
    for pattern in patterns:
        pattern = normalize(pattern)
        if not pattern:
            continue
        if is_glob(pattern):
            first = min(pattern.find(char) for char in _GLOB_CHARS if char in pattern)
            pattern = pattern[:first].rpartition("/")[0]
            if not pattern:
                return None
        found.append(pattern)
    return found


def expand(root: Path, patterns: Iterable[str]) -> list[str]:
    """Existing files under ``root`` covered by ``patterns``, repo-relative, sorted."""
    found: set[str] = set()
    for pattern in patterns:
        pattern = normalize(pattern)
        if not pattern:
            continue
        if not is_glob(pattern):
            target = root / pattern
            if target.is_file():
                found.add(pattern)
            elif target.is_dir():
                found.update(_files_under(root, target))
            continue
        for candidate in root.glob(pattern):
            if candidate.is_file():
                found.add(candidate.relative_to(root).as_posix())
            elif candidate.is_dir():
                found.update(_files_under(root, candidate))
    return sorted(path for path in found if not _ignored(path))


def _files_under(root: Path, folder: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file()}


_IGNORED_PARTS = frozenset({"__pycache__", ".git", ".hypothesis", ".pytest_cache"})


def _ignored(path: str) -> bool:
    """Caches and byte code are never part of what a pattern freezes or scopes."""
    parts = path.split("/")
    return any(part in _IGNORED_PARTS for part in parts) or path.endswith((".pyc", ".pyo"))
