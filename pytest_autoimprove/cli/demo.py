"""``autoimprove-guard demo``: the whole product on a bundled example, in minutes.

Copies an example project into a fresh directory, makes it a git repository,
generates and freezes guardrails (reporting what they find in the baseline), runs
``pytest --autoimprove`` with the built-in ``tune`` proposer under a short budget,
and writes the report. No API key, no network: the point is that a newcomer sees
every part work on their own machine before pointing it at their own repo.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pytest_autoimprove.errors import ExitCode, UsageError

EXAMPLES = ("rag_search", "speed")
_IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", ".autoimprove", "*.egg-info"
)


def examples_root() -> Path:
    """Where the bundled examples are: inside the wheel, or beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "examples", package.parent / "examples"):
        if candidate.is_dir():
            return candidate
    raise UsageError(
        "the bundled examples are not installed; reinstall pytest-autoimprove from a wheel "
        "or a checkout of its repository"
    )


HELP = (
    "the whole product on a bundled example in a fresh directory: guardrails, the loop "
    "with the built-in tune proposer, the report (no API key, no network)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "examples:\n"
        "  autoimprove-guard demo                     # rag_search in a temporary folder\n"
        "  autoimprove-guard demo speed --into ./speed-demo --rounds 20"
    )
    parser.add_argument(
        "example",
        nargs="?",
        default="rag_search",
        choices=EXAMPLES,
        help="which bundled example (default: rag_search, a hybrid search engine with a "
        "quality goal; speed: a hot pure-Python function)",
    )
    parser.add_argument(
        "--into",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to put the demo repository (default: a new temporary folder, kept)",
    )
    parser.add_argument(
        "--rounds", type=int, default=12, metavar="N", help="experiments to run (default: 12)"
    )
    parser.add_argument(
        "--budget", default="5m", metavar="DURATION", help="time budget of the loop (default: 5m)"
    )


def run(args: argparse.Namespace) -> int:
    from pytest_autoimprove.cli import report
    from pytest_autoimprove.config import load_config, parse_duration
    from pytest_autoimprove.generators import driver
    from pytest_autoimprove.repo import commit_all, init_repo

    try:
        parse_duration(args.budget)
    except ValueError as exc:
        raise UsageError(f"--budget: {exc}") from None
    if args.rounds < 1:
        raise UsageError("--rounds must be at least 1")
    source = examples_root() / args.example
    target = _target(args.into, args.example)

    _step(1, f"copy examples/{args.example} into {target} and make it a git repository")
    shutil.copytree(source, target, ignore=_IGNORE, dirs_exist_ok=True)
    init_repo(target, "demo: the example as shipped")

    _step(2, "generate guardrails for the goal in improve.md, and freeze them")
    config = load_config(target)
    driver.run(target, config)
    commit_all(target, "demo: guardrails and guard lock")

    _step(
        3,
        f"run the loop: pytest --autoimprove (tune proposer, {args.rounds} rounds, "
        f"budget {args.budget})",
    )
    loop = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--autoimprove",
            "--autoimprove-rounds",
            str(args.rounds),
            "--autoimprove-budget",
            args.budget,
        ],
        cwd=target,
        check=False,
    )
    if loop.returncode not in (ExitCode.OK, ExitCode.INTERRUPTED):
        print(f"\nthe loop stopped with exit {loop.returncode}; see the output above")
        return loop.returncode

    _step(4, "report")
    report.run(argparse.Namespace(root=target, file=None, run_id=None))
    print(
        f"\nthe demo repository is {target}\n"
        f"  cd {target} && git log --oneline autoimprove/*   # the kept experiments\n"
        f"  autoimprove-guard -C {target} report              # the report again\n"
        "next: `autoimprove-guard init` in your own repository"
    )
    return loop.returncode


def _target(into: Path | None, example: str) -> Path:
    if into is None:
        return Path(tempfile.mkdtemp(prefix=f"autoimprove-demo-{example}-"))
    if into.exists() and any(into.iterdir()):
        raise UsageError(f"{into}: not empty; pass a new or empty folder to --into")
    into.mkdir(parents=True, exist_ok=True)
    return into.resolve()


def _step(number: int, text: str) -> None:
    print(f"\n[{number}/4] {text}", flush=True)
