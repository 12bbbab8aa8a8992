"""The repository and improve.md a command works on, and argument types commands share."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pytest_autoimprove.errors import UsageError

PROG = "autoimprove-guard"


def examples(*lines: str) -> str:
    """An argparse epilog listing example command lines."""
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def positive_int(text: str) -> int:
    from pytest_autoimprove.config import parse_positive_int

    try:
        return parse_positive_int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def duration(text: str) -> float:
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
