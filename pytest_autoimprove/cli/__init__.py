"""``autoimprove-guard``: the command line around the guard, the generators and runs.

Each subcommand is a module of this package exposing ``HELP``, ``configure(parser)``
and ``run(args) -> int``, listed in :data:`COMMANDS` in the order a user meets them,
so the command line stays one table while the work lives in the module that owns
the concept. User mistakes print one line and return an exit code from
:class:`~pytest_autoimprove.errors.ExitCode`; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from pytest_autoimprove import __version__
from pytest_autoimprove.cli.context import PROG, examples
from pytest_autoimprove.errors import AutoimproveError, ExitCode

#: Subcommands, in the order a user meets them: name -> module.
COMMANDS: dict[str, str] = {
    name: f"pytest_autoimprove.cli.{name}"
    for name in (
        "init", "generate", "freeze", "verify", "status", "report", "export", "golden", "demo",
    )
}  # fmt: skip


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Guardrails, guard lock and run reports for pytest-autoimprove. "
        "The loop itself runs as `pytest --autoimprove`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=examples(
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
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        help_text: str = module.HELP
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(handler=module.run)
        module.configure(sub)
    return parser


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
