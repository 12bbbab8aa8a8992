"""The process tree as ``/proc`` shows it: who started whom, who carries a run's token,
and ending a chosen set of processes for good.

:mod:`~pytest_autoimprove.process` decides *what* belongs to a command or a run; this
module reads ``/proc`` (one pass over ``/proc/<pid>/stat``, and ``/proc/<pid>/environ``
only for the few processes that could be ours) and ends processes without ever hitting
the wrong one: each is signalled through a pidfd opened after its start time was
checked again, so a pid recycled meanwhile is left alone. Linux only; :func:`readable`
says whether it can work here.
"""

from __future__ import annotations

import contextlib
import functools
import os
import select
import signal
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

#: Marks every process of a run and of each command: a ``:``-separated path of ids.
#: A neutral name: the sandbox keeps ``AUTOIMPROVE_*`` names from the measured code, so
#: that it cannot tell the judge by name (a program that diffs its whole environment
#: still can; docs/guard.md lists that among what is not stopped).
TOKEN_VAR = "PROCESS_TREE_TOKEN"
TOKEN_SEP = ":"
#: Freeze rounds before the kill: a tree that forks while we look needs a few.
FREEZE_ROUNDS = 20
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Proc:
    """One line of ``/proc/<pid>/stat``: what the sweeps need of a process."""

    pid: int
    name: str
    state: str
    ppid: int
    pgrp: int
    sid: int
    #: Clock ticks after boot; with the pid, it names the process for good.
    start: int

    @property
    def dead(self) -> bool:
        return self.state in ("Z", "X", "x")


@functools.lru_cache(maxsize=1)
def readable() -> bool:
    return sys.platform.startswith("linux") and os.path.exists("/proc/self/stat")


def read(pid: int) -> Proc | None:
    try:
        fd = os.open(f"/proc/{pid}/stat", os.O_RDONLY)
    except OSError:
        return None
    try:
        raw = os.read(fd, 4096).decode(errors="replace")
    except OSError:
        return None
    finally:
        os.close(fd)
    # "pid (comm) state ppid pgrp session ... starttime(22) ...": comm may hold spaces
    # and parentheses, so the fields are counted from the last ")".
    close = raw.rfind(")")
    fields = raw[close + 2 :].split()
    if close < 0 or len(fields) < 20:
        return None
    name = raw[raw.find("(") + 1 : close]
    try:
        ppid, pgrp, sid, start = (int(fields[i]) for i in (1, 2, 3, 19))
    except ValueError:
        return None
    return Proc(pid, name, fields[0], ppid, pgrp, sid, start)


def start_time(pid: int) -> int | None:
    """When ``pid`` started (clock ticks after boot), ``None`` without /proc."""
    proc = read(pid) if readable() else None
    return None if proc is None else proc.start


def snapshot() -> dict[int, Proc]:
    try:
        names = os.listdir("/proc")
    except OSError:
        return {}
    procs = {}
    for name in names:
        if name.isdigit() and (proc := read(int(name))) is not None:
            procs[proc.pid] = proc
    return procs


def token_of(pid: int) -> str | None:
    """The process's :data:`TOKEN_VAR` as it was when it started (at its exec)."""
    try:
        fd = os.open(f"/proc/{pid}/environ", os.O_RDONLY)
    except OSError:
        return None
    chunks = [b"\0"]
    try:
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    key = f"\0{TOKEN_VAR}=".encode()
    at = data.find(key)
    if at < 0:
        return None
    end = data.find(b"\0", at + len(key))
    return data[at + len(key) : end if end >= 0 else len(data)].decode(errors="replace")


def lineage(procs: Mapping[int, Proc], pid: int) -> set[int]:
    """``pid`` and its ancestors: never ours to end."""
    line = set()
    while pid > 0 and pid not in line:
        line.add(pid)
        pid = procs[pid].ppid if pid in procs else 0
    return line


def with_descendants(procs: Mapping[int, Proc], seeds: Iterable[int], spared: set[int]) -> set[int]:
    """``seeds`` and everything below them by parent links, minus ``spared`` and the dead."""
    children: dict[int, list[int]] = {}
    for proc in procs.values():
        children.setdefault(proc.ppid, []).append(proc.pid)
    found: set[int] = set()
    stack = list(seeds)
    while stack:
        pid = stack.pop()
        if pid in found or pid in spared or pid not in procs:
            continue
        found.add(pid)
        stack.extend(children.get(pid, ()))
    return {pid for pid in found if not procs[pid].dead}


@dataclass(frozen=True)
class Command:
    """A command as the sweeps see it: its leader's pid (its group and session id),
    the leader's start (``None`` without /proc), and the command's own token id."""

    leader: int
    start: int | None
    token: str


def command_victims(
    procs: Mapping[int, Proc],
    command: Command,
    *,
    spared: set[int],
    adopter: int | None = None,
    others: Iterable[int] = (),
) -> set[int]:
    """What ``command`` started that still runs, with all its descendants.

    Its group and session; the processes started after it that carry its token; with
    ``adopter`` (a subreaper's pid), the tokenless orphans that subreaper adopted in a
    session of their own, except the leaders of ``others`` (commands still in flight).
    """
    adopter_sid = procs[adopter].sid if adopter is not None and adopter in procs else None
    busy = set(others)
    seeds = set()
    for proc in procs.values():
        if proc.pid in spared or proc.dead:
            continue
        if command.leader in (proc.pgrp, proc.sid):
            seeds.add(proc.pid)
            continue
        if command.start is None or proc.start < command.start:
            continue  # older than the command: not something it started
        carried = token_of(proc.pid)
        if carried is not None:
            if command.token in carried.split(TOKEN_SEP):
                seeds.add(proc.pid)
        elif (
            adopter is not None
            and proc.ppid == adopter
            and proc.sid != adopter_sid
            and proc.pid not in busy
        ):
            seeds.add(proc.pid)
    return with_descendants(procs, seeds, spared)


def run_victims(
    procs: Mapping[int, Proc],
    token: str,
    leaders: Mapping[int, int | None],
    *,
    spared: set[int],
) -> set[int]:
    """What a run left: the carriers of its ``token``, the groups and sessions of its
    ``leaders`` that were in flight (pid -> start), and all their descendants."""
    seeds = set()
    for proc in procs.values():
        if proc.pid in spared or proc.dead:
            continue
        for group in {proc.pgrp, proc.sid} & leaders.keys():
            started = leaders[group]
            if started is None or proc.start >= started:
                seeds.add(proc.pid)
        if proc.pid not in seeds:
            carried = token_of(proc.pid)
            if carried is not None and token in carried.split(TOKEN_SEP):
                seeds.add(proc.pid)
    return with_descendants(procs, seeds, spared)


def end(
    pick: Callable[[Mapping[int, Proc]], set[int]],
    *,
    grace: float,
    reap: Callable[[Proc], bool] | None = None,
) -> list[str]:
    """End the processes ``pick`` chooses from ``/proc``, until it chooses none.

    With ``grace``: SIGTERM (and SIGCONT, so a stopped process sees it) first, and up
    to ``grace`` seconds to exit. Then every chosen process is frozen (SIGSTOP: it can
    no longer fork) and ``/proc`` read again until no new one turns up; then all of
    them are killed. ``reap`` picks the zombies among our own children that nobody
    else will reap (orphans adopted by a subreaper). Returns ``"pid (name)"`` of each
    process ended, for messages. The common case, nothing to end, costs one pass.
    """
    procs = snapshot()
    _reap(procs, reap)
    victims = pick(procs)
    if not victims:
        return []
    ended = {pid: procs[pid] for pid in victims}
    if grace > 0:
        targets = _targets(victims, procs)
        for target in targets:
            target.signal(signal.SIGTERM)
            target.signal(signal.SIGCONT)
        _wait_gone(targets, grace)
        _close(targets)
    frozen: dict[int, _Target] = {}
    for _ in range(FREEZE_ROUNDS):
        procs = snapshot()
        fresh = pick(procs) - frozen.keys()
        if not fresh:
            break
        for target in _targets(fresh, procs):
            target.signal(signal.SIGSTOP)
            frozen[target.pid] = target
            ended[target.pid] = procs[target.pid]
    for target in frozen.values():
        target.signal(signal.SIGKILL)
    _wait_gone(list(frozen.values()), max(grace, 2.0))
    _close(frozen.values())
    _reap(snapshot(), reap)
    return [f"{pid} ({ended[pid].name})" for pid in sorted(ended)]


def _reap(procs: Mapping[int, Proc], reap: Callable[[Proc], bool] | None) -> None:
    if reap is None:
        return
    me = os.getpid()
    for proc in procs.values():
        if proc.ppid == me and proc.dead and reap(proc):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(proc.pid, os.WNOHANG)


class _Target:
    """A process to signal, pinned by a pidfd so that a recycled pid is never hit."""

    def __init__(self, pid: int, fd: int | None) -> None:
        self.pid = pid
        self.fd = fd

    @classmethod
    def open(cls, proc: Proc) -> _Target | None:
        fd: int | None
        try:
            fd = os.pidfd_open(proc.pid)
        except ProcessLookupError:
            return None
        except (AttributeError, OSError):
            fd = None
        now = read(proc.pid)  # after the pidfd: it holds the process checked here
        if now is None or now.start != proc.start:
            if fd is not None:
                os.close(fd)
            return None
        return cls(proc.pid, fd)

    def signal(self, sig: signal.Signals) -> None:
        with contextlib.suppress(OSError):
            if self.fd is not None:
                signal.pidfd_send_signal(self.fd, sig)
            else:
                os.kill(self.pid, sig)

    def alive(self) -> bool:
        if self.fd is not None:
            poller = select.poll()
            poller.register(self.fd, select.POLLIN)
            return not poller.poll(0)  # a pidfd turns readable when its process exits
        now = read(self.pid)
        return now is not None and not now.dead


def _targets(pids: Iterable[int], procs: Mapping[int, Proc]) -> list[_Target]:
    return [t for pid in sorted(pids) if (t := _Target.open(procs[pid])) is not None]


def _wait_gone(targets: Sequence[_Target], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    waiting = [t for t in targets if t.alive()]
    while waiting and time.monotonic() < deadline:
        poller = select.poll()
        for target in waiting:
            if target.fd is not None:
                poller.register(target.fd, select.POLLIN)
        pause = max(0.0, min(_POLL_SECONDS, deadline - time.monotonic()))
        if all(t.fd is not None for t in waiting):
            poller.poll(pause * 1000)  # wakes on the first exit
        else:
            time.sleep(pause)
        waiting = [t for t in waiting if t.alive()]


def _close(targets: Iterable[_Target]) -> None:
    for target in targets:
        if target.fd is not None:
            os.close(target.fd)
            target.fd = None
