"""Pytest runs forked from a process that imported pytest once (see :mod:`.pytest_server`).

:class:`ForkedPytest` is a drop-in for the generators' runner
(``runner(argv, cwd=, env=, timeout=) -> (exit code, output tail)``): a command line
``python -m pytest ...`` goes to a server started with the same start-up environment
(the hash seed, the path, what Hypothesis reads at import); anything else, or a server
that cannot be started or is busy on another thread, goes to the fallback runner.
A timeout kills the run's process group and reads as exit -9, as the fallback does.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

__all__ = ["ForkedPytest", "Runner"]

Runner = Callable[..., tuple[int, str]]

_SERVER = Path(__file__).with_name("pytest_server.py")
#: Variables read while a Python process starts or imports pytest and Hypothesis: a
#: run whose values differ from a server's needs a server of its own.
_START_UP = ("PYTHON", "HYPOTHESIS", "PYTEST_PLUGINS", "COV_")
#: Servers kept at once (one per distinct start-up environment; verification rounds
#: use a few hash seeds, mutant runs one).
MAX_SERVERS = 4
#: Output kept from a run, as the subprocess runner keeps.
TAIL = 2000
#: Seconds a server may take to start before its runs go to the fallback.
START_SECONDS = 30.0


class _Server:
    """One server process and the lock that makes its runs one at a time."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, str(_SERVER)],
            cwd=tempfile.gettempdir(),  # not a run's folder, which goes away after it
            env=dict(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.pending = b""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, request: dict[str, Any], timeout: float) -> int | None:
        """The run's exit code (-9 when it timed out); ``None`` when the server failed."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:
            return None
        deadline = time.monotonic() + timeout
        started = self._read(time.monotonic() + START_SECONDS + timeout)
        if started is None or "pid" not in started:
            return None
        pid = int(started["pid"])
        ended = self._read(deadline)
        if ended is None:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            ended = self._read(time.monotonic() + START_SECONDS)
            return -9 if ended is not None else None
        return int(ended["exit"])

    def _read(self, deadline: float) -> dict[str, Any] | None:
        """The server's next message, or ``None`` at the deadline or when it died."""
        out: IO[bytes] | None = self.proc.stdout
        assert out is not None
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([out], [], [], left)
            if not ready:
                return None
            chunk = os.read(out.fileno(), 65536)
            if not chunk:
                return None
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        message: dict[str, Any] = json.loads(line)
        return message

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class ForkedPytest:
    """A runner of ``python -m pytest`` command lines through forking servers.

    Use as a context manager: leaving it ends the servers. ``fork=False`` sends every
    run to the fallback (the baseline a benchmark compares against).
    """

    def __init__(self, fallback: Runner, *, fork: bool = True) -> None:
        self.fallback = fallback
        self.fork = fork and hasattr(os, "fork")
        self._servers: dict[tuple[tuple[str, str], ...], _Server] = {}
        self._broken: set[tuple[tuple[str, str], ...]] = set()
        self._guard = threading.Lock()

    def __enter__(self) -> ForkedPytest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._guard:
            servers, self._servers = list(self._servers.values()), {}
        for server in servers:
            server.close()

    def __call__(
        self, argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float
    ) -> tuple[int, str]:
        if argv[:3] != [sys.executable, "-m", "pytest"] or not self.fork:
            return self.fallback(argv, cwd=cwd, env=env, timeout=timeout)
        key = tuple(sorted((k, v) for k, v in env.items() if k.startswith(_START_UP)))
        server = self._server(key, env)
        if server is None or not server.lock.acquire(blocking=False):
            return self.fallback(argv, cwd=cwd, env=env, timeout=timeout)
        try:
            with tempfile.TemporaryDirectory(prefix="autoimprove-run-") as tmp:
                out = Path(tmp) / "output"
                request = {"argv": argv[3:], "cwd": str(cwd), "env": env, "out": str(out)}
                code = server.run(request, timeout)
                if code is None:  # the server died: its runs go elsewhere from now on
                    self._forget(key)
                    return self.fallback(argv, cwd=cwd, env=env, timeout=timeout)
                text = out.read_bytes().decode(errors="replace") if out.exists() else ""
                return code, text[-TAIL:]
        finally:
            server.lock.release()

    def _server(self, key: tuple[tuple[str, str], ...], env: Mapping[str, str]) -> _Server | None:
        with self._guard:
            if key in self._broken:
                return None
            server = self._servers.pop(key, None)
            if server is not None:
                if server.alive():
                    self._servers[key] = server
                    return server
                server.close()  # gone between runs (killed, out of memory): start another
            idle = [k for k, s in self._servers.items() if not s.lock.locked()]
            if len(self._servers) >= MAX_SERVERS and idle:
                self._servers.pop(idle[0]).close()  # the least recently used
            try:
                server = _Server(env)
            except OSError:
                self._broken.add(key)
                return None
            self._servers[key] = server
            return server

    def _forget(self, key: tuple[tuple[str, str], ...]) -> None:
        with self._guard:
            self._broken.add(key)
            server = self._servers.pop(key, None)
        if server is not None:
            server.close()
