"""The static check of a proposal: does its diff reach into the judge?

The code under experiment runs inside the processes that judge it: the test gate
imports it, the benchmark imports it. Code that, when imported, replaces
``time.perf_counter``, the guard runtime's comparator or pytest's report, that
exits the test session early, that keeps answers on disk for the next run, or
that looks for the harness to behave differently when measured, can win a score
it did not earn. Before anything runs, every Python file the proposal added or
changed is parsed (:mod:`ast`; nothing is imported) and compared with its version
at the best commit; what the proposal *added* is checked against the rules of
:mod:`~pytest_autoimprove.loop.integrity_rules`. A finding makes the experiment
``tampered``, with the file, the line and what it does. Files that Python runs by
itself (``sitecustomize.py``, ``usercustomize.py``, ``*.pth``) and new modules that
shadow the standard library or the test harness are refused wherever they appear.

The rules aim at what honest optimizations never need: a precompiled regex,
``functools.lru_cache`` on a pure function, a module-level table or ``import time``
and calling it pass. Runtime checks (:mod:`~pytest_autoimprove.loop.sandbox`, the gate
plugin) catch what a diff hides (code built at run time); docs/guard.md lists what
each check stops.
"""

from __future__ import annotations

import collections
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_autoimprove import repo
from pytest_autoimprove.loop.integrity_rules import (
    HARNESS,
    HARNESS_PUBLIC,
    Finding,
    is_test_file,
    scan_source,
)

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig

#: Set to False (benchmarks/bench_integrity.py, "checks off") to skip every
#: integrity check: the static one, the sandbox and the gate's fingerprints.
ENABLED = True
#: Set to False to skip only this module's static check (to measure what the runtime
#: checks catch on their own).
STATIC = True

__all__ = [
    "ENABLED",
    "STATIC",
    "Finding",
    "check_proposal",
    "is_test_file",
    "new_findings",
    "owned_modules",
    "proposal_problem",
    "scan_changes",
    "scan_source",
]

#: Files Python runs by itself at start-up when they sit on the path or in site-packages.
STARTUP_FILES = ("sitecustomize.py", "usercustomize.py")
#: Installed top-level names a new module must never shadow, beside the standard library.
SHADOW_PROTECTED = frozenset({*HARNESS, *HARNESS_PUBLIC, "py", "iniconfig"})


def check_proposal(
    worktree: Path,
    base: str,
    changes: Iterable[repo.WorktreeChange],
    config: ImproveConfig | None = None,
) -> str | None:
    """The reason a proposal is ``tampered`` (``file:line: what``), else ``None``.

    ``changes`` is the proposal's listing (:meth:`~pytest_autoimprove.repo.Worktree.changes`);
    ``base`` the best commit the proposal started from.
    """
    findings = scan_changes(worktree, base, changes, config)
    if not findings:
        return None
    more = f" (+{len(findings) - 1} more)" if len(findings) > 1 else ""
    return f"{findings[0]}{more}"


def proposal_problem(
    worktree: Path,
    base: str,
    changes: Iterable[repo.WorktreeChange],
    config: ImproveConfig | None = None,
) -> str | None:
    """:func:`check_proposal`, unless the checks are off (:data:`ENABLED`, :data:`STATIC`)."""
    if not (ENABLED and STATIC):
        return None
    return check_proposal(worktree, base, changes, config)


def scan_changes(
    worktree: Path,
    base: str,
    changes: Iterable[repo.WorktreeChange],
    config: ImproveConfig | None = None,
) -> list[Finding]:
    """Every finding in the files a proposal added or changed, in path order."""
    findings: list[Finding] = []
    python: list[str] = []
    added: list[str] = []
    for change in changes:
        if change.status in ("deleted", "cache"):
            continue
        path = change.path
        name = path.rsplit("/", 1)[-1]
        if name in STARTUP_FILES or name.endswith(".pth"):
            findings.append(Finding(path, 1, _startup_message(name), "startup-file", path))
        elif name.endswith(".py"):
            python.append(path)
            if change.status == "added":
                added.append(path)
    findings += _shadowing(added)
    if python:
        old = repo.read_at(worktree, base, python)
        owned = owned_modules(worktree)
        for path in python:
            try:
                new_text = (worktree / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            before = old.get(path)
            old_text = before.decode("utf-8", "replace") if before is not None else ""
            findings += new_findings(path, old_text, new_text, owned=owned)
    return sorted(findings, key=lambda f: (f.path, f.line))


def new_findings(path: str, old: str, new: str, *, owned: frozenset[str]) -> list[Finding]:
    """Findings in ``new`` that ``old`` (the file at the best commit) did not have."""
    found = scan_source(path, new, owned=owned)
    if not found or not old:
        return found
    seen = collections.Counter((f.rule, f.key) for f in scan_source(path, old, owned=owned))
    fresh = []
    for finding in found:
        token = (finding.rule, finding.key)
        if seen[token] > 0:
            seen[token] -= 1
        else:
            fresh.append(finding)
    return fresh


def owned_modules(worktree: Path) -> frozenset[str]:
    """Top-level module names the repository itself provides (root and ``src/``)."""
    names: set[str] = set()
    for folder in (worktree, worktree / "src"):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.suffix == ".py":
                names.add(entry.stem)
            elif entry.is_dir() and not entry.name.startswith("."):
                names.add(entry.name)
    return frozenset(names)


def _startup_message(name: str) -> str:
    if name.endswith(".pth"):
        return (
            f"adds {name}: a .pth file runs its import lines in every Python process "
            "that has its folder as a site directory"
        )
    return f"adds {name}: Python runs it before any other code in every process"


def _shadowing(added: Sequence[str]) -> list[Finding]:
    """New top-level modules on the path that shadow the standard library or the harness."""
    findings = []
    for path in added:
        parts = path.split("/")
        if parts[0] == "src":
            parts = parts[1:]
        if len(parts) == 1:
            name = parts[0][: -len(".py")]
        elif len(parts) == 2 and parts[1] == "__init__.py":
            name = parts[0]
        else:
            continue
        if name == "__init__" or name.startswith("."):
            continue
        if name in sys.stdlib_module_names:
            what = "the standard library's"
        elif name in SHADOW_PROTECTED:
            what = "the test harness's"
        else:
            continue
        findings.append(
            Finding(
                path,
                1,
                f"adds a module named {name!r} that shadows {what} {name} for every "
                "process with the tree on its path",
                "shadow",
                name,
            )
        )
    return findings
