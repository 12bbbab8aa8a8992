"""``autoimprove-guard``: the command line around the guard, the generators and runs.

Each subcommand is a module of this package exposing ``HELP``, ``configure(parser)``
and ``run(args) -> int``, listed in :data:`COMMANDS` in the order a user meets them,
so the command line stays one table while the work lives in the module that owns
the concept. User mistakes print one line (one per problem) and return an exit code
from :class:`~pytest_autoimprove.errors.ExitCode`; never a traceback, not even when
the reader of the output goes away (``autoimprove-guard report | head -3``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from pytest_autoimprove import __version__
from pytest_autoimprove.cli.context import PROG, examples
from pytest_autoimprove.errors import AutoimproveError, ExitCode

#: Subcommands, in the order a user meets them: name -> module.
COMMANDS: dict[str, str] = {
    name: f"pytest_autoimprove.cli.{name}"
    for name in (
        "init", "generate", "freeze", "verify", "status", "report", "export", "golden", "demo",
        "clean",
    )
}  # fmt: skip


#: Every exit code of the CLI and of ``pytest --autoimprove`` (:class:`ExitCode`).
EXIT_CODES = """exit codes:
  0    ok
  1    the guard lock does not hold (verify, status)
  2    usage or configuration error (improve.md, pyproject.toml, arguments)
  3    the guard does not hold: the loop refuses to start (pytest --autoimprove)
  4    the baseline fails its tests or its benchmark gives no score (init, the loop)
  130  interrupted (Ctrl-C)"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Guardrails, guard lock and run reports for pytest-autoimprove. "
        "The loop itself runs as `pytest --autoimprove`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=examples(
            f"{PROG} init            # improve.md, a benchmark, guardrails, the lock",
            f"{PROG} generate        # write guardrail tests for the goal in improve.md, freeze",
            f"{PROG} verify --base origin/main   # in CI: fail if frozen files changed",
            "pytest --autoimprove           # run the keep/discard loop",
            f"{PROG} clean           # remove what finished runs left behind",
        )
        + "\n\n"
        + EXIT_CODES,
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
    with _quiet_broken_pipe():
        try:
            return int(args.handler(args))
        except AutoimproveError as exc:
            print(f"{PROG}: {exc}", file=sys.stderr)
            return int(exc.exit_code)
        except KeyboardInterrupt:
            print(f"{PROG}: interrupted", file=sys.stderr)
            return int(ExitCode.INTERRUPTED)


class _PipeSafe(io.TextIOBase):
    """stdout that stops writing, quietly, once its reader has gone away.

    The command itself goes on (report.md is still written, the exit code is still
    the command's own); only what nobody reads any more is dropped.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def write(self, text: str) -> int:
        if not self.closed_by_reader:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self) -> None:
        if not self.closed_by_reader:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()

    def isatty(self) -> bool:
        return bool(getattr(self._stream, "isatty", lambda: False)())

    def fileno(self) -> int:
        return int(self._stream.fileno())

    def _gone(self) -> None:
        self.closed_by_reader = True
        # What is still buffered would be flushed again at exit and fail there, with
        # a traceback of its own: point the descriptor at /dev/null instead.
        with contextlib.suppress(AttributeError, OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)


@contextlib.contextmanager
def _quiet_broken_pipe() -> Iterator[None]:
    """Run a command with a stdout whose reader may close it early (``| head``)."""
    original = sys.stdout
    safe = _PipeSafe(original)
    sys.stdout = safe
    try:
        yield
        safe.flush()
    finally:
        sys.stdout = original


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
