"""``autoimprove-guard freeze``: hash everything frozen into the guard lock."""

from __future__ import annotations

import argparse

from pytest_autoimprove.cli.context import PROG, examples, load, repo_root
from pytest_autoimprove.errors import ExitCode
from pytest_autoimprove.names import LOCK_PATH
from pytest_autoimprove.plural import plural

HELP = f"hash the guardrails, the eval harness and the test configuration into {LOCK_PATH}"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = examples(f"{PROG} freeze && git add {LOCK_PATH}")


def run(args: argparse.Namespace) -> int:
    from pytest_autoimprove import guard

    root = repo_root(args)
    config = load(args, required=False)
    lock = guard.freeze_repo(root, config)
    print(
        f"froze {plural(len(lock.entries), 'entry', 'entries')} "
        f"({plural(lock.guard_tests, 'guard test')}) into "
        f"{LOCK_PATH}; commit it with the guardrails"
    )
    for name in sorted(lock.entries):
        print(f"  {name}")
    return ExitCode.OK
