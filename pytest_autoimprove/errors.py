"""Errors and exit codes: the part of the interface a user meets when something is wrong.

Every user mistake is raised as one of the named errors below and printed as one
line (``improve.md:12: problem; fix``) with the exit code from :class:`ExitCode`;
never as a traceback.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from pathlib import Path


class ExitCode(enum.IntEnum):
    """The one table of exit codes for the CLI and for ``pytest --autoimprove``."""

    OK = 0
    #: ``verify``: the lock does not hold (a frozen file changed, went missing or was added).
    CHANGED = 1
    #: improve.md, pyproject or command-line arguments are malformed.
    CONFIG_ERROR = 2
    #: The loop refuses to start: the guard lock does not hold.
    GUARD_BROKEN = 3
    #: The baseline fails its tests or its benchmark yields no score.
    BASELINE_FAILED = 4
    #: Interrupted with Ctrl-C; the worktree is left at the best commit.
    INTERRUPTED = 130


class AutoimproveError(Exception):
    """Base class of every error meant for the user; ``str()`` is the whole message."""

    exit_code: ExitCode = ExitCode.CONFIG_ERROR


class ConfigError(AutoimproveError):
    """improve.md (or ``[tool.autoimprove]``) is malformed.

    The message reads ``PATH:LINE: problem; fix`` so editors can jump to it.
    """

    exit_code = ExitCode.CONFIG_ERROR

    def __init__(self, path: Path | str, line: int | None, problem: str, fix: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        self.fix = fix
        where = f"{self.path.name}:{line}" if line else f"{self.path.name}"
        super().__init__(f"{where}: {problem}; {fix}")

    @property
    def problems(self) -> tuple[ConfigError, ...]:
        """Every problem found, one :class:`ConfigError` each (here: just this one)."""
        return (self,)

    @staticmethod
    def combine(problems: Sequence[ConfigError]) -> ConfigError:
        """One error for all ``problems``, in line order: the error itself when alone."""
        if not problems:
            raise ValueError("combine needs at least one problem")
        ordered = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
        return ordered[0] if len(ordered) == 1 else ConfigErrors(ordered)


class ConfigErrors(ConfigError):
    """Several problems in one file: ``str()`` has one ``PATH:LINE: problem; fix`` line each,
    so a user fixes them all in one go instead of meeting them one run at a time."""

    def __init__(self, problems: Sequence[ConfigError]) -> None:
        first = problems[0]
        super().__init__(first.path, first.line, first.problem, first.fix)
        self._problems = tuple(problems)
        self.args = ("\n".join(str(problem) for problem in self._problems),)

    def __str__(self) -> str:
        return str(self.args[0])

    @property
    def problems(self) -> tuple[ConfigError, ...]:
        return self._problems


class UsageError(AutoimproveError):
    """A command-line argument or environment problem (not a file's content)."""

    exit_code = ExitCode.CONFIG_ERROR


class GuardError(AutoimproveError):
    """The guard lock is missing, unreadable or does not hold."""

    exit_code = ExitCode.GUARD_BROKEN


class BaselineError(AutoimproveError):
    """The baseline fails its tests or its benchmark yields no score."""

    exit_code = ExitCode.BASELINE_FAILED
