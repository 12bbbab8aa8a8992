"""``autoimprove-guard verify``: does the guard lock hold (for CI and pre-commit)?"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_autoimprove.cli.context import PROG, examples, load, repo_root
from pytest_autoimprove.errors import ExitCode, GuardError, UsageError

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig
    from pytest_autoimprove.guard import Report

HELP = "check that nothing frozen changed (exit 0 holds, 1 changed, 2 error)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = examples(
        f"{PROG} verify",
        f"{PROG} verify --base origin/main   # also fail if the lock or a frozen file "
        "changed since main",
        f"{PROG} verify --json",
        f"{PROG} verify --sealed             # CI: also score the sealed holdout (holdout: in "
        "improve.md); fails when it is absent",
    )
    parser.add_argument(
        "--base",
        metavar="REF",
        help="also fail if the lock or any frozen file differs from REF (catches a re-freeze)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--sealed",
        action="store_true",
        help="also score the sealed holdout kept outside the repository (`holdout:` in "
        "improve.md); fail when it is absent, changed, or scores below the baseline",
    )


def run(args: argparse.Namespace) -> int:
    from pytest_autoimprove import guard

    root = repo_root(args)
    config = load(args, required=False)
    try:
        report = guard.verify(root, config, base=args.base)
    except GuardError as exc:
        # No lock or an unreadable one: for `verify` that is an error (2), not "changed" (1).
        raise UsageError(str(exc)) from None
    sealed_problem, sealed_score = (
        _check_sealed(root, config, report) if args.sealed else (None, "")
    )
    if args.json:
        data = report.to_json()
        if args.sealed:
            data["sealed_check"] = sealed_problem or f"holds: {sealed_score}"
            data["holds"] = report.holds and sealed_problem is None
        print(json.dumps(data, indent=2))
    else:
        print(report.render())
        if args.sealed:
            print(sealed_problem or f"{sealed_score}\nsealed holdout check holds")
    return ExitCode.OK if report.holds and sealed_problem is None else ExitCode.CHANGED


def _check_sealed(
    root: Path, config: ImproveConfig | None, report: Report
) -> tuple[str | None, str]:
    """``(why the sealed holdout check fails, or None; the score line)``."""
    from pytest_autoimprove.generators.quality import build_harness
    from pytest_autoimprove.runtime.harness import run_harness
    from pytest_autoimprove.sealed import locate, read_record

    status = report.sealed
    if config is None or status is None:
        return "sealed holdout: improve.md names none (`holdout:` in ## Check)", ""
    if status.state != "present":
        return f"sealed holdout check FAILED: {status.message}", ""
    record = read_record(root)
    where = locate(status.source, root)
    if record is None or where.path is None:
        return "sealed holdout check FAILED: no baseline score recorded; run generate", ""
    harness = replace(build_harness(root, config), mode=record.mode)
    run = run_harness(harness, where.path.read_text(encoding="utf-8"), split_name="sealed")
    problem = run.failure()
    if problem is not None or run.score is None:
        return f"sealed holdout check FAILED: the benchmark does not score it: {problem}", ""
    drop = record.baseline - run.score if record.goal == "higher" else run.score - record.baseline
    verdict = (
        f"sealed holdout: score {run.score:g} on {record.rows} rows, baseline "
        f"{record.baseline:g}, allowed drop {record.allowed_drop:g}"
    )
    if drop > record.allowed_drop:
        return f"{verdict}: FAILED, the change fits the golden rows in the repository", verdict
    return None, verdict
