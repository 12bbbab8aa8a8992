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
from pytest_autoimprove.errors import GuardError, UsageError
from pytest_autoimprove.generators import scored_golden
from pytest_autoimprove.loop import integrity
from pytest_autoimprove.loop.gate import GateResult, run_gate
from pytest_autoimprove.loop.sandbox import (
    ProcessCost,
    Sandbox,
    Tampered,
    children_cpu,
    python_path_first,
    reading_interval,
    timed_share,
)
from pytest_autoimprove.names import GOLDEN_ENV, GOLDEN_SPLIT_DIR, SCORE_FILE_ENV
from pytest_autoimprove.process import as_pytest_argv, python_path

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig
    from pytest_autoimprove.process import CommandResult


@dataclass
class Measured:
    """What one tree's benchmark runs left behind, for messages, guard metrics and the
    cross-check (what each run cost its processes)."""

    outputs: list[str] = field(default_factory=list)
    guards: dict[str, list[float]] = field(default_factory=dict)
    failure: str = ""
    costs: list[ProcessCost] = field(default_factory=list)

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
    repo_root: Path | None = None
    #: Every command runs in a session of it (None: checks off, for benchmarks/).
    sandbox: Sandbox | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.sandbox is None and integrity.ENABLED:
            sandbox = Sandbox(self.config, self.run_dir, self.repo_root)
            object.__setattr__(self, "sandbox", sandbox)

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
        """The test gate on the tree as it is (number 0: the baseline).

        ``tampered`` is set when the session reached into the judge in a way the
        baseline's session did not (what the baseline does is learnt, not held against it).
        """
        sandbox = self.sandbox
        result = run_gate(
            self.cwd,
            command=self.config.check.test,
            pytest_args=self.pytest_args,
            guard_tests=self.lock_tests,
            report_dir=self.run_dir,
            timeout=self.config.check.timeout,
            env=self.env(),
            log_path=self._logs() / f"{number:04d}-tests.log",
            sandbox=sandbox,
            sandbox_key=str(number),
            in_scope=None if sandbox is None else self._scope_test(number),
        )
        if sandbox is None or result.tampered:
            return result
        problems = sandbox.judge("tests", result.findings, number=number)
        return replace(result, tampered=_one_reason(problems)) if problems else result

    def _scope_test(self, number: int) -> Callable[[str], bool]:
        assert self.sandbox is not None
        sandbox, tree = self.sandbox, self.worktree
        return lambda path: sandbox.is_scope(tree, str(number), path)

    def for_tree(self, worktree: Path) -> Checks:
        """The same checks on another checkout of the run (the best commit's worktree)."""
        path = worktree / self.config.path.relative_to(self.worktree)
        return replace(self, config=replace(self.config, path=path), worktree=worktree)

    def measure(
        self,
        number: int,
        measured: Measured,
        *,
        log_name: str = "bench",
        split: str | None = None,
    ) -> Callable[[], float | None]:
        """One benchmark run per call: its score, or ``None`` (why: ``measured.failure``).

        The last run's output is in ``logs/<number>-<log_name>.log``.

        :param split: the golden split to score, relative to the repo (default: the
            visible one, what the loop optimizes).
        """
        config = self.config
        from pytest_autoimprove.process import run_command

        command = config.check.run
        golden = split or scored_golden(self.cwd, config.check.golden)
        if golden:
            command = command.replace("{golden}", shlex.quote(golden))
        use_fixture = config.check.score is None and as_pytest_argv(command) is not None
        logs = self._logs()

        def measure() -> float | None:
            with contextlib.ExitStack() as stack:
                env: dict[str, str | None] = dict(self.env())
                if split:
                    env[GOLDEN_ENV] = str(self.cwd / split)
                session = None
                if self.sandbox is not None:
                    session = stack.enter_context(
                        self.sandbox.session("benchmark", self.worktree, key=str(number))
                    )
                    env = python_path_first(env, session.env)
                score_file: Path | None = None
                if use_fixture:
                    score_file = (
                        session.score_file
                        if session is not None
                        else self.run_dir / f"scores-{secrets.token_hex(6)}.jsonl"
                    )
                    env[SCORE_FILE_ENV] = str(score_file)
                cpu = children_cpu()
                with visible_split_in_place(self.cwd, config.check.golden, golden):
                    result = run_command(
                        command,
                        cwd=self.cwd,
                        timeout=config.check.timeout,
                        env=env,
                        log_path=logs / f"{number:04d}-{log_name}.log",
                    )
                cpu = children_cpu() - cpu
                score = self._score(result, measured, score_file, use_fixture)
            if session is not None:
                assert self.sandbox is not None
                problems = self.sandbox.judge("benchmark", session.findings(), number=number)
                if problems:
                    raise Tampered(_one_reason(problems))
                ends = session.ends()
                share = timed_share(ends, wall=result.duration, cpu=cpu)
                interval = reading_interval(ends)
                measured.costs.append(ProcessCost(result.duration, cpu, share, interval))
                if number == 0:
                    self.sandbox.note_best(measured.costs)
            return score

        return measure

    def holdout_split(self) -> str | None:
        """The holdout split ``generate`` wrote for a quality goal, relative to the repo."""
        if self.config.check.kind != "quality" or not self.config.check.golden:
            return None
        folder = self.cwd / GOLDEN_SPLIT_DIR
        if not folder.is_dir():
            return None
        found = sorted(p for p in folder.iterdir() if p.is_file() and p.stem == "holdout")
        return found[0].relative_to(self.cwd).as_posix() if found else None

    def holdout_score(self, number: int) -> float | None:
        """The benchmark's score on the holdout split (one run); ``None``: no holdout, or failed."""
        split = self.holdout_split()
        if split is None:
            return None
        return self.measure(number, Measured(), log_name="holdout", split=split)()

    def generalization(
        self, best: tuple[float, float | None], visible: float, holdout: float | None
    ) -> str | None:
        """Why a visible gain from ``best`` ``(visible, holdout)`` does not carry over, or ``None``.

        Quality goals only: the visible gain must fix about the same share of errors on
        the holdout (:mod:`pytest_autoimprove.runtime.generalization`).
        """
        split = self.holdout_split()
        scored = scored_golden(self.cwd, self.config.check.golden)
        if split is None or scored is None or best[1] is None or holdout is None:
            return None
        from pytest_autoimprove.runtime.generalization import Split, generalization_problem
        from pytest_autoimprove.runtime.golden import read_golden

        try:
            rows = [len(read_golden(self.cwd / rel).records) for rel in (scored, split)]
        except UsageError:
            return None
        return generalization_problem(
            Split(best[0], visible, rows[0]),
            Split(best[1], holdout, rows[1]),
            goal=self.config.check.goal,
        )

    def _score(
        self,
        result: CommandResult,
        measured: Measured,
        score_file: Path | None,
        use_fixture: bool,
    ) -> float | None:
        """One benchmark run's score, or ``None`` (why: ``measured.failure``)."""
        from pytest_autoimprove.score import extract_score, fixture_score, guard_name

        config = self.config
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

    def claim_problem(
        self, best_score: float, score: float, measured: Measured, beside: Measured | None = None
    ) -> str | None:
        """Why a speed goal's claimed gain does not show in what its processes spent.

        :param beside: the best's runs measured beside the candidate's (the A/B keep rule),
            compared when there are any; else the best's runs when it was measured last.
        """
        if self.sandbox is None or self.config.check.kind != "speed":
            return None
        return self.sandbox.claim_problem(
            goal=self.config.check.goal,
            best_score=best_score,
            score=score,
            costs=measured.costs,
            best_costs=beside.costs if beside is not None and beside.costs else None,
        )

    def leftover_problem(self, number: int) -> str | None:
        """What the tests and the benchmark left in the worktree, beyond what the baseline's
        left (number 0: learnt): files written by programs the watcher does not see."""
        if self.sandbox is None:
            return None
        from pytest_autoimprove.repo import untracked

        left = set(untracked(self.worktree))
        known = self.sandbox.baseline.leftovers
        if number == 0:
            known.update(left)
            self.sandbox.save()
            return None
        new = sorted(left - known)
        if not new:
            return None
        more = f" (+{len(new) - 1} more)" if len(new) > 1 else ""
        return (
            f"the tests or the benchmark left {new[0]}{more} in the worktree, which the "
            "baseline's did not: state a later run could read"
        )

    def kept(self, measured: Measured) -> None:
        """A kept candidate is the new best: its runs' costs are what the next is compared with."""
        if self.sandbox is not None:
            self.sandbox.note_best(measured.costs)

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


def _one_reason(problems: list[str]) -> str:
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


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
