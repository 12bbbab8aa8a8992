"""``autoimprove-guard status``: the lock, the guardrails and the runs at a glance."""

from __future__ import annotations

import argparse
from pathlib import Path

from pytest_autoimprove.cli.context import PROG, examples, load, repo_root
from pytest_autoimprove.errors import AutoimproveError, ExitCode
from pytest_autoimprove.plural import plural

HELP = (
    "show the lock, the guardrails (tests and mutation score per target) and the runs at a "
    "glance (exit 1: the lock does not hold)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = examples(f"{PROG} status")


def run(args: argparse.Namespace) -> int:
    from pytest_autoimprove import guard
    from pytest_autoimprove.names import GUARD_DIR

    root = repo_root(args)
    print(f"repository: {root}")
    try:
        config = load(args, required=False)
    except AutoimproveError as exc:
        config = None
        print(f"improve.md: {exc}")
    else:
        if config is None:
            print("improve.md: none (run `autoimprove-guard init`)")
        else:
            check = config.check
            scope = ", ".join(config.change.scope) or "anything not frozen"
            print(
                f"improve.md: {config.name}: {check.goal} {check.kind} score from "
                f"`{check.run}`; scope {scope}; provider {config.agent.provider}"
            )
    guard_files = (
        sorted((root / GUARD_DIR).rglob("test_*.py")) if (root / GUARD_DIR).is_dir() else []
    )
    print(f"guardrails: {plural(len(guard_files), 'test file')} in {GUARD_DIR}/")
    _strength(root / GUARD_DIR)
    holds = True
    try:
        report = guard.verify(root, config)
    except AutoimproveError as exc:
        holds = False
        print(f"guard lock does not hold: {exc}")
    else:
        holds = report.holds
        # When it does not hold, the reason (which entries, and the fix) is the point.
        print(report.render() if not holds else report.render().splitlines()[0])
    runs = root / ".autoimprove" / "runs"
    names = sorted(p.name for p in runs.iterdir() if p.is_dir()) if runs.is_dir() else []
    print(f"runs: {len(names)}" + (f" (last: {names[-1]})" if names else ""))
    for name in names[-5:]:
        print(f"  {name}: {_run_line(runs / name)}")
    return ExitCode.OK if holds else ExitCode.CHANGED


def _strength(folder: Path) -> None:
    """The strength table ``generate`` wrote beside the guardrails, if any."""
    from pytest_autoimprove.generators.strength import read_report, table

    try:
        rows = read_report(folder)
    except ValueError as exc:
        print(f"strength: {exc}")
        return
    if rows is None:
        return  # not generated yet, or a goal family that reports none
    print("strength per target in scope:")
    print(table(rows))


def _run_line(folder: Path) -> str:
    results = folder / "results.tsv"
    if not results.is_file():
        return "no results yet"
    rows = [line.split("\t") for line in results.read_text(encoding="utf-8").splitlines()[1:]]
    kept = sum(1 for row in rows if len(row) > 4 and row[4] == "kept")
    return f"{plural(len(rows), 'experiment')}, {kept} kept"
