"""``autoimprove-guard generate``: ask every generator plugin, write, report, freeze.

The generators themselves (``pytest_autoimprove.generators.*`` and third-party
plugins) only return files and findings; this module owns the side effects: it
resolves the modules in scope, replaces the guard folder, prints the baseline's
findings (bugs found before the first experiment) and re-freezes the lock.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pytest_autoimprove import guard, paths
from pytest_autoimprove.config import ImproveConfig
from pytest_autoimprove.errors import ExitCode
from pytest_autoimprove.generators import (
    GeneratedFile,
    GenerateRequest,
    GenerationResult,
    catalog,
)
from pytest_autoimprove.generators.strength import (
    REPORT_JSON,
    REPORT_MD,
    markdown,
    report_json,
    table,
)
from pytest_autoimprove.names import GUARD_DIR, LOCK_PATH
from pytest_autoimprove.plural import plural


def modules_in_scope(root: Path, config: ImproveConfig) -> tuple[Path, ...]:
    """Python source files the goal may change: ``scope`` minus ``exclude`` and tests."""
    patterns = config.change.scope or ("**/*.py",)
    frozen_by_plugins = guard.locked_patterns(root)
    found = []
    for name in paths.expand(root, patterns):
        if not name.endswith(".py") or not config.change.in_scope(name):
            continue
        base = name.rsplit("/", 1)[-1]
        if base == "conftest.py" or base.startswith("test_") or base.endswith("_test.py"):
            continue
        if "/" in name and name.split("/", 1)[0] in ("tests", "test"):
            continue
        if guard.is_protected(name, root, config, frozen_by_plugins):
            continue
        found.append(Path(name))
    return tuple(found)


def collect(request: GenerateRequest) -> list[GenerationResult]:
    """Every generator's answer for ``request``."""
    from pytest_autoimprove.manager import standalone_manager

    results = standalone_manager().hook.pytest_autoimprove_generate(request=request)
    return [result for result in results if result is not None]


def run(
    root: Path,
    config: ImproveConfig,
    *,
    dry_run: bool = False,
    freeze: bool = True,
    max_examples: int = 50,
    time_budget: float = 60.0,
) -> int:
    modules = modules_in_scope(root, config)
    python_goal = config.check.kind in {
        family.kind for family in catalog.BUILTIN_FAMILIES if family.needs_python_scope
    }
    if not modules and python_goal:
        raise config.error(
            "change.scope",
            "scope names no Python module to guard",
            "list the files the agent may change, e.g. `scope: src/pkg/*.py`",
        )
    request = GenerateRequest(
        root=root,
        modules=modules,
        kind=config.check.kind,
        config=config,
        max_examples=max_examples,
        time_budget=time_budget,
        tolerance=config.check.tolerance,
    )
    results = collect(request)
    if not results:
        raise config.error(
            "check.kind",
            f"no generator handles goals of kind {config.check.kind!r}",
            "set `kind:` to speed, memory, quality or size, or install a generator plugin",
        )
    files = [file for result in results for file in result.files]
    rows = [row for result in results for row in result.strength]
    if rows:
        # The report describes the tests beside it and is frozen with them.
        files += [
            GeneratedFile(Path(GUARD_DIR) / REPORT_JSON, report_json(rows)),
            GeneratedFile(Path(GUARD_DIR) / REPORT_MD, markdown(rows)),
        ]
    for result in results:
        print(f"{result.generator}: {plural(len(result.files), 'file')}")
        for note in result.notes:
            print(f"  note: {note}")
    for file in sorted(files, key=lambda f: f.path.as_posix()):
        print(f"  {'would write' if dry_run else 'wrote'} {file.path.as_posix()}")
    findings = [finding for result in results for finding in result.findings]
    if findings:
        print(f"\nfindings: {len(findings)} bug(s) in the baseline, before any experiment:")
        for finding in findings:
            print(f"  {finding}")
    if not dry_run:
        _write(root, files)
        if freeze:
            lock = guard.freeze_repo(root, config)
            print(
                f"\nfroze {plural(len(lock.entries), 'entry', 'entries')} "
                f"({plural(lock.guard_tests, 'guard test')}) into "
                f"{LOCK_PATH}; review and commit {GUARD_DIR}/ and the lock"
            )
    if rows:
        print(f"\nguardrail strength per target in scope (also in {GUARD_DIR}/{REPORT_MD}):")
        print(table(rows))
    return ExitCode.OK


def _write(root: Path, files: list[GeneratedFile]) -> None:
    """Replace the generated folder: stale guardrails from an older goal must not linger."""
    target = root / GUARD_DIR
    if target.exists():
        shutil.rmtree(target)
    for file in files:
        file.write(root)
