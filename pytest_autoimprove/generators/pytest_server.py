"""A process that has imported pytest and Hypothesis once, and forks a pytest run per request.

``generate`` runs the guardrails dozens of times (verification rounds, one run per
mutant), each a fresh ``python -m pytest``; about half a second of each is the
interpreter importing pytest and Hypothesis. This server pays that once: each request
is run by a forked child, which starts from the imports and nothing else (the code
under test is never imported here), runs ``pytest.main`` in the request's folder with
its environment, and exits. :mod:`.prefork` starts it and speaks to it.

Run as a script (``python pytest_server.py``), never imported as part of
``pytest_autoimprove``: a package module imported before ``pytest.main`` could not be
assertion-rewritten in the children. Standard library, pytest and Hypothesis only.

Protocol, one JSON object per line: the request ``{"argv", "cwd", "env", "out"}``
(``argv`` without ``python -m pytest``; ``out`` the file for the run's output) is
answered ``{"pid": n}`` at once (the child leads its own process group, so a timeout
can end the group) and ``{"exit": code}`` when it ended, after whatever it left
running in its group was killed. End of input ends the server.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    sys.path.pop(0)  # this file's folder, first on the path of a script, is no run's

import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import tempfile  # noqa: E402
import types  # noqa: E402
from typing import Any, NoReturn  # noqa: E402

import _pytest.config  # noqa: E402,F401 - loaded once, for every run
import _pytest.python  # noqa: E402,F401
import hypothesis  # noqa: E402,F401
import hypothesis.strategies  # noqa: E402,F401
import pytest  # noqa: E402

#: pytest warns that modules imported before it could not be rewritten (Hypothesis is).
_QUIET = ("-W", "ignore::pytest.PytestAssertRewriteWarning")


def _child(request: dict[str, Any]) -> NoReturn:
    """Run one request in this (forked) process; never returns."""
    code = 3
    try:
        os.setpgid(0, 0)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        fd = os.open(str(request["out"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.chdir(str(request["cwd"]))
        os.environ.clear()
        os.environ.update(request["env"])
        sys.dont_write_bytecode = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
        tempfile.tempdir = None  # read again from the run's environment
        # As ``python -m pytest`` starts: the working folder first on the path.
        sys.path.insert(0, os.getcwd())
        argv = [str(a) for a in request["argv"]]
        main = os.path.join(os.path.dirname(pytest.__file__), "__main__.py")
        sys.argv = [main, *argv]
        # ``__main__`` is pytest's, not this file: Hypothesis draws constants from the
        # modules loaded outside site-packages, and this one's would change its draws.
        entry = types.ModuleType("__main__")
        entry.__file__ = main
        sys.modules["__main__"] = entry
        try:
            code = int(pytest.main([*_QUIET, *argv]))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:  # noqa: BLE001 - the child must exit, with what went wrong
        import traceback

        traceback.print_exc()
    # Exit as a fresh run ends, not with os._exit: atexit handlers run, and files a
    # plugin or a test left open (the verifier's outcome log) are flushed and closed.
    raise SystemExit(code)


def _answer(message: dict[str, int]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # also here: a kill may come before the child ran
        _answer({"pid": pid})
        # Wait without reaping: while the leader is a zombie its group id stays its own.
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)  # what the run left behind
        _, status = os.waitpid(pid, 0)
        _answer({"exit": os.waitstatus_to_exitcode(status)})


if __name__ == "__main__":
    main()
