"""``autoimprove-guard export``: program.md, so any agent can follow the protocol by hand."""

from __future__ import annotations

import argparse
from pathlib import Path

from pytest_autoimprove.cli.context import load, repo_root
from pytest_autoimprove.proposers.prompt import render_protocol

HELP = "write program.md so any agent can follow the protocol by hand"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        default=Path("program.md"),
        metavar="PATH",
        help="where to write (default: program.md in the repository; - for standard output)",
    )
    parser.epilog = (
        "examples:\n"
        "  autoimprove-guard export\n"
        "  autoimprove-guard export -o - | claude -p   # hand the protocol to an agent CLI"
    )


def run(args: argparse.Namespace) -> int:
    config = load(args)
    text = render_protocol(config)
    if str(args.output) == "-":
        print(text, end="")
        return 0
    target = args.output if args.output.is_absolute() else repo_root(args) / args.output
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}: the goal, the rules and the protocol for an agent to follow by hand")
    return 0
