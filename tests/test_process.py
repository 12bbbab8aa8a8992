"""run_command runs a program in its own group and kills the group: timeout, Ctrl-C, exit."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from pytest_autoimprove import process
from pytest_autoimprove.process import CommandResult, run_command
from pytest_autoimprove.score import extract_score

PY = sys.executable


def _alive(pid: int) -> bool:
    """A process exists and is not a zombie (an unreaped zombie is dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] not in "ZX"


def _wait_for_pid(path: Path, timeout: float = 20.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = path.read_text().strip() if path.exists() else ""
        if text:
            return int(text)
        time.sleep(0.02)
    raise AssertionError(f"{path} was never written")


def _gone_soon(pid: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.02)
    return False


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture(autouse=True)
def short_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process, "GRACE_SECONDS", 0.5)


# --- running commands -------------------------------------------------------------------


def test_output_and_status_are_captured(tmp_path: Path) -> None:
    result = run_command("echo out; echo err >&2; exit 3", cwd=tmp_path, timeout=30)
    assert result.returncode == 3
    assert not result.timed_out
    assert not result.ok
    assert result.output.splitlines() == ["out", "err"]
    assert result.duration >= 0
    assert result.command == "echo out; echo err >&2; exit 3"


def test_string_runs_through_the_shell(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    result = run_command("cd sub && pwd", cwd=tmp_path, timeout=30)
    assert result.ok
    assert result.output.strip().endswith("sub")


def test_sequence_never_sees_a_shell(tmp_path: Path) -> None:
    result = run_command(
        [PY, "-c", "import sys; print(sys.argv[1])", "$HOME && echo no"], cwd=tmp_path, timeout=30
    )
    assert result.ok
    assert result.output == "$HOME && echo no\n"
    assert result.command.startswith(PY)


def test_env_is_merged_over_os_environ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOIMPROVE_TEST_INHERITED", "kept")
    result = run_command(
        'echo "$AUTOIMPROVE_TEST_INHERITED $AUTOIMPROVE_GOLDEN"',
        cwd=tmp_path,
        timeout=30,
        env={"AUTOIMPROVE_GOLDEN": "data/golden.jsonl"},
    )
    assert result.output == "kept data/golden.jsonl\n"


def test_stdin_is_empty(tmp_path: Path) -> None:
    # An agent that asks a question must read end-of-file, not wait for an answer.
    result = run_command("read answer; echo status=$?", cwd=tmp_path, timeout=30)
    assert result.output == "status=1\n"


def test_timeout_kills_the_whole_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    result = run_command(f"sleep 60 & echo $! > {pid_file}; sleep 60", cwd=tmp_path, timeout=1.0)
    child = _wait_for_pid(pid_file)
    try:
        assert result.timed_out
        assert result.returncode is None
        assert not result.ok
        assert _gone_soon(child)
    finally:
        _kill(child)


def test_timeout_kills_a_process_that_ignores_sigterm(tmp_path: Path) -> None:
    pid_file = tmp_path / "stubborn.pid"
    script = tmp_path / "stubborn.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, signal, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            with open({str(pid_file)!r}, "w") as f:
                f.write(str(os.getpid()))
            time.sleep(60)
            """
        )
    )
    # Long enough for Python to start and ignore SIGTERM even on a loaded machine.
    result = run_command([PY, str(script)], cwd=tmp_path, timeout=2.5)
    pid = _wait_for_pid(pid_file)
    try:
        assert result.timed_out
        assert _gone_soon(pid)
    finally:
        _kill(pid)


def test_leftover_children_are_killed_after_a_normal_exit(tmp_path: Path) -> None:
    pid_file = tmp_path / "server.pid"
    result = run_command(f"sleep 60 & echo $! > {pid_file}; echo started", cwd=tmp_path, timeout=30)
    server = _wait_for_pid(pid_file)
    try:
        assert result.ok
        assert result.output == "started\n"
        assert _gone_soon(server)
    finally:
        _kill(server)


def test_a_grandchild_holding_stdout_does_not_hang_the_call(tmp_path: Path) -> None:
    # The grandchild leaves our process group (setsid), so nobody kills it, and it
    # keeps the output open for a minute: with a pipe we would wait for it.
    pid_file = tmp_path / "daemon.pid"
    daemon = (
        f"import os, time; os.setsid(); "
        f"open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    )
    parent = textwrap.dedent(
        f"""
        import os, subprocess, time
        subprocess.Popen([{PY!r}, "-c", {daemon!r}])
        while not os.path.exists({str(pid_file)!r}):  # the daemon has left our group
            time.sleep(0.01)
        print("parent done", flush=True)
        """
    )
    command = [PY, "-c", parent]
    try:
        result = run_command(command, cwd=tmp_path, timeout=30)
        assert not result.timed_out
        assert result.ok
        assert "parent done" in result.output
    finally:
        _kill(_wait_for_pid(pid_file))


def test_keyboard_interrupt_kills_the_group_and_propagates(tmp_path: Path) -> None:
    pid_file = tmp_path / "bench.pid"
    driver = tmp_path / "driver.py"
    driver.write_text(
        textwrap.dedent(
            f"""
            import signal
            from pathlib import Path
            from pytest_autoimprove.process import run_command
            # As in a terminal: a background job of a shell without job control (a CI
            # script's `cmd &`) starts with SIGINT ignored, and would never see it.
            signal.signal(signal.SIGINT, signal.default_int_handler)
            try:
                run_command("sleep 60 & echo $! > {pid_file}; wait", cwd=Path("."), timeout=60)
            except KeyboardInterrupt:
                print("interrupted", flush=True)
                raise SystemExit(130)
            """
        )
    )
    proc = subprocess.Popen(
        [PY, str(driver)], cwd=tmp_path, stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        bench = _wait_for_pid(pid_file)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == 130
        assert out == b"interrupted\n"
        assert _gone_soon(bench)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if pid_file.exists():
            _kill(int(pid_file.read_text()))


def test_log_path_gets_everything_and_output_keeps_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process, "OUTPUT_LIMIT", 100)
    log = tmp_path / "logs" / "bench.log"
    result = run_command(
        [PY, "-c", "print('x' * 500); print('SCORE: 1.5')"], cwd=tmp_path, timeout=30, log_path=log
    )
    assert log.read_text() == "x" * 500 + "\nSCORE: 1.5\n"
    assert result.output.startswith("[... 412 bytes cut ...]\n")
    assert result.output.endswith("x\nSCORE: 1.5\n")
    assert extract_score(result.output, None) == 1.5


def test_undecodable_output_is_replaced(tmp_path: Path) -> None:
    result = run_command(
        [PY, "-c", "import sys; sys.stdout.buffer.write(b'ok \\xff\\n')"], cwd=tmp_path, timeout=30
    )
    assert result.output == "ok \ufffd\n"


def test_a_missing_program_is_exit_127(tmp_path: Path) -> None:
    result = run_command(["no-such-program-autoimprove"], cwd=tmp_path, timeout=30)
    assert result.returncode == 127
    assert "cannot run 'no-such-program-autoimprove'" in result.output
    shell = run_command("no-such-program-autoimprove", cwd=tmp_path, timeout=30)
    assert shell.returncode == 127


def test_a_signal_death_is_a_negative_returncode(tmp_path: Path) -> None:
    result = run_command([PY, "-c", "import os; os.kill(os.getpid(), 9)"], cwd=tmp_path, timeout=30)
    assert result.returncode == -9
    assert not result.timed_out


def test_empty_command_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        run_command([], cwd=tmp_path, timeout=1)


@pytest.mark.parametrize(
    ("output", "lines", "expected"),
    [
        ("a\nb\nc\n", 2, "b\nc"),
        ("a\nb\nc", 10, "a\nb\nc"),
        ("a\nb\n", 0, ""),
        ("", 5, ""),
    ],
)
def test_tail(output: str, lines: int, expected: str) -> None:
    result = CommandResult("x", 0, output, 0.0, False)
    assert result.tail(lines) == expected


# --- nothing a command started outlives it --------------------------------------------

#: Writes its pid, then a file after a delay: what an escaped process would do.
LATE = """
import os, sys, time
open(sys.argv[1] + ".tmp", "w").write(str(os.getpid()))
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(float(sys.argv[3]))
open(sys.argv[2], "w").write("too late")
"""

#: The command: starts LATE so that it leaves the session, then exits or hangs.
ESCAPER = """
import os, subprocess, sys, time
how, pid_file, late_file, delay, then = sys.argv[1:6]
late = [sys.executable, "-c", {late!r}, pid_file, late_file, delay]
bare = {{"PATH": os.environ.get("PATH", "")}}  # as after `env -i`: no token
if how == "setsid":
    subprocess.Popen(late, start_new_session=True)
elif how == "setsid-env-i":
    subprocess.Popen(late, start_new_session=True, env=bare)
elif how in ("daemon", "daemon-env-i"):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execve(sys.executable, late, bare if how == "daemon-env-i" else os.environ)
        os._exit(0)
    os.wait()
while not os.path.exists(pid_file):
    time.sleep(0.01)
print("escaped", flush=True)
if then == "hang":
    time.sleep(600)
"""


def _escape(
    tmp_path: Path, how: str, then: str, delay: float = 1.5
) -> tuple[list[str], Path, Path]:
    """(argv, pid file, late file) of a command whose child escapes by ``how``."""
    script = tmp_path / "escaper.py"
    script.write_text(ESCAPER.format(late=LATE))
    pid_file, late_file = tmp_path / f"{how}.pid", tmp_path / f"{how}.late"
    return (
        [PY, str(script), how, str(pid_file), str(late_file), str(delay), then],
        pid_file,
        late_file,
    )


def _never_written(path: Path, delay: float) -> bool:
    """True when the escapee's late write is still missing half a second after its due
    time: ``delay`` after the escapee wrote its pid file, beside ``path``."""
    pid_file = path.with_suffix(".pid")
    due = pid_file.stat().st_mtime + delay + 0.5
    time.sleep(max(0.0, due - time.time()))
    return not path.exists()


@pytest.mark.parametrize("how", ["setsid", "daemon"])
def test_an_escaped_process_is_ended_after_a_normal_exit(tmp_path: Path, how: str) -> None:
    argv, pid_file, late_file = _escape(tmp_path, how, then="exit")
    result = run_command(argv, cwd=tmp_path, timeout=60)
    escaped = _wait_for_pid(pid_file)
    try:
        assert result.ok, result.output
        assert "escaped" in result.output
        assert not _alive(escaped)  # gone when run_command returns, not some time later
        assert _never_written(late_file, 1.5)
    finally:
        _kill(escaped)


@pytest.mark.parametrize("how", ["setsid", "daemon", "setsid-env-i"])
def test_an_escaped_process_is_ended_on_timeout(tmp_path: Path, how: str) -> None:
    # setsid-env-i: no token, but its parent (the command) lives: found by ancestry.
    argv, pid_file, late_file = _escape(tmp_path, how, then="hang", delay=4.0)
    result = run_command(argv, cwd=tmp_path, timeout=3.0)
    escaped = _wait_for_pid(pid_file)
    try:
        assert result.timed_out
        assert not _alive(escaped)
        assert _never_written(late_file, 4.0)
    finally:
        _kill(escaped)


def test_inside_a_run_an_orphan_without_token_is_ended(tmp_path: Path) -> None:
    # A double fork under `env -i`: no token, no living parent. The run's subreaper
    # adopts it, so it is still found.
    argv, pid_file, late_file = _escape(tmp_path, "daemon-env-i", then="exit")
    with process.Containment(process.new_token()):
        result = run_command(argv, cwd=tmp_path, timeout=60)
        escaped = _wait_for_pid(pid_file)
        try:
            assert result.ok, result.output
            assert not _alive(escaped)
        finally:
            _kill(escaped)
    assert _never_written(late_file, 1.5)


def test_processes_the_command_did_not_start_are_left_alone(tmp_path: Path) -> None:
    before = subprocess.Popen(["sleep", "30"], start_new_session=True)
    sibling: list[subprocess.Popen[bytes]] = []

    def start_sibling() -> None:  # started while the command runs, by someone else
        sibling.append(subprocess.Popen(["sleep", "30"], start_new_session=True))

    try:
        with process.Containment(process.new_token()):
            timer = threading.Timer(0.3, start_sibling)
            timer.start()
            result = run_command(
                [PY, "-c", "import time; time.sleep(1.5)"], cwd=tmp_path, timeout=60
            )
            timer.join()
            assert result.ok
            assert _alive(before.pid)
            assert _alive(sibling[0].pid)
        # The run's watchdog ends what carries the run's token when the run closes,
        # and the sibling was started inside the run: it carries it.
        assert _gone_soon(sibling[0].pid)
        assert _alive(before.pid)
    finally:
        for proc in [before, *sibling]:
            proc.kill()
            proc.wait()


def test_a_child_between_fork_and_exec_is_not_taken_for_an_orphan(tmp_path: Path) -> None:
    # Until its exec, /proc shows a new child with our environment: no token. Another
    # command starting in another thread (a parallel run) must not look adopted.
    other: list[subprocess.Popen[bytes]] = []

    def launch() -> None:  # as run_command does: counted from before the fork
        other.append(subprocess.Popen(["sleep", "30"], start_new_session=True, env={}))

    with process.Containment(process.new_token()):
        launching = object()
        process._LAUNCHING.add(launching)
        try:
            timer = threading.Timer(0.3, launch)
            timer.start()
            result = run_command([PY, "-c", "import time; time.sleep(1)"], cwd=tmp_path, timeout=60)
            timer.join()
            assert result.ok
            assert _alive(other[0].pid)
        finally:
            process._LAUNCHING.discard(launching)
            for proc in other:
                proc.kill()
                proc.wait()


def test_commands_carry_a_token_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = "import os; print(os.environ['PROCESS_TREE_TOKEN'])"
    monkeypatch.setenv(process.TOKEN_VAR, "outer")
    first = run_command([PY, "-c", code], cwd=tmp_path, timeout=30).output.strip()
    second = run_command([PY, "-c", code], cwd=tmp_path, timeout=30).output.strip()
    outer, own = first.split(":")
    assert outer == "outer" and len(own) == 8
    assert second != first  # each command has an id of its own
    with process.Containment("run1"):
        inside = run_command([PY, "-c", code], cwd=tmp_path, timeout=30).output.strip()
        # A scrubbed environment (the sandbox drops AUTOIMPROVE_*) keeps the token.
        scrubbed = run_command(
            [PY, "-c", code], cwd=tmp_path, timeout=30, env={process.TOKEN_VAR: None}
        ).output.strip()
    assert inside.split(":")[:2] == ["outer", "run1"]
    assert scrubbed.split(":")[:2] == ["outer", "run1"]
    assert os.environ[process.TOKEN_VAR] == "outer"


# --- the run's watchdog ---------------------------------------------------------------

DRIVER = """
import sys
from pathlib import Path
from pytest_autoimprove.process import Containment, run_command
token, log, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
with Containment(token, log_path=Path(log)):
    run_command(argv, cwd=Path("."), timeout=600)
"""


def _token_holders(token: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                env = (entry / "environ").read_bytes().split(b"\0")
                values = [e.split(b"=", 1)[1] for e in env if e.startswith(b"PROCESS_TREE_TOKEN=")]
                if values and token.encode() in values[0].split(b":") and _alive(int(entry.name)):
                    found.append(int(entry.name))
    return found


@pytest.mark.parametrize("how", ["setsid", "setsid-env-i"])
def test_kill_9_of_the_loop_ends_the_step_in_flight(tmp_path: Path, how: str) -> None:
    # setsid-env-i: the escapee has no token; the command (its parent) is frozen by its
    # parent-death signal, not killed, so the watchdog still finds it by ancestry.
    token = process.new_token()
    argv, pid_file, late_file = _escape(tmp_path, how, then="hang", delay=3.0)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    log = tmp_path / "watchdog.log"
    loop = subprocess.Popen([PY, str(driver), token, str(log), *argv], cwd=tmp_path)
    escaped = _wait_for_pid(pid_file)
    try:
        loop.kill()
        loop.wait()
        assert _gone_soon(escaped)
        assert _never_written(late_file, 3.0)
        assert not _token_holders(token)
        assert f"{escaped} (python" in log.read_text()
    finally:
        _kill(escaped)
        if loop.poll() is None:
            loop.kill()


def test_end_run_ends_what_carries_the_token(tmp_path: Path) -> None:
    token = process.new_token()
    tree = "import subprocess, time; subprocess.Popen(['sleep', '60']); time.sleep(60)"
    mine = subprocess.Popen(
        [PY, "-c", tree],
        env={**os.environ, process.TOKEN_VAR: f"x:{token}:y"},
        start_new_session=True,
    )
    other = subprocess.Popen(
        ["sleep", "60"],
        env={**os.environ, process.TOKEN_VAR: f"x:{token}0"},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while len(_token_holders(token)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        holders = _token_holders(token)
        assert mine.pid in holders and len(holders) == 2
        ended = process.end_run(token)
        assert sorted(int(e.split()[0]) for e in ended) == sorted(holders)
        assert not _token_holders(token)
        assert mine.wait(timeout=5) == -signal.SIGKILL
        assert other.poll() is None  # another token, even one that starts like ours
    finally:
        for proc in (mine, other):
            proc.kill()
            proc.wait()
