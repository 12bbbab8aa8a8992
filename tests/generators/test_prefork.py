"""Pytest runs forked from a server that imported pytest once (generators.prefork)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from pytest_autoimprove.generators.performance import _run
from pytest_autoimprove.generators.prefork import ForkedPytest

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]


@pytest.fixture
def forked() -> ForkedPytest:
    with ForkedPytest(_run) as runner:
        yield runner


def _env(**extra: str) -> dict[str, str]:
    return dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **extra)


def _write(folder: Path, name: str, source: str) -> None:
    (folder / name).write_text(textwrap.dedent(source), encoding="utf-8")


def test_a_run_sees_its_folder_its_environment_and_the_code_as_it_is_now(
    forked: ForkedPytest, tmp_path: Path
) -> None:
    _write(tmp_path, "shop.py", "def price():\n    return 1\n")
    _write(
        tmp_path,
        "test_shop.py",
        """
        import os
        import shop

        def test_price():
            assert shop.price() == int(os.environ["EXPECTED"])
        """,
    )
    code, out = forked([*PYTEST, "test_shop.py"], cwd=tmp_path, env=_env(EXPECTED="1"), timeout=60)
    assert code == 0, out
    assert "1 passed" in out
    # The server never imported the code under test: an edit is seen by the next run.
    _write(tmp_path, "shop.py", "def price():\n    return 2\n")
    code, out = forked([*PYTEST, "test_shop.py"], cwd=tmp_path, env=_env(EXPECTED="1"), timeout=60)
    assert code == 1 and "1 failed" in out, out
    code, out = forked([*PYTEST, "test_shop.py"], cwd=tmp_path, env=_env(EXPECTED="2"), timeout=60)
    assert code == 0, out
    assert "PytestAssertRewriteWarning" not in out


def test_a_file_a_run_leaves_open_is_written_out_as_after_a_fresh_run(
    forked: ForkedPytest, tmp_path: Path
) -> None:
    # The verifier's plugin writes each outcome to a log it never closes: a run that
    # ended with os._exit lost the last lines, and a failing test read as passed.
    log = tmp_path / "outcomes.log"
    _write(
        tmp_path,
        "test_log.py",
        f"""
        LOG = open({str(log)!r}, "w")

        def test_log():
            LOG.write("outcome\\n" * 3)
        """,
    )
    code, out = forked([*PYTEST, "test_log.py"], cwd=tmp_path, env=_env(), timeout=60)
    assert code == 0, out
    assert log.read_text() == "outcome\n" * 3


def test_the_hash_seed_of_a_run_is_its_own(forked: ForkedPytest, tmp_path: Path) -> None:
    _write(
        tmp_path,
        "test_seed.py",
        """
        import os

        def test_seed():
            with open(os.environ["OUT"], "a") as out:
                out.write(f"{hash('autoimprove')}\\n")
        """,
    )
    seen = tmp_path / "seen.txt"
    for seed in ("1", "2", "1"):
        env = _env(PYTHONHASHSEED=seed, OUT=str(seen))
        code, out = forked([*PYTEST, "test_seed.py"], cwd=tmp_path, env=env, timeout=60)
        assert code == 0, out
    first, second, again = seen.read_text().split()
    assert first == again != second
    expected = subprocess.run(
        [sys.executable, "-c", "print(hash('autoimprove'))"],
        env=_env(PYTHONHASHSEED="2"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert second == expected.stdout.strip()


def test_a_run_past_its_timeout_is_killed_with_what_it_started(
    forked: ForkedPytest, tmp_path: Path
) -> None:
    pid_file = tmp_path / "sleeper.pid"
    _write(
        tmp_path,
        "test_hang.py",
        f"""
        import subprocess, time

        def test_hang():
            sleeper = subprocess.Popen(["sleep", "60"])
            open({str(pid_file)!r}, "w").write(str(sleeper.pid))
            time.sleep(60)
        """,
    )
    started = time.monotonic()
    code, _ = forked([*PYTEST, "test_hang.py"], cwd=tmp_path, env=_env(), timeout=3)
    assert code == -9
    assert time.monotonic() - started < 20
    _gone(int(pid_file.read_text()))
    # The server is still there for the next run.
    _write(tmp_path, "test_fine.py", "def test_fine():\n    pass\n")
    assert forked([*PYTEST, "test_fine.py"], cwd=tmp_path, env=_env(), timeout=60)[0] == 0


def test_what_a_run_leaves_running_is_ended_with_it(forked: ForkedPytest, tmp_path: Path) -> None:
    pid_file = tmp_path / "daemon.pid"
    _write(
        tmp_path,
        "test_leave.py",
        f"""
        import subprocess

        def test_leave():
            sleeper = subprocess.Popen(["sleep", "60"])
            open({str(pid_file)!r}, "w").write(str(sleeper.pid))
        """,
    )
    code, out = forked([*PYTEST, "test_leave.py"], cwd=tmp_path, env=_env(), timeout=60)
    assert code == 0, out
    _gone(int(pid_file.read_text()))


def test_a_test_that_exits_the_process_gives_its_code(forked: ForkedPytest, tmp_path: Path) -> None:
    _write(tmp_path, "test_exit.py", "import os\n\ndef test_exit():\n    os._exit(7)\n")
    code, _ = forked([*PYTEST, "test_exit.py"], cwd=tmp_path, env=_env(), timeout=60)
    assert code == 7


def test_other_commands_and_a_server_that_dies_in_a_run_go_to_the_fallback(
    tmp_path: Path,
) -> None:
    calls: list[list[str]] = []

    def fallback(argv: list[str], **_: object) -> tuple[int, str]:
        calls.append(argv)
        return 0, "fallback"

    _write(tmp_path, "test_fine.py", "def test_fine():\n    pass\n")
    _write(tmp_path, "test_slow.py", "import time\n\ndef test_slow():\n    time.sleep(3)\n")
    fine, slow = [*PYTEST, "test_fine.py"], [*PYTEST, "test_slow.py"]
    with ForkedPytest(fallback) as forked:
        other = [sys.executable, "-m", "pytest_autoimprove.generators.performance.search"]
        assert forked(other, cwd=tmp_path, env=_env(), timeout=60) == (0, "fallback")
        assert forked(fine, cwd=tmp_path, env=_env(), timeout=60)[0] == 0
        assert len(calls) == 1
        # A server gone between runs is started again.
        [server] = forked._servers.values()
        os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait()
        assert forked(fine, cwd=tmp_path, env=_env(), timeout=60)[0] == 0
        assert len(calls) == 1
        # One that dies during a run: that run and the next go to the fallback.
        [server] = forked._servers.values()
        killer = threading.Timer(1.0, os.killpg, (server.proc.pid, signal.SIGKILL))
        killer.start()
        assert forked(slow, cwd=tmp_path, env=_env(), timeout=60) == (0, "fallback")
        assert forked(fine, cwd=tmp_path, env=_env(), timeout=60) == (0, "fallback")
        assert len(calls) == 3


def _gone(pid: int) -> None:
    """``pid`` ends within a few seconds (it may linger as a zombie of a dead parent)."""
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
        except OSError:
            return
        if state == "Z":
            return
        time.sleep(0.05)
    pytest.fail(f"process {pid} is still running")


def test_fork_off_sends_every_run_to_the_fallback(tmp_path: Path) -> None:
    _write(tmp_path, "test_fine.py", "def test_fine():\n    pass\n")
    with ForkedPytest(lambda argv, **_: (0, "fallback"), fork=False) as forked:
        assert forked([*PYTEST, "test_fine.py"], cwd=tmp_path, env=_env(), timeout=60) == (
            0,
            "fallback",
        )
        assert not forked._servers
