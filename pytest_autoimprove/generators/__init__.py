"""Guardrail generators: goal -> likely regressions -> tests that catch them.

Every generator is a plugin implementing ``pytest_autoimprove_generate`` (see
:mod:`pytest_autoimprove.hookspec`); the built-in ones live in this package, one
module per test kind, and :mod:`.catalog` holds the goal -> risk -> test-kind data.
This module defines the request and result types they share, and the few pieces
every generator uses (the scratch pytest run, Hypothesis as a value source).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_autoimprove.generators.strength import TargetStrength
from pytest_autoimprove.names import GOLDEN_SPLIT_DIR, GUARD_DIR, SLOWNESS_ENV

if TYPE_CHECKING:
    import hypothesis

    from pytest_autoimprove.config import ImproveConfig


def slowness() -> float:
    """The factor from ``$AUTOIMPROVE_GENERATE_SLOWNESS`` (1 when unset or unreadable)."""
    import os

    try:
        factor = float(os.environ.get(SLOWNESS_ENV, "1"))
    except ValueError:
        return 1.0
    return factor if factor >= 1.0 else 1.0


def scratch_env(**extra: str) -> dict[str, str]:
    """The environment of a generator's own subprocesses (probes, verification runs).

    No bytecode written into the project. Hypothesis keeps caches (its Unicode tables,
    the constants it reads from the code under test) in a storage folder, by default
    ``.hypothesis`` in the working directory: every scratch folder would build them
    again, about a second of CPU in each run that draws text. They are shared in one
    per-user cache instead, unless the user chose a folder.
    """
    import os

    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **extra)
    env.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(hypothesis_cache()))
    return env


def hypothesis_cache() -> Path:
    """Where the generators' scratch runs keep Hypothesis' caches (caches only)."""
    import os
    import tempfile

    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory: the temporary folder will do
            base = tempfile.gettempdir()
    return Path(base) / "pytest-autoimprove" / "hypothesis"


def drawing_settings(max_examples: int) -> hypothesis.settings:
    """Hypothesis as a source of values while generating, not as a test runner.

    The same values on every run (generated files are byte-for-byte deterministic),
    nothing written to an example database, no deadline or health check to fail on the
    code under test: a failed draw only means fewer values.
    """
    from hypothesis import HealthCheck, Phase, settings

    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


#: pytest.ini of the scratch folder where generators run their tests on the baseline.
VERIFY_INI = "[pytest]\nmarkers =\n    autoimprove_guard: a generated guardrail test\n"


def scratch_pytest(folder: Path, ini: Path, *args: str) -> list[str]:
    """The command line that runs generated tests in a scratch ``folder`` on the baseline.

    The user's own pytest configuration and plugins that reorder tests stay out of
    it: ``ini`` (written here, with :data:`VERIFY_INI`) is the only configuration.
    """
    import sys

    ini.write_text(VERIFY_INI, encoding="utf-8")
    return [
        sys.executable, "-m", "pytest", "-q",
        "-p", "no:cacheprovider", "-p", "no:randomly",
        "-c", str(ini), "--rootdir", str(folder), *args,
    ]  # fmt: skip


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

    def write(self, root: Path) -> Path:
        """Write under ``root`` (text as UTF-8), creating folders; the path written."""
        destination = root / self.path
        destination.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(self.content, bytes):
            destination.write_bytes(self.content)
        else:
            destination.write_text(self.content, encoding="utf-8")
        return destination


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
    """What one generator produced: files to write and findings to report.

    :param strength: one row per target in scope (tests, mutation score, why a target
        has none); ``generate`` prints them and writes the strength report.
    """

    generator: str
    files: tuple[GeneratedFile, ...] = ()
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = field(default=())
    strength: tuple[TargetStrength, ...] = field(default=())


def scored_golden(root: Path, golden: str | None) -> str | None:
    """The golden file the benchmark scores, relative to ``root``.

    Once ``generate`` has split the golden set, the loop (and ``{golden}`` in
    ``run``, and ``$AUTOIMPROVE_GOLDEN``) sees only the visible part; the holdout
    is scored by the guard tests alone. Before that, the golden set itself.
    """
    if golden is None:
        return None
    visible = visible_split(root / GOLDEN_SPLIT_DIR)
    return visible.relative_to(root).as_posix() if visible else golden


def visible_split(folder: Path) -> Path | None:
    """The ``visible.*`` file ``generate`` wrote into ``folder``, if any."""
    if not folder.is_dir():
        return None
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.stem == "visible")
    return found[0] if found else None


def guard_file_head(
    goal: str, notes: Sequence[str], runtime: str, names: Iterable[str], depth: int
) -> list[str]:
    """The first lines of a generated guard file: docstring, imports, ``ROOT``.

    :param goal: what the docstring says the file guards ("the quality goal (higher)").
    :param notes: more docstring lines, after the "do not edit" line.
    :param runtime: the :mod:`pytest_autoimprove.runtime` module the tests call.
    :param names: what they import from it.
    :param depth: how many folders up from the file the repository root is.
    """
    return [
        f'"""Guardrail tests for {goal}, generated by pytest-autoimprove.',
        "",
        "Do not edit: the guard lock freezes this file; regenerate with `autoimprove-guard "
        "generate`.",
        *notes,
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from pathlib import Path",
        "",
        "import pytest",
        "",
        f"from pytest_autoimprove.runtime.{runtime} import (",
        *[f"    {name}," for name in sorted(names)],
        ")",
        "",
        f"ROOT = Path(__file__).resolve().parents[{depth}]",
    ]
