"""Running programs we do not control: own session, timeout, and nothing left behind.

The loop runs three kinds of programs it does not control: the test gate, the
benchmark and the proposer (an agent CLI that forks servers, shells and language
servers of its own, and may not play fair). :func:`run_command` is the one way to
run them. Each command runs in its own session (so its own process group), with
stdin ``/dev/null`` (an agent that asks a question reads end-of-file) and its output
in a file, never a pipe (a grandchild holding stdout cannot make us wait for an
end-of-file that never comes).

**When a command ends** (it exits, times out, or Ctrl-C reaches us), everything it
started is ended with it: SIGTERM and a short grace, then SIGSTOP and SIGKILL until a
fresh look finds nothing. "Everything it started" is read from ``/proc`` once, when
the command's leader is gone (never in a busy loop), as the union of:

- its process group and its session (``setpgid`` alone does not escape);
- the processes carrying its token: every command gets ``PROCESS_TREE_TOKEN``
  in its environment, a ``:``-separated path of random ids (the run's, then one per
  nested command), which ``setsid``, double forks and daemons inherit;
- every descendant of those, by parent links, which finds a child that cleared its
  environment (``env -i``) for as long as its parent lives;
- inside a run (:class:`Containment`), the orphans the loop adopted: the loop is a
  child subreaper (``PR_SET_CHILD_SUBREAPER``), so a process whose parents died is
  re-parented to the loop rather than to init, environment or not.

A token or an adoption counts only for a process born after the command (by start
tick, then by pid within a tick); this process and its ancestors are never taken;
and every signal goes through a pidfd opened after checking the start time again,
so a recycled pid is never hit (:mod:`~pytest_autoimprove.proctree` does the reading
and the ending).

**When the loop itself dies** (``kill -9``, the OOM killer), a :class:`Containment`
still ends the run: its watchdog, a small process of its own session, holds a pipe
to the loop and, on end-of-file, freezes and kills every process carrying the run's
token, the sessions of the commands that were in flight, and all their descendants.
Each command also gets ``PR_SET_PDEATHSIG`` through util-linux's ``setpriv`` when
present: SIGSTOP inside a run (frozen, its children stay attached to it for the
watchdog to find), SIGKILL outside one. ``--autoimprove-resume`` ends whatever still
carries the token before it starts again (:func:`end_run`).

**What can still escape** (nothing short of a container or a cgroup stops these):

- a process started for us by something outside our process tree: ``systemd-run``,
  ``at``, ``ssh localhost``, a D-Bus activated service, a container runtime;
- after the loop was killed, a process that had both cleared its environment and
  lost its parents (a double fork under ``env -i``): the watchdog cannot tell it from
  any other process on the machine, and neither can resume;
- a process that kills the watchdog and the loop, or stops them, first: they run as
  the same user, and any of its processes may signal them.

Scanning ``/proc`` is Linux-only; elsewhere a command's process group is ended (as
before) and the watchdog ends the groups of the commands in flight.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pytest_autoimprove import proctree
from pytest_autoimprove.proctree import TOKEN_VAR

__all__ = [
    "GRACE_SECONDS",
    "OUTPUT_LIMIT",
    "TOKEN_VAR",
    "CommandResult",
    "pickled_call",
    "Containment",
    "as_pytest_argv",
    "end_all",
    "end_run",
    "new_token",
    "python_path",
    "run_command",
]

#: Seconds between SIGTERM and SIGKILL when a command's processes are stopped.
GRACE_SECONDS = 2.0
#: Bytes of output kept in :attr:`CommandResult.output` (the end; the log file has all).
OUTPUT_LIMIT = 1_000_000
_POLL_SECONDS = 0.05
_PR_SET_CHILD_SUBREAPER = 36
_PR_GET_CHILD_SUBREAPER = 37


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
    """Run ``command`` in its own session; end everything it started; say what it did.

    :param command: a ``str`` is a command line from improve.md and runs through
        ``/bin/sh -c`` (so ``cd x && make`` works); a sequence is an argument
        list and never sees a shell.
    :param cwd: the directory to run in.
    :param timeout: seconds before the command and all it started are killed;
        ``None``: no limit.
    :param env: variables set on top of ``os.environ`` (merged, not replacing it);
        a ``None`` value removes the variable. :data:`TOKEN_VAR` is always set, to
        this process's token path and the command's own id, whatever ``env`` says:
        a scrubbed environment (the sandbox's) must not lose the run's token.
    :param log_path: where to write the complete output (truncated first);
        a temporary file when ``None``.

    A program that cannot be started gives ``returncode`` 127 (not found) or
    126 (not executable) and the reason as output, as a shell would.
    ``KeyboardInterrupt`` while waiting ends the command and is re-raised.
    """
    text = command if isinstance(command, str) else " ".join(command)
    argv = ["/bin/sh", "-c", command] if isinstance(command, str) else list(command)
    if not argv:
        raise ValueError("run_command needs a non-empty command")
    merged = {**os.environ, **(env or {})}
    full_env = {key: value for key, value in merged.items() if value is not None}
    own = secrets.token_hex(4)
    full_env[TOKEN_VAR] = _join_token(os.environ.get(TOKEN_VAR), own)
    scope = _SCOPE
    launch = _with_deathsig(argv, cwd, full_env, freeze=scope is not None)
    adopting = scope is not None and scope.adopting
    elders = proctree.children(os.getpid()) if adopting else frozenset()
    with _output_file(log_path) as out:
        start = time.perf_counter()
        launching = object()
        _LAUNCHING.add(launching)
        try:
            proc = subprocess.Popen(
                launch,
                cwd=cwd,
                env=full_env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except BaseException as exc:
            _LAUNCHING.discard(launching)
            if not isinstance(exc, OSError):
                raise
            code = 127 if isinstance(exc, FileNotFoundError) else 126
            message = f"cannot run {argv[0]!r}: {exc.strerror or exc}\n"
            out.write(message.encode())
            return CommandResult(text, code, message, time.perf_counter() - start, False)
        # From here on, whatever interrupts us, the command is ended (the finally).
        flight = proctree.Command(proc.pid, None, own)
        timed_out = False
        try:
            try:
                started = proctree.start_time(proc.pid)
                flight = proctree.Command(proc.pid, started, own, elders)
                _take_off(flight, scope)
            finally:
                _LAUNCHING.discard(launching)
            _wait(proc, timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            # Runs on a normal exit (leftovers), on timeout and on KeyboardInterrupt or
            # any other exception, which then propagates.
            _land(proc, flight, scope)
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


def _wait(proc: subprocess.Popen[bytes], timeout: float | None) -> None:
    """Wait for ``proc`` to exit, woken by the exit itself, without reaping it.

    ``Popen.wait`` polls in sleeps of up to 50 ms; three commands per experiment made
    that a visible share of the loop's overhead. A pidfd wakes us when the child exits
    (Linux 5.3+). The leader stays a zombie until its leftovers are ended, so its pid,
    which is their group and session id, cannot be recycled meanwhile. Elsewhere it
    falls back to ``Popen.wait``.
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


# ---------------------------------------------------------------------------
# Commands in flight, and ending what a command started

# Commands in flight in this process, by leader pid: the workers of a parallel run
# wait on theirs in threads of their own, which a Ctrl-C (delivered to the main
# thread only) cannot unwind; :func:`end_all` ends them from the main thread.
#
# No lock guards them: each step is one dict or set operation, atomic in CPython, and a
# lock that a Ctrl-C interrupts at the wrong moment stays held, so the sweep that must
# follow would wait for it forever.
_FLIGHTS: dict[int, proctree.Command] = {}
#: Commands between fork and registration: such a child is ours but not yet known (and
#: until its exec, /proc shows it with our environment, without its token), so while
#: any is launching no child of ours is taken for an adopted orphan.
_LAUNCHING: set[object] = set()


def end_all() -> int:
    """End every command in flight in this process, as a timeout would: their
    :func:`run_command` calls return (and end what each command started). How many
    there were."""
    flying = list(_FLIGHTS)
    for leader in flying:
        _signal_group(leader, signal.SIGKILL)
    return len(flying)


def _take_off(flight: proctree.Command, scope: Containment | None) -> None:
    _FLIGHTS[flight.leader] = flight
    if scope is not None:
        start = "-" if flight.start is None else flight.start
        scope._tell(f"+ {flight.leader} {start}\n")


def _land(
    proc: subprocess.Popen[bytes], flight: proctree.Command, scope: Containment | None
) -> None:
    """End what ``flight`` left running, reap its leader, and forget it."""
    try:
        if proctree.readable():
            proctree.end(
                functools.partial(_command_victims, flight=flight, scope=scope),
                grace=GRACE_SECONDS,
                reap=None if scope is None else scope._adopted,
            )
        else:
            _stop_group(proc)
        if scope is not None:  # only once done: an interrupted sweep is left to the watchdog
            scope._tell(f"- {flight.leader}\n")
    finally:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=GRACE_SECONDS)
        _FLIGHTS.pop(flight.leader, None)


def _command_victims(
    procs: Mapping[int, proctree.Proc], *, flight: proctree.Command, scope: Containment | None
) -> set[int]:
    me = os.getpid()
    spared = proctree.lineage(procs, me)
    others = set(_FLIGHTS) - {flight.leader}
    launching = bool(_LAUNCHING)
    adopter = None
    if scope is not None:
        spared |= scope._own
        # Tokenless orphans cannot be told apart between commands in flight together:
        # whichever of them ends last ends them.
        adopter = me if scope.adopting and not others and not launching else None
    return proctree.command_victims(procs, flight, spared=spared, adopter=adopter, others=others)


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Without /proc: stop ``proc`` and whatever is left in its process group.

    The kernel does not reuse a pid while a group of that id exists, so signalling it
    after the leader died still reaches only the leader's leftovers.
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


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


# ---------------------------------------------------------------------------
# A run: one token, a watchdog, a subreaper


def new_token() -> str:
    """A fresh random run token (record it: resume needs it to find leftovers)."""
    return secrets.token_hex(8)


def _join_token(inherited: str | None, own: str) -> str:
    return f"{inherited}{proctree.TOKEN_SEP}{own}" if inherited else own


_SCOPE: Containment | None = None


class Containment:
    """One run's processes, ended with it even if this process is killed.

    :meth:`start` puts ``token`` in ``os.environ`` (so every command, and everything
    else the run starts, carries it), makes this process a child subreaper, and starts
    the watchdog; :meth:`close` undoes all that, and the watchdog's last sweep ends
    whatever still carries the token. One per process at a time: the state behind it
    (the subreaper flag, the environment) is the process's.

    :param log_path: where the watchdog appends what it ended, when it ended anything.
    """

    def __init__(self, token: str, *, log_path: Path | None = None) -> None:
        self.token = token
        self.log_path = log_path
        self.adopting = False
        self.watchdog_pid: int | None = None
        #: The watchdog's (start, pid), the first process of the run: what was born
        #: after it is the run's.
        self.since = (0, 0)
        self._pipe: int | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._previous_token: str | None = None
        self._previous_subreaper = False

    def start(self) -> Containment:
        global _SCOPE
        if _SCOPE is not None:
            raise RuntimeError("a Containment is already active in this process")
        self._previous_token = os.environ.get(TOKEN_VAR)
        read, self._pipe = os.pipe()
        main = _WATCHDOG_MAIN.format(path=str(Path(__file__).resolve().parents[1]))
        try:
            self._watchdog = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", main, self.token, str(self.log_path or "")],
                stdin=read,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                cwd="/",
                env={k: v for k, v in os.environ.items() if k != TOKEN_VAR},
            )
        except OSError:
            os.close(self._pipe)
            self._pipe = None
            raise
        finally:
            os.close(read)
        self.watchdog_pid = self._watchdog.pid
        self.since = (proctree.start_time(self.watchdog_pid) or 0, self.watchdog_pid)
        os.environ[TOKEN_VAR] = _join_token(self._previous_token, self.token)
        self._previous_subreaper = _subreaper(None)
        self.adopting = _subreaper(True)
        _SCOPE = self
        return self

    @property
    def _own(self) -> set[int]:
        """Our own processes that no sweep may take: the watchdog."""
        return {self.watchdog_pid} if self.watchdog_pid else set()

    def _adopted(self, proc: proctree.Proc) -> bool:
        """Whether our zombie child ``proc`` is an orphan we adopted, so ours to reap:
        in a session of its own (not git's), not a command leader (that one is a
        :class:`subprocess.Popen`'s), not the watchdog, and born during the run."""
        flying = proc.pid in _FLIGHTS or bool(_LAUNCHING)
        own_sid = os.getsid(0)
        return (
            self.adopting
            and not flying
            and proc.pid not in self._own
            and proc.sid != own_sid
            and proctree.born_after(proc, *self.since)
        )

    def _tell(self, line: str) -> None:
        if self._pipe is not None:
            with contextlib.suppress(OSError):  # the watchdog is gone: nothing to tell
                os.write(self._pipe, line.encode())

    def close(self) -> None:
        """The run is over: the watchdog ends what carries the token, and exits."""
        global _SCOPE
        if _SCOPE is self:
            _SCOPE = None
        if self._pipe is not None:
            os.close(self._pipe)  # end-of-file: the watchdog sweeps, whatever we do next
            self._pipe = None
        if self._previous_token is None:
            os.environ.pop(TOKEN_VAR, None)
        else:
            os.environ[TOKEN_VAR] = self._previous_token
        if self.adopting:
            _subreaper(self._previous_subreaper)
            self.adopting = False
        if self._watchdog is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._watchdog.wait(timeout=GRACE_SECONDS + 10)

    def __enter__(self) -> Containment:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def end_run(token: str) -> list[str]:
    """End every process still carrying ``token``, with its descendants (what a killed
    run left); returns ``"pid (name)"`` of each. Linux only (an empty list elsewhere)."""
    if not proctree.readable():
        return []
    return proctree.end(functools.partial(_run_victims, token=token, leaders={}), grace=0.0)


def _run_victims(
    procs: Mapping[int, proctree.Proc], *, token: str, leaders: Mapping[int, int | None]
) -> set[int]:
    spared = proctree.lineage(procs, os.getpid())
    return proctree.run_victims(procs, token, leaders, spared=spared)


_WATCHDOG_MAIN = (
    "import sys; sys.path.insert(0, {path!r}); "
    "from pytest_autoimprove.process import _watch; _watch(sys.argv[1], sys.argv[2])"
)


def _watch(token: str, log: str) -> None:
    """The watchdog's life: follow the commands in flight until end-of-file, then end
    the run's leftovers. End-of-file comes when the loop closes the pipe, or dies."""
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    leaders: dict[int, int | None] = {}
    for line in sys.stdin.buffer:
        parts = line.split()
        if len(parts) == 3 and parts[0] == b"+":
            leaders[int(parts[1])] = None if parts[2] == b"-" else int(parts[2])
        elif len(parts) == 2 and parts[0] == b"-":
            leaders.pop(int(parts[1]), None)
    if proctree.readable():
        pick = functools.partial(_run_victims, token=token, leaders=leaders)
        ended = proctree.end(pick, grace=0.0)
    else:
        ended = []
        for pgid in leaders:
            _signal_group(pgid, signal.SIGKILL)
    if ended and log:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with contextlib.suppress(OSError), open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{stamp} the loop was gone; ended: {', '.join(ended)}\n")


def _subreaper(on: bool | None) -> bool:
    """Set (``on``) or read (``None``) this process's child-subreaper flag; whether it is
    set. ``False`` where ``prctl`` is missing (not Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if on is None:
            value = ctypes.c_int(0)
            libc.prctl(_PR_GET_CHILD_SUBREAPER, ctypes.byref(value), 0, 0, 0)
            return bool(value.value)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0) == 0 and on
    except (OSError, AttributeError):
        return False


@functools.lru_cache(maxsize=1)
def _setpriv() -> str | None:
    """util-linux's ``setpriv``, if it has ``--pdeathsig`` (2.33+)."""
    if not sys.platform.startswith("linux"):
        return None
    path = shutil.which("setpriv")
    if path is None:
        return None
    try:
        done = subprocess.run([path, "--help"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if b"--pdeathsig" in done.stdout else None


def _with_deathsig(
    argv: list[str], cwd: Path, env: Mapping[str, str], *, freeze: bool
) -> list[str]:
    """``argv`` behind ``setpriv --pdeathsig`` (no ``preexec_fn``: unsafe with threads).

    A program that cannot be found or run is left to :class:`subprocess.Popen`, which
    says why as it always did.
    """
    wrapper = _setpriv()
    if wrapper is None:
        return argv
    program = argv[0]
    if os.sep in program:
        path = os.path.join(cwd, program)
        runnable = os.path.isfile(path) and os.access(path, os.X_OK)
    else:
        runnable = shutil.which(program, path=env.get("PATH", os.defpath)) is not None
    if not runnable:
        return argv
    return [wrapper, "--pdeathsig", "STOP" if freeze else "KILL", "--", *argv]


# ---------------------------------------------------------------------------
# Command lines


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


def pickled_call(run: Callable[[Any], Any], argv: Sequence[str]) -> int:
    """The body of a subprocess entry point: ``run`` the request pickled in ``argv[0]``
    (written by our own parent process) and pickle its answer into ``argv[1]``."""
    import pickle

    with open(argv[0], "rb") as handle:
        request = pickle.load(handle)  # noqa: S301 - written by our parent process
    result = run(request)
    with open(argv[1], "wb") as handle:
        pickle.dump(result, handle, protocol=4)
    return 0
