"""Is the proposer there? Asked by ``init`` and by the loop before anything runs.

An agent CLI that is not installed used to show only at the first experiment, after
a baseline that may take minutes. The check is cheap: the program is on ``PATH``
(or is a file), and a preset CLI answers ``--version`` in its own process group
within :data:`VERSION_TIMEOUT` seconds. It never asks for an API key: a CLI may be
logged in with credentials of its own, and only it knows.

``command`` proposers are any shell command line: only their program is looked
up (running it would make a proposal). ``tune`` needs nothing; a provider a plugin
implements is the plugin's business.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_autoimprove.config import Agent

__all__ = ["VERSION_TIMEOUT", "program_problem"]

#: Seconds a preset CLI gets to print its version (node-based CLIs start slowly).
VERSION_TIMEOUT = 60.0
#: The argument each preset answers with its version (all of them: ``--version``).
VERSION_FLAGS = {
    "claude": "--version",
    "codex": "--version",
    "gemini": "--version",
    "aider": "--version",
}
#: Shell words that may start a command line without naming its program.
_SHELL_PREFIXES = {"env", "exec", "nice", "nohup", "time", "command"}


def program_problem(agent: Agent, cwd: Path) -> tuple[str, str] | None:
    """``(problem, fix)`` when ``agent``'s program cannot run from ``cwd``, else ``None``."""
    from pytest_autoimprove.proposers.agent import PRESETS

    if agent.provider in PRESETS:
        default = PRESETS[agent.provider][0]
        words = _words(agent.command) if agent.command else [default]
        if not words:
            return f"provider {agent.provider}: `command:` is empty", "name the program"
        program = words[0]
        if not _found(program, cwd):
            return (
                f"provider {agent.provider}: `{program}` is not on PATH",
                f"install it, or name the program with `command: /path/to/{default}`, "
                "or choose another provider (codex, gemini, aider, command, tune)",
            )
        return _answers_version(agent.provider, words, cwd)
    if agent.provider == "command" and agent.command:
        words = _words(agent.command)
        while words and (words[0] in _SHELL_PREFIXES or "=" in words[0]):
            words = words[1:]  # `env X=1 prog`, `X=1 prog`: the program comes later
        if words and not _found(words[0], cwd) and not _is_shell_syntax(words[0]):
            return (
                f"command: `{words[0]}` is not on PATH and is not a file in the repository",
                "install it, or fix `command:` in ## Agent",
            )
    return None


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


def _found(program: str, cwd: Path) -> bool:
    if "/" in program:
        path = Path(program) if Path(program).is_absolute() else cwd / program
        return path.is_file()
    return shutil.which(program) is not None


def _is_shell_syntax(word: str) -> bool:
    return word.startswith(("(", "{", "$", "`")) or word in {"if", "for", "while", "cd"}


def _answers_version(provider: str, words: list[str], cwd: Path) -> tuple[str, str] | None:
    from pytest_autoimprove.process import run_command

    argv = [*words, VERSION_FLAGS.get(provider, "--version")]
    result = run_command(argv, cwd=cwd, timeout=VERSION_TIMEOUT)
    if result.ok:
        return None
    why = (
        f"timed out after {VERSION_TIMEOUT:g}s"
        if result.timed_out
        else f"exited with {result.returncode}"
    )
    last = result.tail(1).strip()
    return (
        f"provider {provider}: `{shlex.join(argv)}` {why}" + (f" ({last[:160]})" if last else ""),
        f"run `{shlex.join(argv)}` in this shell to see why (a CLI that needs a login "
        "says so there)",
    )
