"""What ``## Check`` asks, run on the loop's worktree: the test gate, the benchmark,
the ``guard:`` metrics and the lock.

The baseline and every experiment judge a tree the same way, so the way the
loop runs those checks lives here, apart from the run's lifecycle
(:mod:`~pytest_autoimprove.loop.run`) and from what an experiment does with the
answers (:mod:`~pytest_autoimprove.loop.experiment`). Every command runs in a fresh
subprocess with ``PYTHONPATH`` pointing at the worktree
(:func:`~pytest_autoimprove.score.run_command`); whether a score is an
improvement is :mod:`~pytest_autoimprove.loop.keep`'s business.
"""

from __future__ import annotations

import contextlib
import math
import secrets
import shlex
import statistics
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_autoimprove import guard
from pytest_autoimprove.errors import GuardError
from pytest_autoimprove.generators import scored_golden
from pytest_autoimprove.loop.gate import GateResult, run_gate
from pytest_autoimprove.names import GOLDEN_ENV, SCORE_FILE_ENV
from pytest_autoimprove.process import as_pytest_argv, python_path

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig


@dataclass
class Measured:
    """What one tree's benchmark runs left behind, for messages and guard metrics."""

    outputs: list[str] = field(default_factory=list)
    guards: dict[str, list[float]] = field(default_factory=dict)
    failure: str = ""

    def guard_medians(self) -> dict[str, float]:
        return {name: statistics.median(v) for name, v in self.guards.items() if v}


@dataclass(frozen=True)
class Checks:
    """How the loop runs the checks of ``config`` in ``worktree``.

    :param run_dir: the run folder: logs, gate reports and score files go there.
    :param pytest_args: other arguments of ``pytest --autoimprove``, for the gate.
    :param lock_tests: how many guard tests the lock records (all must pass).
    """

    config: ImproveConfig
    worktree: Path
    run_dir: Path
    pytest_args: tuple[str, ...] = ()
    lock_tests: int = 0

    @property
    def cwd(self) -> Path:
        return self.config.root

    def env(self) -> dict[str, str]:
        """PYTHONPATH points at the worktree, so an editable install of the user's
        checkout does not shadow the code under experiment."""
        entries = [self.worktree]
        if (self.worktree / "src").is_dir():
            entries.insert(0, self.worktree / "src")
        env = {"PYTHONPATH": python_path(entries)}
        golden = scored_golden(self.cwd, self.config.check.golden)
        if golden:
            env[GOLDEN_ENV] = str(self.cwd / golden)
        return env

    def _logs(self) -> Path:
        logs = self.run_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        return logs

    def gate(self, number: int) -> GateResult:
        """The test gate on the tree as it is (number 0: the baseline)."""
        return run_gate(
            self.cwd,
            command=self.config.check.test,
            pytest_args=self.pytest_args,
            guard_tests=self.lock_tests,
            report_dir=self.run_dir,
            timeout=self.config.check.timeout,
            env=self.env(),
            log_path=self._logs() / f"{number:04d}-tests.log",
        )

    def for_tree(self, worktree: Path) -> Checks:
        """The same checks on another checkout of the run (the best commit's worktree)."""
        path = worktree / self.config.path.relative_to(self.worktree)
        return replace(self, config=replace(self.config, path=path), worktree=worktree)

    def measure(
        self, number: int, measured: Measured, *, log_name: str = "bench"
    ) -> Callable[[], float | None]:
        """One benchmark run per call: its score, or ``None`` (why: ``measured.failure``).

        The last run's output is in ``logs/<number>-<log_name>.log``.
        """
        config = self.config
        from pytest_autoimprove.process import run_command
        from pytest_autoimprove.score import extract_score, fixture_score, guard_name

        command = config.check.run
        golden = scored_golden(self.cwd, config.check.golden)
        if golden:
            command = command.replace("{golden}", shlex.quote(golden))
        use_fixture = config.check.score is None and as_pytest_argv(command) is not None
        logs = self._logs()

        def measure() -> float | None:
            env = self.env()
            score_file: Path | None = None
            if use_fixture:
                score_file = self.run_dir / f"scores-{secrets.token_hex(6)}.jsonl"
                env[SCORE_FILE_ENV] = str(score_file)
            with visible_split_in_place(self.cwd, config.check.golden, golden):
                result = run_command(
                    command,
                    cwd=self.cwd,
                    timeout=config.check.timeout,
                    env=env,
                    log_path=logs / f"{number:04d}-{log_name}.log",
                )
            measured.outputs.append(result.output)
            for metric in config.check.guards:
                value = extract_score(result.output, metric.pattern)
                if value is not None:
                    measured.guards.setdefault(guard_name(metric), []).append(value)
            if result.timed_out:
                measured.failure = f"benchmark timed out after {config.check.timeout:g}s"
                return None
            if result.returncode != 0:
                measured.failure = f"benchmark exited with {result.returncode}"
                return None
            score = (
                fixture_score(score_file)
                if score_file is not None
                else extract_score(result.output, config.check.score)
            )
            if score_file is not None:
                score_file.unlink(missing_ok=True)
            if score is None or not math.isfinite(score):
                measured.failure = "no score in the benchmark output" + (
                    " (no autoimprove_score value reported)" if use_fixture else ""
                )
                return None
            return score

        return measure

    def guard_problem(
        self, guards: Mapping[str, float], baseline: Mapping[str, float]
    ) -> str | None:
        """The first ``guard:`` metric that does not hold, in one line, else ``None``."""
        from pytest_autoimprove.score import check_guard, guard_name

        for metric in self.config.check.guards:
            name = guard_name(metric)
            problem = check_guard(metric, baseline=baseline.get(name), value=guards.get(name))
            if problem:
                return f"guard {problem}"
        return None

    def lock_problem(self) -> str | None:
        """Why the frozen files on disk no longer match the lock, else ``None``."""
        try:
            report = guard.verify(self.worktree, self.config)
        except GuardError as exc:
            return str(exc).splitlines()[0]
        if report.holds:
            return None
        return "frozen files differ from the lock: " + ", ".join(report.against_lock.paths()[:3])


@contextlib.contextmanager
def visible_split_in_place(cwd: Path, golden: str | None, scored: str | None) -> Iterator[None]:
    """While the benchmark runs, the golden file holds only its visible split.

    A benchmark that reads the golden set from a fixed path (ignoring ``{golden}`` and
    ``$AUTOIMPROVE_GOLDEN``) would otherwise score the holdout too, and an agent could
    overfit it unseen. The frozen original is put back before anything checks the lock
    (and a reset restores it after a kill).
    """
    if not golden or not scored or scored == golden:
        yield
        return
    original_path, visible_path = cwd / golden, cwd / scored
    try:
        original = original_path.read_bytes()
        visible = visible_path.read_bytes()
    except OSError:
        yield
        return
    original_path.write_bytes(visible)
    try:
        yield
    finally:
        original_path.write_bytes(original)
