"""A call's own working directory: empty when it starts, left empty when it ends.

Imported by the frozen tests: standard library only.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

__all__ = ["own_directory"]

#: ``(pid, path)`` of this process's scratch directory, made on first use.
_SCRATCH: list[tuple[int, str]] = []

#: A scratch directory is ``<tempdir>/autoimprove-call-<pid>-<random>``.
_PREFIX = "autoimprove-call-"


@contextlib.contextmanager
def own_directory() -> Iterator[None]:
    """Run in an empty working directory of this process's own.

    Code that opens the names it is given (``write_hex_file("w")``, ``loadhex(path)``)
    wrote files into the project when the probe recorded it, and a later call found
    what an earlier one wrote: a case that raised ``FileNotFoundError`` when it was
    recorded returned once another test had written that file. Each call now starts
    in the same empty directory, whatever ran before it. The directory is reused while
    calls leave it empty (a fresh one per call cost 0.2 ms, thousands of times per
    run) and removed when the process ends; a process killed on its timeout cannot
    remove its own, so the next one removes those of processes no longer running.
    """
    previous = os.getcwd()
    scratch = _scratch()
    os.chdir(scratch)
    try:
        yield
    finally:
        os.chdir(previous)
        try:
            with os.scandir(scratch) as entries:
                dirty = next(entries, None) is not None
        except OSError:  # removed or made unreadable by the call
            dirty = True
        if dirty:
            _SCRATCH.clear()
            shutil.rmtree(scratch, ignore_errors=True)


def _scratch() -> str:
    """This process's scratch directory (a forked child makes its own)."""
    pid = os.getpid()
    if not _SCRATCH or _SCRATCH[0][0] != pid or not os.path.isdir(_SCRATCH[0][1]):
        path = tempfile.mkdtemp(prefix=f"{_PREFIX}{pid}-")
        _SCRATCH[:] = [(pid, path)]
        atexit.register(_remove, pid, path)
        _sweep(os.path.dirname(path))
    return _SCRATCH[0][1]


def _sweep(parent: str) -> None:
    """Remove the scratch directories that killed processes left behind.

    A night of timeouts left thousands of them in the temporary directory: a
    process group killed on its timeout runs no ``atexit``.
    """
    if os.name != "posix":
        return
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        owner = name[len(_PREFIX) :].partition("-")[0]
        if name.startswith(_PREFIX) and owner.isdigit() and not _running(int(owner)):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True


def _remove(pid: int, path: str) -> None:
    if os.getpid() == pid:
        shutil.rmtree(path, ignore_errors=True)
