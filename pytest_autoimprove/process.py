"""Running programs we do not control: own process group, timeout, no leftovers.

The loop runs three kinds of programs it does not control: the test gate, the
benchmark and the proposer (an agent CLI that may fork servers, shells and
language servers of its own). :func:`run_command` is the one way to run them,
and it keeps the promise that "on timeout the whole group is killed":

- every command runs in its own session (so its own process group), and that
  group is killed on timeout (SIGTERM, a short grace, then SIGKILL), on Ctrl-C
  (the child's session does not get the terminal's SIGINT, so we forward the
  kill, then re-raise), **and after a normal exit**: whatever the command left
  running in its group does not outlive its experiment;
- output goes to a file, never a pipe: a grandchild that inherits stdout and
  keeps running cannot make us wait for an end-of-file that never comes;
- stdin is ``/dev/null``, so an agent that asks a question gets end-of-file
  instead of waiting for an answer overnight.

A process that starts a session of its own (``setsid``, a daemon) escapes its
group and cannot be reached this way; nothing short of a container can.
"""

from __future__ import annotations

import contextlib
import os
import select
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = [
    "GRACE_SECONDS",
    "OUTPUT_LIMIT",
    "CommandResult",
    "as_pytest_argv",
    "end_all",
    "python_path",
    "run_command",
]

#: Seconds between SIGTERM and SIGKILL when a process group is stopped.
GRACE_SECONDS = 2.0
#: Bytes of output kept in :attr:`CommandResult.output` (the end; the log file has all).
OUTPUT_LIMIT = 1_000_000
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class CommandResult:
    """What one command did.

    :param command: the command as given, for messages.
    :param returncode: the exit status (negative: killed by that signal, as in
        :mod:`subprocess`); ``None`` when it was killed on timeout.
    :param output: stdout and stderr interleaved, decoded with ``errors="replace"``;
        only the last :data:`OUTPUT_LIMIT` bytes (the log file has everything).
    :param duration: wall-clock seconds.
    :param timed_out: whether the timeout expired and the group was killed.
    """

    command: str
    returncode: int | None
    output: str
    duration: float
    timed_out: bool

    @property
    def ok(self) -> bool:
        """True when the command exited with status 0 in time."""
        return self.returncode == 0 and not self.timed_out

    def tail(self, lines: int = 20) -> str:
        """The last ``lines`` lines of output, for an error message."""
        if lines <= 0:
            return ""
        return "\n".join(self.output.rstrip("\n").splitlines()[-lines:])


def run_command(
    command: str | Sequence[str],
    *,
    cwd: Path,
    timeout: float | None,
    env: Mapping[str, str | None] | None = None,
    log_path: Path | None = None,
) -> CommandResult:
    """Run ``command`` in its own process group and return what it did.

    :param command: a ``str`` is a command line from improve.md and runs through
        ``/bin/sh -c`` (so ``cd x && make`` works); a sequence is an argument
        list and never sees a shell.
    :param cwd: the directory to run in.
    :param timeout: seconds before the whole group is killed; ``None``: no limit.
    :param env: variables set on top of ``os.environ`` (merged, not replacing it);
        a ``None`` value removes the variable.
    :param log_path: where to write the complete output (truncated first);
        a temporary file when ``None``.

    A program that cannot be started gives ``returncode`` 127 (not found) or
    126 (not executable) and the reason as output, as a shell would.
    ``KeyboardInterrupt`` while waiting kills the group and is re-raised.
    """
    text = command if isinstance(command, str) else " ".join(command)
    argv = ["/bin/sh", "-c", command] if isinstance(command, str) else list(command)
    if not argv:
        raise ValueError("run_command needs a non-empty command")
    full_env = None
    if env is not None:
        merged = {**os.environ, **env}
        full_env = {key: value for key, value in merged.items() if value is not None}
    with _output_file(log_path) as out:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=full_env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            code = 127 if isinstance(exc, FileNotFoundError) else 126
            message = f"cannot run {argv[0]!r}: {exc.strerror or exc}\n"
            out.write(message.encode())
            return CommandResult(text, code, message, time.perf_counter() - start, False)
        timed_out = False
        with _RUNNING_LOCK:
            _RUNNING[proc.pid] = proc
        try:
            _wait(proc, timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            # Runs on a normal exit (leftover children), on timeout and on
            # KeyboardInterrupt or any other exception, which then propagates.
            _stop_group(proc)
            with _RUNNING_LOCK:
                _RUNNING.pop(proc.pid, None)
        duration = time.perf_counter() - start
        output = _read_tail(out)
    return CommandResult(
        command=text,
        returncode=None if timed_out else proc.returncode,
        output=output,
        duration=duration,
        timed_out=timed_out,
    )


@contextlib.contextmanager
def _output_file(log_path: Path | None) -> Iterator[IO[bytes]]:
    if log_path is None:
        with tempfile.TemporaryFile() as tmp:
            yield tmp
        return
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w+b") as log:
        yield log


def _read_tail(out: IO[bytes]) -> str:
    out.flush()
    size = out.seek(0, os.SEEK_END)
    out.seek(max(0, size - OUTPUT_LIMIT))
    data = out.read()
    text = data.decode(errors="replace")
    if size > OUTPUT_LIMIT:
        text = f"[... {size - OUTPUT_LIMIT} bytes cut ...]\n" + text
    return text


# Commands in flight in this process, by leader pid: the workers of a parallel run
# wait on theirs in threads of their own, which a Ctrl-C (delivered to the main
# thread only) cannot unwind; :func:`end_all` ends them from the main thread.
_RUNNING: dict[int, subprocess.Popen[bytes]] = {}
_RUNNING_LOCK = threading.Lock()


def end_all() -> int:
    """End every command in flight in this process (each with all of its group), as a
    timeout would; their :func:`run_command` calls return. How many there were."""
    with _RUNNING_LOCK:
        flying = list(_RUNNING.values())
    for proc in flying:
        _signal_group(proc.pid, signal.SIGKILL)
    return len(flying)


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop ``proc`` and everything left in its process group; reap ``proc``.

    The group id is the child's pid (``start_new_session``). The kernel does not
    reuse a pid while a group of that id exists, so signalling it after the
    leader died still reaches only the leader's leftovers.
    """
    pgid = proc.pid
    if _group_alive(pgid) or proc.poll() is None:
        _signal_group(pgid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        while time.monotonic() < deadline:
            proc.poll()
            if not _group_alive(pgid):
                break
            time.sleep(_POLL_SECONDS)
        _signal_group(pgid, signal.SIGKILL)
    # The leader is dead or SIGKILLed; reaping cannot block for long.
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=GRACE_SECONDS)


def _group_alive(pgid: int) -> bool:
    """True while any process of the group exists and is not a zombie.

    Orphaned zombies (under an init that does not reap) still answer
    ``killpg(pgid, 0)``; they are dead, so /proc is asked when it exists.
    """
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return True
    return any(e.name.isdigit() and _live_member(e, pgid) for e in proc_dir.iterdir())


def _live_member(entry: Path, pgid: int) -> bool:
    try:
        stat = (entry / "stat").read_text()
    except OSError:
        return False
    # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    fields = stat[stat.rfind(")") + 2 :].split()
    return len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X")


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def as_pytest_argv(command: str | None) -> list[str] | None:
    """``command`` as an argument list when it is a plain pytest call, else ``None``.

    ``None``/empty means the default, ``python -m pytest`` with this interpreter.
    Commands with shell syntax (``cd x && pytest``) or other programs (``make
    test``) return ``None``: they run through the shell for their exit code and
    the guard tests run separately.
    """
    if not command:
        return [sys.executable, "-m", "pytest"]
    try:
        tokens = shlex.split(command)
    except ValueError:
        return None
    if not tokens or any(t in {"&&", "||", ";", "|", "&"} or t.endswith(";") for t in tokens):
        return None
    program = Path(tokens[0]).name
    if program in {"pytest", "py.test"}:
        return tokens
    if program.startswith("python") and tokens[1:3] == ["-m", "pytest"]:
        return tokens
    return None


def python_path(
    dirs: Iterable[str | os.PathLike[str]], env: Mapping[str, str] | None = None
) -> str:
    """A ``PYTHONPATH`` value: ``dirs`` first, then what ``env`` (default: ours) had."""
    inherited = (os.environ if env is None else env).get("PYTHONPATH", "")
    return os.pathsep.join(str(d) for d in [*dirs, inherited] if str(d))


def _wait(proc: subprocess.Popen[bytes], timeout: float | None) -> None:
    """``proc.wait(timeout)``, woken by the exit itself.

    ``Popen.wait`` polls in sleeps of up to 50 ms; three commands per experiment made
    that a visible share of the loop's overhead. A pidfd wakes us when the child exits
    (Linux 5.3+); elsewhere it falls back to ``Popen.wait``.
    """
    try:
        fd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        proc.wait(timeout=timeout)
        return
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        deadline = None if timeout is None else time.monotonic() + timeout
        while not poller.poll(
            None if deadline is None else max(0.0, deadline - time.monotonic()) * 1000
        ):
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(proc.args, timeout or 0.0)
    finally:
        os.close(fd)
    proc.wait()
