"""The test gate: did an experiment's tests really run, and really pass?

An exit code is the weakest evidence there is: code under test that calls
``sys.exit(0)`` or ``os._exit(0)`` mid-session, a ``pytest.exit(returncode=0)``,
or a snapshot-update flag slipped into the command all end a run with status 0.
So the gate learns what ran from its own reporting: this module is also a tiny
pytest plugin, loaded into the test subprocess with ``-p pytest_autoimprove.loop.gate``,
which writes every collected test and every outcome to a report file whose name
(random, in the run folder, outside the worktree) it takes from the environment
and removes from it at once, and a final ``finished`` record with pytest's exit
status. :func:`run_gate` passes an experiment only when that report is complete,
nothing failed or errored, every guard test passed (a skip or xfail of a guard
test is a failure) and at least as many guard tests passed as the lock records.

The plugin part is inert unless the loop set ``AUTOIMPROVE_GATE_REPORT``; it
imports nothing beyond pytest.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pytest

from pytest_autoimprove.names import GUARD_DIR, GUARD_MARKER

REPORT_ENV = "AUTOIMPROVE_GATE_REPORT"
ROOT_ENV = "AUTOIMPROVE_GATE_ROOT"

#: Flags that rewrite expected outputs instead of checking them: a test run with
#: one of them passes by definition.
SNAPSHOT_FLAG = re.compile(
    r"--(?:snapshot[-_]update|update[-_]snapshots?|force[-_]regen|regen[-_]all"
    r"|inline[-_]snapshot(?:=|\s+)\S*(?:fix|create|update|review|trim)\S*)"
)

# ---------------------------------------------------------------------------
# The plugin half: runs inside the test subprocess.

_report_path = os.environ.pop(REPORT_ENV, None)
_root = os.environ.pop(ROOT_ENV, None)
_handle: TextIO | None = None


def _write(record: Mapping[str, Any]) -> None:
    global _handle
    if _report_path is None:
        return
    if _handle is None:
        _handle = open(_report_path, "a", encoding="utf-8")  # noqa: SIM115 - lives for the session
    _handle.write(json.dumps(record) + "\n")
    _handle.flush()


def _is_guard(item: pytest.Item) -> bool:
    if item.get_closest_marker(GUARD_MARKER) is not None:
        return True
    if _root is None:
        return False
    try:
        relative = item.path.resolve().relative_to(Path(_root).resolve()).as_posix()
    except ValueError:
        return False
    return relative == GUARD_DIR or relative.startswith(GUARD_DIR + "/")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Collect the guard folder in this session when the arguments do not reach it.

    With ``testpaths`` elsewhere (``src/pkg/tests``), the guard tests would
    otherwise need a second pytest process, and a pytest start costs more than
    the rest of the loop's overhead together. They still have to pass, each of
    them (the report marks them ``guard``); a ``-k``/``-m`` that deselects them
    still leads to the separate guard run.
    """
    if _report_path is None or _root is None:
        return
    guard_dir = (Path(_root) / GUARD_DIR).resolve()
    if not guard_dir.is_dir():
        return
    here = config.invocation_params.dir
    for arg in config.args:
        target = (here / arg.split("::", 1)[0]).resolve()
        if target == guard_dir or target in guard_dir.parents:
            return
        if target.is_relative_to(guard_dir):
            return  # the user named guard tests; do not widen that
    config.args.append(str(guard_dir))


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    for item in session.items:
        _write({"event": "collected", "nodeid": item.nodeid, "guard": _is_guard(item)})


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _write({"event": "collect-error", "nodeid": report.nodeid})


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _write(
        {
            "event": "test",
            "nodeid": report.nodeid,
            "when": report.when,
            "outcome": report.outcome,
            "xfail": hasattr(report, "wasxfail"),
        }
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _write(
        {
            "event": "finished",
            "exitstatus": int(exitstatus),
            "stopped": bool(session.shouldstop or session.shouldfail),
        }
    )


# ---------------------------------------------------------------------------
# The loop half: runs the tests and reads the report.


@dataclass(frozen=True)
class GateResult:
    """The gate's verdict on one tree.

    :param reason: one line: why it failed, or what passed (``12 tests, 4 guard tests``).
    :param tail: the last lines of the failing run's output (empty when it passed).
    """

    passed: bool
    reason: str
    duration: float
    tail: str = ""
    tests: int = 0
    guard_passed: int = 0


@dataclass(frozen=True)
class _Reading:
    ok: bool
    reason: str
    tests: int
    guard_passed: int
    guard_seen: int


def snapshot_flag(parts: Sequence[str] | str) -> str | None:
    """The first snapshot-update flag in a command line or argument list, else ``None``."""
    text = parts if isinstance(parts, str) else " ".join(parts)
    match = SNAPSHOT_FLAG.search(text)
    return match.group(0) if match else None


def run_gate(
    worktree: Path,
    *,
    command: str | None,
    pytest_args: Sequence[str],
    guard_tests: int,
    report_dir: Path,
    timeout: float,
    env: Mapping[str, str],
    log_path: Path | None = None,
) -> GateResult:
    """Run the test command plus every guard test in ``worktree``; judge by the report.

    :param command: ``check.test`` (``None``: ``python -m pytest``).
    :param pytest_args: extra pytest arguments from ``pytest --autoimprove ...``.
    :param guard_tests: how many guard tests must pass (the lock's ``guard_tests``).
    :param report_dir: where the (randomly named) report files go; outside the worktree.
    :param env: extra environment (``PYTHONPATH`` pointing at the worktree).
    """
    from pytest_autoimprove.process import as_pytest_argv, run_command

    argv = as_pytest_argv(command)
    duration = 0.0
    guard_passed = 0
    tests = 0
    if argv is not None:
        full = [*argv, *pytest_args, "-p", "pytest_autoimprove.loop.gate"]
        if _has_paths(full[1:], worktree) and (worktree / GUARD_DIR).is_dir():
            full.append(GUARD_DIR)
        report = report_dir / f"gate-{secrets.token_hex(8)}.jsonl"
        result = run_command(
            full,
            cwd=worktree,
            timeout=timeout,
            env=_gate_env(env, report, worktree),
            log_path=log_path,
        )
        duration += result.duration
        if result.timed_out:
            return GateResult(False, f"tests timed out after {timeout:g}s", duration, result.tail())
        reading = _read_report(report, guard_tests=0)
        report.unlink(missing_ok=True)
        if not reading.ok:
            return GateResult(False, reading.reason, duration, result.tail())
        tests, guard_passed = reading.tests, reading.guard_passed
    else:
        assert command is not None
        result = run_command(command, cwd=worktree, timeout=timeout, env=env, log_path=log_path)
        duration += result.duration
        if result.timed_out:
            return GateResult(False, f"tests timed out after {timeout:g}s", duration, result.tail())
        if result.returncode != 0:
            return GateResult(
                False, f"`{command}` exited with {result.returncode}", duration, result.tail()
            )
    if guard_passed < guard_tests:
        # The guard tests were not (all) part of that run (a `make test`, a -k
        # filter, testpaths elsewhere): run them on their own.
        report = report_dir / f"gate-{secrets.token_hex(8)}.jsonl"
        guard_run = run_command(
            [sys.executable, "-m", "pytest", "-p", "pytest_autoimprove.loop.gate", GUARD_DIR],
            cwd=worktree,
            timeout=timeout,
            env=_gate_env(env, report, worktree),
            log_path=None if log_path is None else log_path.with_suffix(".guard.log"),
        )
        duration += guard_run.duration
        if guard_run.timed_out:
            return GateResult(
                False, f"guard tests timed out after {timeout:g}s", duration, guard_run.tail()
            )
        reading = _read_report(report, guard_tests=guard_tests)
        report.unlink(missing_ok=True)
        if not reading.ok:
            return GateResult(False, reading.reason, duration, guard_run.tail())
        guard_passed = reading.guard_passed
    from pytest_autoimprove.plural import plural  # not at the top: the plugin part stays bare

    if guard_passed < guard_tests:
        return GateResult(
            False,
            f"only {guard_passed} of {plural(guard_tests, 'guard test')} ran and passed",
            duration,
        )
    return GateResult(
        True,
        f"{plural(tests, 'test')} passed, {plural(guard_passed, 'guard test')}",
        duration,
        tests=tests,
        guard_passed=guard_passed,
    )


def _gate_env(env: Mapping[str, str], report: Path, worktree: Path) -> dict[str, str]:
    return {**env, REPORT_ENV: str(report), ROOT_ENV: str(worktree)}


def _has_paths(args: Sequence[str], cwd: Path) -> bool:
    """Whether a pytest command names test paths (then the guard folder is added)."""
    for arg in args:
        if arg.startswith("-"):
            continue
        target = arg.split("::", 1)[0]
        if target and (cwd / target).exists():
            return True
    return False


def _read_report(path: Path, *, guard_tests: int) -> _Reading:
    if not path.is_file():
        return _Reading(
            False, "the test run reported nothing (it exited before pytest ran)", 0, 0, 0
        )
    collected: dict[str, bool] = {}
    done: set[str] = set()
    finished: dict[str, Any] | None = None
    failures: list[str] = []
    guard_bad: list[str] = []
    guard_ok: set[str] = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        event = record.get("event")
        nodeid = str(record.get("nodeid", ""))
        if event == "collected":
            collected[nodeid] = bool(record.get("guard"))
        elif event == "collect-error":
            failures.append(f"cannot collect {nodeid or 'the tests'}")
        elif event == "test":
            outcome, when = record.get("outcome"), record.get("when")
            guard = collected.get(nodeid, False)
            if outcome == "failed":
                failures.append(f"{nodeid} failed ({when})")
            elif guard and (outcome == "skipped" or record.get("xfail")):
                guard_bad.append(
                    f"guard test {nodeid} was {'xfailed' if record.get('xfail') else 'skipped'}"
                )
            elif guard and when == "call" and outcome == "passed":
                guard_ok.add(nodeid)
            if when == "teardown" or outcome != "passed":
                done.add(nodeid)
        elif event == "finished":
            finished = record
    if failures:
        more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
        return _Reading(False, failures[0] + more, len(collected), len(guard_ok), 0)
    if guard_bad:
        return _Reading(False, guard_bad[0], len(collected), len(guard_ok), 0)
    if finished is None:
        return _Reading(
            False,
            "the test session ended before pytest finished (sys.exit/os._exit in code under test?)",
            len(collected),
            len(guard_ok),
            0,
        )
    missing = [nodeid for nodeid in collected if nodeid not in done]
    if missing:
        return _Reading(
            False,
            f"{len(missing)} collected tests never ran (first: {missing[0]}): "
            "the session was cut short",
            len(collected),
            len(guard_ok),
            0,
        )
    status = int(finished.get("exitstatus", -1))
    if status not in (0, 5) or (status == 5 and collected):
        return _Reading(False, f"pytest exited with {status}", len(collected), len(guard_ok), 0)
    if len(guard_ok) < guard_tests:
        return _Reading(
            False,
            f"only {len(guard_ok)} of {guard_tests} guard tests ran and passed",
            len(collected),
            len(guard_ok),
            0,
        )
    return _Reading(True, "", len(collected), len(guard_ok), sum(collected.values()))
