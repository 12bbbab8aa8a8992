"""Which runs are in progress: a lock file in the run folder, held while the loop runs.

``autoimprove-guard clean`` must never remove the worktree, refs or folder of a run
that is still going, and a second ``--autoimprove-resume`` of the same run must not
race the first. The loop holds an exclusive ``flock`` on ``<run>/running.lock`` for
as long as the run is open; the kernel drops it when the process ends, however it
ends (``kill -9`` included), so a dead run never looks alive and a recycled pid
never makes it look so. The file also names the pid, for messages.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO

__all__ = ["LOCK_NAME", "RunLock", "holder"]

LOCK_NAME = "running.lock"

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: fall back to the pid alone
    fcntl = None  # type: ignore[assignment]


class RunLock:
    """The open run's hold on its folder; :meth:`release` (or the process's end) lets go."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / LOCK_NAME
        self._handle: IO[str] | None = None

    def acquire(self) -> int | None:
        """Take the lock; ``None`` when taken, else the pid of the process holding it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="ascii")
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                pid = _pid(handle.read())
                handle.close()
                return pid if pid is not None else -1
        else:  # pragma: no cover
            pid = _pid(self.path.read_text(encoding="ascii"))
            if pid is not None and pid != os.getpid() and _alive(pid):
                handle.close()
                return pid
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle
        return None

    def release(self) -> None:
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        self._handle.close()
        self._handle = None


def holder(run_dir: Path) -> int | None:
    """The pid of the process running ``run_dir`` now (``-1``: alive, pid unknown), else None."""
    path = run_dir / LOCK_NAME
    if not path.is_file():
        return None
    try:
        handle = path.open("r", encoding="ascii")
    except OSError:
        return None
    with handle:
        if fcntl is None:  # pragma: no cover
            pid = _pid(handle.read())
            return pid if pid is not None and _alive(pid) else None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            pid = _pid(handle.read())
            return pid if pid is not None else -1
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return None


def _pid(text: str) -> int | None:
    try:
        return int(text.split()[0])
    except (IndexError, ValueError):
        return None


def _alive(pid: int) -> bool:  # pragma: no cover - the non-POSIX fallback
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
