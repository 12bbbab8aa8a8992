"""Guardrail generators: goal -> likely regressions -> tests that catch them.

Every generator is a plugin implementing ``pytest_autoimprove_generate`` (see
:mod:`pytest_autoimprove.hookspec`); the built-in ones live in this package, one
module per test kind, and :mod:`.catalog` holds the goal -> risk -> test-kind data.
This module only defines the request and result types they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig

#: Where generated guardrail tests (and their data files) live, relative to the repo root.
GUARD_DIR = "tests/autoimprove_guard"


@dataclass(frozen=True)
class GenerateRequest:
    """What a generator is asked to guard.

    :param root: the repository root (the code is importable from here).
    :param modules: Python files in scope (after ``exclude``), relative to ``root``.
    :param kind: the goal family: ``speed``, ``memory``, ``quality``, ``size`` or ``other``.
    :param config: the whole parsed improve.md, for generators that need more.
    :param output_dir: where to write, relative to ``root`` (normally :data:`GUARD_DIR`).
    :param max_examples: Hypothesis examples per property test.
    :param time_budget: seconds a generator may spend recording the baseline.
    :param tolerance: relative float tolerance for comparisons; ``None`` means exact.
    """

    root: Path
    modules: tuple[Path, ...]
    kind: str
    config: ImproveConfig | None = None
    output_dir: Path = Path(GUARD_DIR)
    max_examples: int = 50
    time_budget: float = 60.0
    tolerance: float | None = None


@dataclass(frozen=True)
class GeneratedFile:
    """One file to write, ``path`` relative to the repo root; text or bytes."""

    path: Path
    content: str | bytes


@dataclass(frozen=True)
class Finding:
    """A bug found in the baseline before the first experiment (reported, never frozen)."""

    path: Path
    line: int | None
    target: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path.as_posix()}:{self.line}" if self.line else self.path.as_posix()
        return f"{where}: {self.target}: {self.message}"


@dataclass(frozen=True)
class GenerationResult:
    """What one generator produced: files to write and findings to report."""

    generator: str
    files: tuple[GeneratedFile, ...] = ()
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = field(default=())
