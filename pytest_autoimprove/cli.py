"""``autoimprove-guard``: the command line around the guard, the generators and runs.

Each subcommand is a small function here or a module that exposes
``configure(parser)`` and ``run(args) -> int`` (listed in :data:`COMMAND_MODULES`),
so the command line stays one table while the work lives in the module that owns
the concept. User mistakes print one line and return an exit code from
:class:`~pytest_autoimprove.errors.ExitCode`; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pytest_autoimprove import __version__
from pytest_autoimprove.errors import AutoimproveError, ExitCode, GuardError, UsageError

PROG = "autoimprove-guard"

#: Subcommands implemented in their own modules: name -> (module, one-line help).
COMMAND_MODULES: dict[str, tuple[str, str]] = {
    "init": (
        "pytest_autoimprove.init",
        "detect the repo, write improve.md (and an eval harness where the goal needs one), "
        "generate and freeze guardrails, measure the baseline",
    ),
    "report": (
        "pytest_autoimprove.report",
        "report.md and progress.png of a run; a table in the terminal",
    ),
    "golden": (
        "pytest_autoimprove.golden",
        "build a golden set: run the system on sample inputs and label the relevant results",
    ),
    "export": (
        "pytest_autoimprove.prompt",
        "write program.md so any agent can follow the protocol by hand",
    ),
    "demo": (
        "pytest_autoimprove.demo",
        "the whole product on a bundled example in a fresh directory: guardrails, the loop "
        "with the built-in tune proposer, the report (no API key, no network)",
    ),
}


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Guardrails, guard lock and run reports for pytest-autoimprove. "
        "The loop itself runs as `pytest --autoimprove`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_examples(
            f"{PROG} generate        # write guardrail tests for the goal in improve.md, freeze",
            f"{PROG} verify --base origin/main   # in CI: fail if frozen files changed",
            "pytest --autoimprove           # run the keep/discard loop",
        )
        + "\n\nexit codes: 0 ok, 1 lock does not hold (verify), 2 usage or config error",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "-C",
        "--root",
        type=Path,
        default=None,
        metavar="DIR",
        help="the repository to work on (default: the git repository around the current folder)",
    )
    parser.add_argument(
        "--file",
        default=None,
        metavar="PATH",
        help="improve.md to use (default: [tool.autoimprove] file in pyproject.toml, else "
        "./improve.md)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str, help_text: str, run: Callable[[argparse.Namespace], int], *examples: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog=_examples(*examples) if examples else None,
        )
        sub.set_defaults(handler=run)
        return sub

    generate = add(
        "generate",
        "write guardrail tests aimed at the regressions the goal in improve.md invites, "
        "then freeze them",
        _generate,
        f"{PROG} generate",
        f"{PROG} generate --dry-run          # list what would be written",
        f"{PROG} generate --max-examples 200 --budget 2m",
    )
    generate.add_argument("--dry-run", action="store_true", help="list the files, write nothing")
    generate.add_argument(
        "--no-freeze", action="store_true", help="write the tests but do not update the lock"
    )
    generate.add_argument(
        "--max-examples",
        type=_positive_int,
        default=50,
        metavar="N",
        help="Hypothesis examples per property test (default: 50)",
    )
    generate.add_argument(
        "--budget",
        type=_duration,
        default=60.0,
        metavar="DURATION",
        help="time to spend recording the baseline per generator (default: 1m)",
    )

    add(
        "freeze",
        "hash the guardrails, the eval harness and the test configuration into "
        ".autoimprove/guard.lock",
        _freeze,
        f"{PROG} freeze && git add .autoimprove/guard.lock",
    )

    verify = add(
        "verify",
        "check that nothing frozen changed (exit 0 holds, 1 changed, 2 error)",
        _verify,
        f"{PROG} verify",
        f"{PROG} verify --base origin/main   # also fail if the lock or a frozen file "
        "changed since main",
        f"{PROG} verify --json",
    )
    verify.add_argument(
        "--base",
        metavar="REF",
        help="also fail if the lock or any frozen file differs from REF (catches a re-freeze)",
    )
    verify.add_argument("--json", action="store_true", help="print the report as JSON")

    add(
        "status",
        "show the lock, the guardrails and the runs at a glance",
        _status,
        f"{PROG} status",
    )

    for name, (module, help_text) in COMMAND_MODULES.items():
        target = importlib.import_module(module)
        sub = add(name, help_text, target.run)
        target.configure(sub)
    return parser


def _positive_int(text: str) -> int:
    from pytest_autoimprove.config import parse_positive_int

    try:
        return parse_positive_int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _duration(text: str) -> float:
    from pytest_autoimprove.config import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def repo_root(args: argparse.Namespace) -> Path:
    """The repository the command works on."""
    from pytest_autoimprove.repo import find_root

    start = args.root if args.root is not None else Path.cwd()
    if not start.is_dir():
        raise UsageError(f"{start}: no such folder; pass an existing repository with -C DIR")
    return find_root(start)


def load(args: argparse.Namespace, *, required: bool = True) -> Any:
    """improve.md of the repository (``None`` when absent and not ``required``)."""
    from pytest_autoimprove.config import find_config_path, load_config

    root = repo_root(args)
    if not required and args.file is None and not find_config_path(root).is_file():
        return None
    return load_config(root, args.file)


# ---------------------------------------------------------------------------
# Guard commands


def _freeze(args: argparse.Namespace) -> int:
    from pytest_autoimprove import guard

    root = repo_root(args)
    config = load(args, required=False)
    lock = guard.freeze_repo(root, config)
    print(
        f"froze {len(lock.entries)} entries ({lock.guard_tests} guard tests) into "
        f"{guard.LOCK_PATH}; commit it with the guardrails"
    )
    for name in sorted(lock.entries):
        print(f"  {name}")
    return ExitCode.OK


def _verify(args: argparse.Namespace) -> int:
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


def _status(args: argparse.Namespace) -> int:
    from pytest_autoimprove import guard
    from pytest_autoimprove.generators import GUARD_DIR

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
    print(f"guardrails: {len(guard_files)} test files in {GUARD_DIR}/")
    try:
        print(guard.verify(root, config).render().splitlines()[0])
    except AutoimproveError as exc:
        print(f"guard lock: {exc}")
    runs = root / ".autoimprove" / "runs"
    names = sorted(p.name for p in runs.iterdir() if p.is_dir()) if runs.is_dir() else []
    print(f"runs: {len(names)}" + (f" (last: {names[-1]})" if names else ""))
    for name in names[-5:]:
        print(f"  {name}: {_run_line(runs / name)}")
    return ExitCode.OK


def _run_line(folder: Path) -> str:
    results = folder / "results.tsv"
    if not results.is_file():
        return "no results yet"
    rows = [line.split("\t") for line in results.read_text(encoding="utf-8").splitlines()[1:]]
    kept = sum(1 for row in rows if len(row) > 4 and row[4] == "kept")
    return f"{len(rows)} experiments, {kept} kept"


# ---------------------------------------------------------------------------
# generate


def _generate(args: argparse.Namespace) -> int:
    from pytest_autoimprove import generate

    root = repo_root(args)
    config = load(args)
    return generate.run(
        root,
        config,
        dry_run=args.dry_run,
        freeze=not args.no_freeze,
        max_examples=args.max_examples,
        time_budget=args.budget,
    )


# ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return ExitCode.CONFIG_ERROR
    try:
        return int(args.handler(args))
    except AutoimproveError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
