"""Running the user's quality benchmark on one part of the golden set, watched from inside.

The benchmark (``run:`` in improve.md) is the only thing that knows how to score the
system, so the guard scores the holdout by running it, not by reimplementing it. How
the benchmark learns which golden file to read decides how a split is passed in
(:class:`Harness` ``mode``, detected once at generation time):

- ``arg``: ``run`` has a ``{golden}`` placeholder; it gets the split's path;
- ``env``: the benchmark reads ``$AUTOIMPROVE_GOLDEN`` (checked by giving it two
  different splits and a missing file);
- ``copy``: the benchmark reads its fixed path; it runs in a scratch copy of the repo
  whose golden file holds the split instead.

In ``arg`` and ``env`` mode the split is a fresh copy in a temp dir, so code that reads
the golden files from their original place gains nothing, and the watcher
(:mod:`.quality_site.sitecustomize`, loaded through ``PYTHONPATH`` into every Python
process of the run) logs any open of a golden file made with code in scope on the
stack. The same watcher runs the entry point probe when asked.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_autoimprove import paths
from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.names import GOLDEN_ENV, GUARD_DIR, SCORE_FILE_ENV
from pytest_autoimprove.process import CommandResult, as_pytest_argv, python_path, run_command
from pytest_autoimprove.runtime.golden import read_golden
from pytest_autoimprove.runtime.textfiles import json_objects
from pytest_autoimprove.score import extract_score, fixture_score

__all__ = [
    "GOLDEN_ENV",
    "SITE_DIR",
    "Harness",
    "HarnessRun",
    "copy_repo",
    "files_in_scope",
    "run_harness",
]

#: The folder put first on ``PYTHONPATH``: it holds the watcher's ``sitecustomize.py``.
SITE_DIR = Path(__file__).resolve().parent / "quality_site"
SPEC_ENV = "AUTOIMPROVE_QUALITY_SPEC"

#: Folders never copied nor scanned: version control, caches, environments.
SKIPPED_DIRS = (
    ".git",
    ".autoimprove",
    "__pycache__",
    ".venv",
    "venv",
    ".env",
    "env",
    "node_modules",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "site-packages",
    "build",
    "dist",
    ".eggs",
)


@dataclass(frozen=True)
class Harness:
    """How to run the benchmark; every field is a plain value, so generated tests can spell it.

    :param root: the repository root.
    :param run: the ``run`` command (may hold ``{golden}``).
    :param score: the ``score`` regex text, or ``None`` for a ``SCORE:`` line.
    :param golden: the golden file, relative to ``root`` (``None``: no golden set).
    :param mode: ``arg``, ``env`` or ``copy`` (see the module docstring).
    :param timeout: seconds before the run's process group is killed.
    :param scope: ``scope`` patterns of improve.md; empty means everything.
    :param exclude: ``exclude`` patterns.
    :param protected: patterns a proposal may not touch (frozen files, golden, guard folder).
    :param guard_dir: the generated folder, relative to ``root``.
    """

    root: Path
    run: str
    score: str | None
    golden: str | None
    mode: str
    timeout: float
    scope: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()
    guard_dir: str = GUARD_DIR

    def files(self) -> list[str]:
        """The files a proposal may change, relative to ``root`` (:func:`files_in_scope`)."""
        return files_in_scope(self.root, self.scope, self.exclude, self.protected, self.guard_dir)


@dataclass(frozen=True)
class HarnessRun:
    """One benchmark run: what it printed, its score, and what the watcher logged."""

    result: CommandResult
    score: float | None
    events: tuple[dict[str, Any], ...]

    def failure(self) -> str | None:
        """Why this run cannot be trusted, or ``None``."""
        if self.result.timed_out:
            return f"the benchmark timed out; last output:\n{self.result.tail()}"
        if self.result.returncode != 0:
            code = self.result.returncode
            return f"the benchmark exited {code}; last output:\n{self.result.tail()}"
        if self.score is None:
            return f"the benchmark printed no score; last output:\n{self.result.tail()}"
        return None


def _skipped(rel: str) -> bool:
    return any(part in SKIPPED_DIRS for part in rel.split("/")[:-1])


def files_in_scope(
    root: Path,
    scope: Sequence[str],
    exclude: Sequence[str],
    protected: Sequence[str],
    guard_dir: str,
    *,
    python_only: bool = False,
) -> list[str]:
    """Files a proposal may change, relative to ``root``: scope minus exclude, tests, frozen."""
    patterns = list(scope) or ["**/*.py" if python_only else "**/*"]
    out = []
    for rel in paths.expand(root, patterns):
        if _skipped(rel) or not _in_scope(rel, scope, exclude):
            continue
        if python_only and not rel.endswith(".py"):
            continue
        name = rel.rsplit("/", 1)[-1]
        if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
            continue
        first = rel.split("/", 1)[0]
        if "/" in rel and first in ("tests", "test"):
            continue
        if rel.startswith((".autoimprove/", guard_dir.rstrip("/") + "/")):
            continue
        if paths.matches_any(rel, protected):
            continue
        out.append(rel)
    return out


def copy_repo(root: Path, dest: Path) -> Path:
    """A scratch copy of ``root`` (without version control, caches and environments)."""
    shutil.copytree(
        root, dest, symlinks=True, ignore=shutil.ignore_patterns(*SKIPPED_DIRS, "*.pyc")
    )
    return dest


def run_harness(
    harness: Harness,
    split_text: str | None,
    *,
    split_name: str = "split",
    probe: dict[str, Any] | None = None,
    mode: str | None = None,
) -> HarnessRun:
    """Run the benchmark on ``split_text`` (the golden file's content; ``None``: the original).

    :param split_name: the stem of the temp file holding the split.
    :param probe: the entry point probe spec (targets, edge inputs), or ``None``.
    :param mode: overrides ``harness.mode`` (used while detecting it).
    """
    mode = mode or harness.mode
    with tempfile.TemporaryDirectory(prefix="autoimprove-quality-") as tmp:
        scratch = Path(tmp)
        root = harness.root.resolve()
        if mode == "copy":
            root = copy_repo(root, scratch / "repo")
        suffix = Path(harness.golden).suffix if harness.golden else ".jsonl"
        if split_text is None:
            golden_path = root / harness.golden if harness.golden else None
        elif mode == "copy" and harness.golden:
            golden_path = root / harness.golden
            golden_path.parent.mkdir(parents=True, exist_ok=True)
            golden_path.write_text(split_text, encoding="utf-8")
        else:
            golden_path = scratch / "golden" / f"{split_name}{suffix}"
            golden_path.parent.mkdir(parents=True)
            golden_path.write_text(split_text, encoding="utf-8")
        command = harness.run
        env: dict[str, str] = {}
        if golden_path is not None:
            command = command.replace("{golden}", shlex.quote(str(golden_path)))
            env[GOLDEN_ENV] = str(golden_path)
        log = scratch / "watch.jsonl"
        spec = _watch_spec(harness, root, golden_path, log, probe, scratch)
        spec_path = scratch / "watch-spec.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        env[SPEC_ENV] = str(spec_path)
        # As in the loop (checks.Checks.env): the tree under test comes first on the path,
        # after the watcher.
        code_dirs = [str(root / "src")] if (root / "src").is_dir() else []
        env["PYTHONPATH"] = python_path([SITE_DIR, *code_dirs, root])
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        # A pytest benchmark without `score:` reports through the autoimprove_score
        # fixture, as in the loop.
        score_file = _fixture_score_file(harness, command, scratch)
        if score_file is not None:
            env[SCORE_FILE_ENV] = str(score_file)
        result = run_command(command, cwd=root, timeout=harness.timeout, env=env)
        # Validated when improve.md was read; frozen here as the user wrote it.
        pattern = re.compile(harness.score.strip()) if harness.score else None
        score = extract_score(result.output, pattern)
        if score_file is not None:
            score = fixture_score(score_file) if score_file.is_file() else score
        events = tuple(_read_events(log))
    return HarnessRun(result, score, events)


def _in_scope(rel: str, scope: Sequence[str], exclude: Sequence[str]) -> bool:
    """As improve.md's ``scope``/``exclude`` say (no ``scope``: anything)."""
    if exclude and paths.matches_any(rel, exclude):
        return False
    return not scope or paths.matches_any(rel, scope)


def _fixture_score_file(harness: Harness, command: str, scratch: Path) -> Path | None:
    if harness.score is not None:
        return None
    return scratch / "scores.jsonl" if as_pytest_argv(command) is not None else None


def _watch_spec(
    harness: Harness,
    root: Path,
    golden_path: Path | None,
    log: Path,
    probe: dict[str, Any] | None,
    scratch: Path,
) -> dict[str, Any]:
    originals = [harness.root.resolve(), root]
    protected: list[str] = []
    names: set[str] = set()
    for base in dict.fromkeys(originals):
        if harness.golden:
            protected.append(str(base / harness.golden))
        guard_golden = base / harness.guard_dir / "golden"
        if guard_golden.is_dir():
            protected.extend(str(p) for p in sorted(guard_golden.iterdir()))
    if golden_path is not None:
        protected.append(str(golden_path))
        names.add(golden_path.name)
    if harness.golden:
        names.add(Path(harness.golden).name)
    scope = [
        str(root / rel)
        for rel in files_in_scope(
            root,
            harness.scope,
            harness.exclude,
            harness.protected,
            harness.guard_dir,
            python_only=True,
        )
    ]
    spec: dict[str, Any] = {
        "log": str(log),
        "root": str(root),
        "protected": protected,
        "protected_dirs": [str(base / harness.guard_dir) for base in dict.fromkeys(originals)],
        "protected_names": sorted(names),
        "scope": scope,
    }
    if probe is not None:
        claim_dir = scratch / "claims"
        claim_dir.mkdir()
        targets = [
            {**target, "file": str(root / target["path"])} for target in probe.get("targets", [])
        ]
        spec["probe"] = {**probe, "targets": targets, "claim_dir": str(claim_dir)}
        if any(target.get("cli") or target.get("discover") for target in targets):
            # A program's query is found in its command line by equality with one of these.
            spec["probe"]["queries"] = _queries(golden_path)
    return spec


def _queries(golden_path: Path | None) -> list[str]:
    if golden_path is None or not golden_path.is_file():
        return []
    try:
        return read_golden(golden_path).queries
    except UsageError:
        return []


def _read_events(log: Path) -> Iterable[dict[str, Any]]:
    if not log.exists():
        return []
    return json_objects(log.read_text(encoding="utf-8", errors="replace").splitlines())
