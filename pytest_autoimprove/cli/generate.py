"""``autoimprove-guard generate``: write guardrails for the goal, then freeze them."""

from __future__ import annotations

import argparse

from pytest_autoimprove.cli.context import PROG, duration, examples, load, positive_int, repo_root

HELP = (
    "write guardrail tests aimed at the regressions the goal in improve.md invites, "
    "measure them against code mutants, then freeze them"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = examples(
        f"{PROG} generate",
        f"{PROG} generate --dry-run          # list what would be written",
        f"{PROG} generate --max-examples 200 --budget 2m",
    )
    parser.add_argument("--dry-run", action="store_true", help="list the files, write nothing")
    parser.add_argument(
        "--no-freeze", action="store_true", help="write the tests but do not update the lock"
    )
    parser.add_argument(
        "--max-examples",
        type=positive_int,
        default=50,
        metavar="N",
        help="Hypothesis examples per property test (default: 50)",
    )
    parser.add_argument(
        "--budget",
        type=duration,
        default=60.0,
        metavar="DURATION",
        help="time the generation of one goal may take: recording, probing, verifying, "
        "mutation testing (default: 1m)",
    )


def run(args: argparse.Namespace) -> int:
    from pytest_autoimprove.generators import driver

    root = repo_root(args)
    config = load(args)
    return driver.run(
        root,
        config,
        dry_run=args.dry_run,
        freeze=not args.no_freeze,
        max_examples=args.max_examples,
        time_budget=args.budget,
    )
