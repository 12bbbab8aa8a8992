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

The plugin part is inert unless the loop set ``AUTOIMPROVE_GATE_REPORT``; then it
also guards the verdict against the code under test, which runs in the same process:
its report lines carry an HMAC chained over the report, keyed by a file it reads and
removes at import (so a forged "finished" line is refused); it fingerprints what the
verdict relies on before the project's code is imported (pytest's outcome machinery,
pluggy, the guard runtime, the clocks, the builtins, ``sys.exit``/``os._exit``,
:mod:`~pytest_autoimprove.loop.fingerprint`) and reports at the end of the session
what was replaced, with an audit hook for code swaps as they happen, and digests of
the code the loop compares with its own copy. It has no ``assert`` statements: pytest
rewrites a ``-p`` plugin's asserts, which would change its digest.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import re
import secrets
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import pytest

from pytest_autoimprove.names import GUARD_DIR, GUARD_MARKER

if TYPE_CHECKING:
    from pytest_autoimprove.loop.sandbox import Sandbox
    from pytest_autoimprove.process import CommandResult

REPORT_ENV = "AUTOIMPROVE_GATE_REPORT"
ROOT_ENV = "AUTOIMPROVE_GATE_ROOT"
KEY_ENV = "AUTOIMPROVE_GATE_KEY"

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
_key_path = os.environ.pop(KEY_ENV, None)


def _writer(path: str | None, key_path: str | None) -> Callable[[Mapping[str, Any]], None]:
    """The report writer: every line carries an HMAC chained over the lines before it.

    The key comes from a file the loop wrote for this session only, read and removed
    here, before the code under test is imported; it lives on in this closure only.
    A line written by anyone else (a forged "finished") breaks the chain.
    """
    if path is None:
        return lambda record: None
    key = b""
    if key_path is not None:
        with contextlib.suppress(OSError):
            key = Path(key_path).read_bytes()
            os.unlink(key_path)
    handle: list[TextIO] = []
    chain = [b""]
    dumps, new_mac = json.dumps, hmac.new

    def write(record: Mapping[str, Any]) -> None:
        if not handle:
            handle.append(open(path, "a", encoding="utf-8"))  # noqa: SIM115 - the session's
        line = dict(record)
        if key:
            mac = new_mac(key, chain[0] + dumps(line, sort_keys=True).encode(), "sha256")
            chain[0] = mac.digest()
            line["mac"] = mac.hexdigest()
        handle[0].write(dumps(line) + "\n")
        handle[0].flush()

    return write


_write = _writer(_report_path, _key_path)
_snapshot: Any = None
if _report_path is not None:
    from pytest_autoimprove.loop import fingerprint

    _snapshot = fingerprint.Snapshot()
    _snapshot.add_loaded()


if _snapshot is not None:
    import atexit

    fingerprint.watch(_write, _snapshot, _root)
    atexit.register(fingerprint.final_check, _write, _snapshot, "exit")


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
    if _snapshot is not None:
        _snapshot.accept_installed(_root)
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
    if _snapshot is not None:
        fingerprint.final_check(_write, _snapshot, "integrity")
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
    :param findings: what the session's integrity checks saw (the gate plugin's
        fingerprints, the sandbox's watcher): ``{"kind", "message", "where"}`` each.
    :param tampered: why the run reached into the judge (set by whoever judges the
        findings, :class:`~pytest_autoimprove.loop.checks.Checks`; a forged report sets it here).
    """

    passed: bool
    reason: str
    duration: float
    tail: str = ""
    tests: int = 0
    guard_passed: int = 0
    findings: tuple[dict[str, Any], ...] = ()
    tampered: str = ""


@dataclass(frozen=True)
class _Reading:
    ok: bool
    reason: str
    tests: int
    guard_passed: int
    guard_seen: int
    findings: tuple[dict[str, Any], ...] = ()
    forged: str = ""


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
    env: Mapping[str, str | None],
    log_path: Path | None = None,
    sandbox: Sandbox | None = None,
    sandbox_key: str = "",
    in_scope: Callable[[str], bool] | None = None,
) -> GateResult:
    """Run the test command plus every guard test in ``worktree``; judge by the report.

    :param command: ``check.test`` (``None``: ``python -m pytest``).
    :param pytest_args: extra pytest arguments from ``pytest --autoimprove ...``.
    :param guard_tests: how many guard tests must pass (the lock's ``guard_tests``).
    :param report_dir: where the (randomly named) report files go; outside the worktree.
    :param env: extra environment (``PYTHONPATH`` pointing at the worktree).
    :param sandbox: runs each command in a fresh session of it (watched, contained).
    :param in_scope: whether a repo-relative path is code in scope; a code swap on the
        judge keeps its culprit only when the culprit is.
    """
    from pytest_autoimprove.process import as_pytest_argv

    argv = as_pytest_argv(command)
    runner = _Runner(worktree, report_dir, timeout, env, sandbox, sandbox_key, in_scope)
    guard_passed = 0
    tests = 0
    if argv is not None:
        full = [*argv, *pytest_args, "-p", "pytest_autoimprove.loop.gate"]
        if _has_paths(full[1:], worktree) and (worktree / GUARD_DIR).is_dir():
            full.append(GUARD_DIR)
        result, reading = runner.run(full, log_path, guard_tests=0)
        if result.timed_out:
            return runner.result(False, f"tests timed out after {timeout:g}s", result.tail())
        if reading is None or not reading.ok or reading.forged:
            return runner.result(False, reading.reason if reading else "no report", result.tail())
        tests, guard_passed = reading.tests, reading.guard_passed
    else:
        result, _ = runner.run(command or "", log_path, guard_tests=None)
        if result.timed_out:
            return runner.result(False, f"tests timed out after {timeout:g}s", result.tail())
        if result.returncode != 0:
            return runner.result(
                False, f"`{command}` exited with {result.returncode}", result.tail()
            )
    if guard_passed < guard_tests:
        # The guard tests were not (all) part of that run (a `make test`, a -k
        # filter, testpaths elsewhere): run them on their own.
        guard_run, reading = runner.run(
            [sys.executable, "-m", "pytest", "-p", "pytest_autoimprove.loop.gate", GUARD_DIR],
            None if log_path is None else log_path.with_suffix(".guard.log"),
            guard_tests=guard_tests,
        )
        if guard_run.timed_out:
            return runner.result(
                False, f"guard tests timed out after {timeout:g}s", guard_run.tail()
            )
        if reading is None or not reading.ok or reading.forged:
            reason = reading.reason if reading else "no report"
            return runner.result(False, reason, guard_run.tail())
        guard_passed = reading.guard_passed
    from pytest_autoimprove.plural import plural  # not at the top: the plugin part stays bare

    if guard_passed < guard_tests:
        return runner.result(
            False, f"only {guard_passed} of {plural(guard_tests, 'guard test')} ran and passed"
        )
    return replace(
        runner.result(
            True, f"{plural(tests, 'test')} passed, {plural(guard_passed, 'guard test')}"
        ),
        tests=tests,
        guard_passed=guard_passed,
    )


class _Runner:
    """Runs the gate's commands, each in its own sandbox session, and reads their reports."""

    def __init__(
        self,
        worktree: Path,
        report_dir: Path,
        timeout: float,
        env: Mapping[str, str | None],
        sandbox: Sandbox | None,
        sandbox_key: str,
        in_scope: Callable[[str], bool] | None,
    ) -> None:
        self.worktree = worktree
        self.report_dir = report_dir
        self.timeout = timeout
        self.env = env
        self.sandbox = sandbox
        self.sandbox_key = sandbox_key
        self.in_scope = in_scope
        self.duration = 0.0
        self.findings: list[dict[str, Any]] = []
        self.forged = ""

    def result(self, passed: bool, reason: str, tail: str = "") -> GateResult:
        return GateResult(
            passed,
            reason,
            self.duration,
            tail,
            findings=tuple(self.findings),
            tampered=self.forged,
        )

    def run(
        self, command: str | list[str], log_path: Path | None, *, guard_tests: int | None
    ) -> tuple[CommandResult, _Reading | None]:
        """Run one command; ``guard_tests`` ``None``: not a pytest command (no report)."""
        from pytest_autoimprove.loop.sandbox import python_path_first
        from pytest_autoimprove.process import run_command

        report = self.report_dir / f"gate-{secrets.token_hex(8)}.jsonl"
        key = secrets.token_bytes(32)
        key_path = self.report_dir / f"gate-{secrets.token_hex(8)}.key"
        env: dict[str, str | None] = dict(self.env)
        if guard_tests is not None:
            key_path.write_bytes(key)
            env.update(_gate_env(env, report, self.worktree))
            env[KEY_ENV] = str(key_path)
        with contextlib.ExitStack() as stack:
            session = None
            if self.sandbox is not None:
                session = stack.enter_context(
                    self.sandbox.session("tests", self.worktree, key=self.sandbox_key)
                )
                env = python_path_first(env, session.env)
            try:
                result = run_command(
                    command, cwd=self.worktree, timeout=self.timeout, env=env, log_path=log_path
                )
            finally:
                key_path.unlink(missing_ok=True)
        if session is not None:
            self.findings += [{**f, "source": "watcher"} for f in session.findings()]
        self.duration += result.duration
        if guard_tests is None:
            return result, None
        reading = _read_report(report, guard_tests=guard_tests, key=key)
        report.unlink(missing_ok=True)
        self.findings += [self._scoped(f) for f in reading.findings]
        if reading.forged:
            self.forged = reading.forged
        return result, reading

    def _scoped(self, finding: dict[str, Any]) -> dict[str, Any]:
        """A gate finding with its culprit made repo-relative, kept only when in scope."""
        where = finding.get("where")
        if isinstance(where, str) and where:
            path, _, line = where.rpartition(":")
            root = os.path.join(os.path.realpath(self.worktree), "")
            if path.startswith(root):
                path = path[len(root) :]
            elif os.path.isabs(path):
                path = ""
            keep = bool(path) and (self.in_scope is None or self.in_scope(path))
            where = f"{path}:{line}" if keep else None
        return {**finding, "where": where, "source": "gate"}


def _gate_env(env: Mapping[str, str | None], report: Path, worktree: Path) -> dict[str, str | None]:
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


def _read_report(path: Path, *, guard_tests: int, key: bytes = b"") -> _Reading:
    if not path.is_file():
        return _Reading(
            False, "the test run reported nothing (it exited before pytest ran)", 0, 0, 0
        )
    lines, forged = _verified(path, key)
    findings = _findings(lines)
    if forged:
        return _Reading(False, forged, 0, 0, 0, findings, forged)
    reading = _judge(lines, guard_tests)
    return replace(reading, findings=findings)


def _verified(path: Path, key: bytes) -> tuple[list[dict[str, Any]], str]:
    """The report's records, and why it was not written by the gate (empty when it was)."""
    records: list[dict[str, Any]] = []
    chain = b""
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            if key:
                return records, f"the gate's report has a line it did not write (line {number})"
            continue
        if not isinstance(record, dict):
            continue
        if key:
            mac = record.pop("mac", None)
            expected = hmac.new(key, chain + json.dumps(record, sort_keys=True).encode(), "sha256")
            if not isinstance(mac, str) or not hmac.compare_digest(mac, expected.hexdigest()):
                return records, (
                    f"the gate's report has a record it did not write (line {number}): "
                    "the test session forged or altered its report"
                )
            chain = expected.digest()
        records.append(record)
    return records, ""


def _findings(records: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    """The integrity records of a report, as findings (``kind`` ``patch``: tampering)."""
    from pytest_autoimprove.loop.fingerprint import compare_digests

    found: list[dict[str, Any]] = []
    for record in records:
        event = record.get("event")
        if event in ("integrity", "exit"):
            for problem in record.get("problems") or ():
                if isinstance(problem, dict):
                    message = str(problem.get("message", ""))
                    when = "at the end of the session" if event == "integrity" else "at exit"
                    found.append(
                        {
                            "kind": "patch",
                            "message": f"{message} ({when})",
                            "where": problem.get("where"),
                        }
                    )
            digests = record.get("digests")
            if isinstance(digests, dict):
                found += [
                    {"kind": "patch", "message": message, "where": None}
                    for message in compare_digests(digests)
                ]
        elif event == "audit":
            found.append(
                {
                    "kind": "swap",
                    "message": str(record.get("message")),
                    "where": record.get("where"),
                }
            )
    return tuple(found)


def _judge(records: Sequence[Mapping[str, Any]], guard_tests: int) -> _Reading:
    collected: dict[str, bool] = {}
    done: set[str] = set()
    finished: Mapping[str, Any] | None = None
    failures: list[str] = []
    guard_bad: list[str] = []
    guard_ok: set[str] = set()
    for record in records:
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
