"""``autoimprove-guard verify``: does the guard lock hold (for CI and pre-commit)?"""

from __future__ import annotations

import argparse
import json

from pytest_autoimprove.cli.context import PROG, examples, load, repo_root
from pytest_autoimprove.errors import ExitCode, GuardError, UsageError

HELP = "check that nothing frozen changed (exit 0 holds, 1 changed, 2 error)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = examples(
        f"{PROG} verify",
        f"{PROG} verify --base origin/main   # also fail if the lock or a frozen file "
        "changed since main",
        f"{PROG} verify --json",
    )
    parser.add_argument(
        "--base",
        metavar="REF",
        help="also fail if the lock or any frozen file differs from REF (catches a re-freeze)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    from pytest_autoimprove import guard

    root = repo_root(args)
    config = load(args, required=False)
    try:
        report = guard.verify(root, config, base=args.base)
    except GuardError as exc:
        # No lock or an unreadable one: for `verify` that is an error (2), not "changed" (1).
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(report.render())
    return ExitCode.OK if report.holds else ExitCode.CHANGED
