"""The keep/discard engine behind ``pytest --autoimprove``: the run's lifecycle.

Pre-flight first (:mod:`~pytest_autoimprove.loop.preflight`: improve.md and the lock
committed and holding, the scope and the proposer there; nothing is created before
they pass), then the baseline (the tests must pass, the benchmark must yield a
score; when it cannot, the run removes what it created), then experiments until a
stop condition (``budget``, ``stale``, ``rounds``, ``target``, an exhausted proposer,
Ctrl-C). One experiment, from the
proposal to its recorded outcome, is :mod:`~pytest_autoimprove.loop.experiment`; how
the tests, the benchmark, the ``guard:`` metrics and the lock are run on a tree is
:mod:`~pytest_autoimprove.loop.checks`; whether a score is an improvement is
:mod:`~pytest_autoimprove.loop.keep`. This module starts or resumes a run, checks the
configuration and the lock as committed, measures the baseline, decides when to
stop, and ends the run with the summary.

The loop never imports the code it edits: proposers, tests and benchmarks run in
fresh subprocesses (:func:`~pytest_autoimprove.process.run_command`, each in its
own session with its timeout, ended with all it started). It works in
``.autoimprove/worktrees/<run>`` on branch ``autoimprove/<run>``, never in the user's
checkout, and records every step in the journal before the step acts
(:mod:`~pytest_autoimprove.loop.journal`), so ``--autoimprove-resume`` continues after
a ``kill -9``. Every process of the run carries the run's token and a watchdog ends
them if the loop dies (:class:`~pytest_autoimprove.process.Containment`); a resume
first ends what the killed run left running.

Ctrl-C (:mod:`~pytest_autoimprove.loop.interrupts`): the first one kills the step in
flight, resets the worktree to the best commit, prints the summary and exits 130;
a second one skips the summary but still leaves the worktree at the best commit.
"""

from __future__ import annotations

import atexit
import signal
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from pytest_autoimprove import guard, process, repo
from pytest_autoimprove.errors import (
    AutoimproveError,
    BaselineError,
    ConfigError,
    ExitCode,
    GuardError,
    UsageError,
)
from pytest_autoimprove.loop import keep, leftovers
from pytest_autoimprove.loop.board import FOLDER as BOARD_FOLDER
from pytest_autoimprove.loop.board import Board
from pytest_autoimprove.loop.checks import Checks, Measured
from pytest_autoimprove.loop.console import Console
from pytest_autoimprove.loop.experiment import ExperimentRunner
from pytest_autoimprove.loop.interrupts import Interrupted, signals_deferred
from pytest_autoimprove.loop.journal import (
    ExperimentRecord,
    Journal,
    RunState,
    RunSummary,
    find_run,
    load_state,
    new_run_id,
    runs_root,
)
from pytest_autoimprove.loop.paired import max_pairs_for
from pytest_autoimprove.loop.preflight import check as preflight
from pytest_autoimprove.loop.preflight import check_flags, no_lock
from pytest_autoimprove.loop.reference import SUFFIX as BEST_SUFFIX
from pytest_autoimprove.loop.reference import BestTree
from pytest_autoimprove.loop.runlock import RunLock
from pytest_autoimprove.names import (
    BRANCH_PREFIX,
    LOOP_VALUE_OPTIONS,
    OPTION_BUDGET,
    OPTION_LOOP,
    OPTION_RESUME,
    WORKTREES_DIR,
)
from pytest_autoimprove.plural import plural

if TYPE_CHECKING:
    import pytest

    from pytest_autoimprove.config import ImproveConfig
    from pytest_autoimprove.loop.parallel import ParallelRunner

#: How many tail lines of a failing baseline are shown.
TAIL_LINES = 25


@dataclass(frozen=True)
class LoopOptions:
    """What ``pytest --autoimprove`` was asked (or a test asks) to do.

    :param start: the directory the run was started from (inside the repo).
    :param pytest_args: other pytest arguments, passed on to the test gate.
    :param resume: a run id, ``"last"``, or ``None`` for a new run.
    """

    start: Path
    improve_file: str | None = None
    budget: float | None = None
    rounds: int | None = None
    stale: int | None = None
    resume: str | None = None
    pytest_args: tuple[str, ...] = ()
    workers: int | None = None


def run_from_pytest(config: pytest.Config) -> int:
    """``pytest --autoimprove``: run the loop; returns the exit code."""
    console = Console(sys.stdout)
    try:
        options = options_from_pytest(config)
        from pytest_autoimprove.manager import check_names, register_builtins

        register_builtins(config.pluginmanager)
        check_names(config.pluginmanager)
        return int(Loop(options, hook=config.hook, console=console).run())
    except AutoimproveError as exc:
        console.line(f"autoimprove: {exc}")
        return int(exc.exit_code)


def options_from_pytest(config: pytest.Config) -> LoopOptions:
    from pytest_autoimprove.config import parse_duration
    from pytest_autoimprove.plugin import improve_file

    budget_text = config.getoption("autoimprove_budget", None)
    budget = None
    if budget_text:
        try:
            budget = parse_duration(str(budget_text))
        except ValueError as exc:
            raise UsageError(f"{OPTION_BUDGET}: {exc}") from None
    for name in ("autoimprove_rounds", "autoimprove_stale", "autoimprove_workers"):
        value = config.getoption(name, None)
        if value is not None and value < 1:
            raise UsageError(f"--{name.replace('_', '-')}: must be at least 1, got {value}")
    resume = config.getoption("autoimprove_resume", None)
    return LoopOptions(
        start=Path(config.invocation_params.dir),
        improve_file=improve_file(config),
        budget=budget,
        rounds=config.getoption("autoimprove_rounds", None),
        stale=config.getoption("autoimprove_stale", None),
        resume=None if resume is None else str(resume),
        pytest_args=passthrough_args(config.invocation_params.args, resume),
        workers=config.getoption("autoimprove_workers", None),
    )


def passthrough_args(args: Sequence[str], resume: str | None = None) -> tuple[str, ...]:
    """The pytest arguments minus our own ``--autoimprove*`` options."""
    out: list[str] = []
    items = list(args)
    index = 0
    while index < len(items):
        arg = items[index]
        index += 1
        if arg == OPTION_LOOP or arg.startswith(tuple(o + "=" for o in LOOP_VALUE_OPTIONS)):
            continue
        if arg in LOOP_VALUE_OPTIONS:
            index += 1
            continue
        if arg.startswith(OPTION_RESUME):
            named = resume not in (None, "last") and "=" not in arg
            if named and index < len(items) and items[index] == resume:
                index += 1
            continue
        out.append(arg)
    return tuple(out)


class Loop:
    """One run of the loop; :meth:`run` returns the exit code."""

    def __init__(self, options: LoopOptions, *, hook: Any, console: Console) -> None:
        self.options = options
        self.hook = hook
        self.console = console
        self.interrupts = 0
        self.root = repo.find_root(options.start.resolve())
        self.state: RunState | None = None
        self.journal: Journal | None = None
        self.worktree: repo.Worktree | None = None
        self.config: ImproveConfig | None = None
        #: What every experiment uses; built once the run is open and checked.
        self.experiments: ExperimentRunner | None = None
        #: Held while the run is open: `autoimprove-guard clean` leaves it alone.
        self.lock: RunLock | None = None
        #: A parallel run's driver (``workers`` > 1, parts, or another backend).
        self.parallel: ParallelRunner | None = None
        #: The run's processes, ended with it (started once the run is open).
        self.containment: process.Containment | None = None

    # -- the run ----------------------------------------------------------

    def run(self) -> ExitCode:
        if not repo.is_repo(self.root):
            raise UsageError(f"{self.root}: not a git repository; the loop needs git (`git init`)")
        from pytest_autoimprove.config import load_config

        user_config = load_config(self.root, self.options.improve_file)
        if self.options.resume is None:
            checked = preflight(
                self.root, self.options.improve_file, user_config, self.options.pytest_args
            )
            for warning in checked.warnings:
                self.console.line(f"autoimprove: warning: {warning}")
            user_config = checked.config
        else:
            self._check_flags(user_config)
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        for sig in previous:
            signal.signal(sig, self._on_signal)
        try:
            return self._run(user_config)
        finally:
            for sig, handler in previous.items():
                # After a Ctrl-C, a late second one must not turn into a traceback
                # on the way out: the run is over and the tree is at the best commit.
                # Swallowed by a handler, not ignored: an ignored signal stays ignored
                # in every process started later (exec keeps SIG_IGN), a handled one
                # does not.
                signal.signal(sig, _swallow if self.interrupts else handler)
            if self.containment is not None:
                self.containment.close()
            if self.journal is not None:
                self.journal.close()
            if self.lock is not None:
                self.lock.release()

    def _run(self, user_config: ImproveConfig) -> ExitCode:
        try:
            self._open(user_config)
            experiments = self._prepare()
            if experiments.state.best_commit is None:
                self._baseline(experiments)
            if self.parallel is not None:
                self.parallel.run(self._stop_reason)
                why = self._stop_reason() or "nothing left in flight"
                return self._finish(why, ExitCode.OK)
            while (reason := self._stop_reason()) is None:
                experiments.run(self._claim_number())
            return self._finish(reason, ExitCode.OK)
        except (Interrupted, KeyboardInterrupt):
            return self._finish("interrupted", ExitCode.INTERRUPTED)
        except BaseException as exc:
            if self.interrupts:
                return self._finish("interrupted", ExitCode.INTERRUPTED)
            if isinstance(exc, AutoimproveError) and self._never_started():
                self._remove_run()
            else:
                self._restore_best()
            raise

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.interrupts += 1
        if self.interrupts == 1:
            self.console.line("\nautoimprove: stopping (Ctrl-C again to skip the summary)")
        raise Interrupted()

    def _check_flags(self, config: ImproveConfig) -> None:
        check_flags(config, self.options.pytest_args)

    # -- starting or resuming ----------------------------------------------

    def _open(self, user_config: ImproveConfig) -> None:
        if self.options.resume is not None:
            run_dir = find_run(self.root, self.options.resume)
            self._hold(run_dir)
            self.journal = Journal(run_dir)
            state = load_state(self.journal.events())
            self.state = state
            self._end_leftovers(state)
            self.worktree = repo.Worktree.reopen(self.root, state.worktree, state.branch)
            self.journal.rewrite_results(state.records)
            self.journal.append(
                "resume", unfinished=state.unfinished, spent=state.spent, token=state.token
            )
            self._contain(state)
            done = len(state.records)
            self.console.line(
                f"autoimprove: resuming run {state.run_id} after {done} experiment"
                f"{'s' if done != 1 else ''}" + _redone(state.pending)
            )
            return
        run_id = new_run_id()
        branch = BRANCH_PREFIX + run_id
        path = self.root / WORKTREES_DIR / run_id
        base = repo.resolve(self.root, "HEAD")
        self._hold(runs_root(self.root) / run_id)
        self.journal = Journal(runs_root(self.root) / run_id)
        repo.exclude_locally(self.root)
        token = process.new_token()
        self.journal.append(
            "start",
            run_id=run_id,
            branch=branch,
            worktree=str(path),
            base_commit=base,
            config=str(user_config.path),
            pytest_args=list(self.options.pytest_args),
            token=token,
        )
        self.state = RunState(
            run_id=run_id, branch=branch, worktree=path, base_commit=base, token=token
        )
        self._contain(self.state)
        if repo.is_dirty(self.root):
            self.console.line(
                "autoimprove: note: your checkout has uncommitted changes; the run starts "
                f"from HEAD ({base[:12]}) and does not include them"
            )
        self.worktree = repo.Worktree.create(self.root, path, branch, base)
        self.console.line(f"autoimprove: run {run_id} on branch {branch} (worktree {path})")

    def _end_leftovers(self, state: RunState) -> None:
        """End what the interrupted run left running (its proposer, its benchmark, what
        they forked) before anything touches the worktree again."""
        if state.token is None:  # a journal of 0.2 or before: nothing carries a token
            state.token = process.new_token()
            return
        ended = process.end_run(state.token)
        if ended:
            self.console.line(
                f"autoimprove: ended {len(ended)} process{'es' if len(ended) != 1 else ''} "
                f"the interrupted run left running: {', '.join(ended[:5])}"
                + (" ..." if len(ended) > 5 else "")
            )

    def _contain(self, state: RunState) -> None:
        journal = self.journal
        assert state.token is not None and journal is not None
        self.containment = process.Containment(
            state.token, log_path=journal.run_dir / "watchdog.log"
        ).start()

    def _hold(self, run_dir: Path) -> None:
        lock = RunLock(run_dir)
        pid = lock.acquire()
        if pid is not None:
            raise UsageError(
                f"run {run_dir.name} is in progress (pid {pid if pid > 0 else 'unknown'}); "
                "wait for it to end, or stop it first"
            )
        self.lock = lock

    def _never_started(self) -> bool:
        """A new run whose baseline was never recorded (its start failed)."""
        return self.options.resume is None and (
            self.state is None or self.state.best_commit is None
        )

    def _remove_run(self) -> None:
        """Take away what a run that could not start created: worktree, branch, folder."""
        state = self.state
        if state is None:
            return
        if self.journal is not None:
            self.journal.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        with signals_deferred():
            try:
                # Whatever the run made: its worktrees (a parallel run's too), refs, folder.
                for run in leftovers.find(self.root):
                    if run.run_id == state.run_id:
                        leftovers.remove(self.root, run, branch=True)
                leftovers.tidy(self.root)
            except Exception as exc:  # the reason the run did not start matters more
                self.console.line(f"autoimprove: could not remove run {state.run_id}: {exc}")

    def _prepare(self) -> ExperimentRunner:
        """Config and lock as committed (the worktree's), checked before anything runs."""
        state, tree, journal = self.state, self.worktree, self.journal
        assert state is not None and tree is not None and journal is not None
        if state.best_commit is not None:
            tree.reset(state.best_commit, recover=True)
        from pytest_autoimprove.config import find_config_path, load_config

        user_path = find_config_path(self.root, self.options.improve_file)
        try:
            relative = user_path.resolve().relative_to(self.root.resolve())
        except ValueError:
            raise UsageError(
                f"{user_path}: improve.md must live inside the repository the loop runs on"
            ) from None
        if not (tree.path / relative).is_file():
            raise ConfigError(
                user_path,
                None,
                "not committed: the loop runs on HEAD, which has no such file",
                f"commit it first (`git add {relative.as_posix()} && git commit`)",
            )
        config = load_config(tree.path, tree.path / relative)
        stop = config.stop
        stop = replace(
            stop,
            budget=self.options.budget or stop.budget,
            rounds=self.options.rounds or stop.rounds,
            stale=self.options.stale or stop.stale,
        )
        self.config = config = replace(config, stop=stop)
        if not guard.lock_file(tree.path).is_file():
            raise no_lock(self.root)
        report = guard.verify(tree.path, config)
        if not report.holds:
            raise GuardError(report.render())
        checks = Checks(
            config,
            tree.path,
            journal.run_dir,
            pytest_args=self.options.pytest_args,
            lock_tests=report.lock.guard_tests,
            repo_root=self.root,
        )
        self.experiments = ExperimentRunner(
            state=state,
            journal=journal,
            tree=tree,
            config=config,
            checks=checks,
            plan=keep.plan_repeats(config.check.repeats),
            hook=self.hook,
            console=self.console,
            best=BestTree(self.root, Path(f"{state.worktree}{BEST_SUFFIX}"), checks),
            max_pairs=max_pairs_for(config.check.repeats),
        )
        workers = self.options.workers or config.agent.workers
        if workers > 1 or config.agent.backend != "local" or config.change.parts:
            self.parallel = self._parallel(self.experiments, workers)
        return self.experiments

    def _parallel(self, experiments: ExperimentRunner, workers: int) -> ParallelRunner:
        """The driver of a parallel run, with the executor its backend names."""
        from pytest_autoimprove.loop.attempt import Attempts
        from pytest_autoimprove.loop.executors import Executor
        from pytest_autoimprove.loop.parallel import ParallelRunner

        config, state, journal = experiments.config, experiments.state, experiments.journal
        backend = config.agent.backend
        executor = self.hook.pytest_autoimprove_executor(
            backend=backend, workers=workers, config=config
        )
        if executor is None:
            raise config.error(
                "agent.backend",
                f"no executor handles backend {backend!r}",
                "use local or ray (`pip install 'pytest-autoimprove[ray]'`), or install "
                "the plugin that provides it",
            )
        if not isinstance(executor, Executor):
            raise UsageError(
                f"a pytest_autoimprove_executor hook returned {type(executor).__name__}, "
                "not an Executor"
            )
        journal.parallel = True
        journal.rewrite_results(state.records)
        console = self.console
        console.workers = executor.slots
        attempts = Attempts(
            root=self.root,
            run_id=state.run_id,
            run_dir=journal.run_dir,
            worktree=state.worktree,
            config=config,
            checks=experiments.checks,
            hook=self.hook,
            best=experiments.best,
            max_pairs=experiments.max_pairs,
            journal=journal,
            baseline_guards=state.baseline_guards,
            show=console.worker,
            board=Board(journal.run_dir / BOARD_FOLDER),
        )
        self.console.line(
            f"autoimprove: {executor.slots} worker{'s' if executor.slots != 1 else ''} "
            f"({backend})"
            + (
                f", parts: {', '.join(p.name for p in config.change.parts)}"
                if config.change.parts
                else ""
            )
        )
        return ParallelRunner(
            state=state,
            journal=journal,
            tree=experiments.tree,
            attempts=attempts,
            executor=executor,
            console=console,
            hook=self.hook,
            parts=tuple(part.name for part in config.change.parts),
        )

    # -- baseline -------------------------------------------------------------

    def _baseline(self, experiments: ExperimentRunner) -> None:
        state, tree, journal, config = (
            experiments.state,
            experiments.tree,
            experiments.journal,
            experiments.config,
        )
        checks = experiments.checks
        commit = tree.head()
        journal.append("step", number=0, step="baseline")
        gating = time.monotonic()
        with self.console.step("baseline: tests"):
            gate = checks.gate(0)
        gate_seconds = round(time.monotonic() - gating, 3)
        if not gate.passed:
            raise BaselineError(
                f"the baseline fails its tests ({gate.reason}):\n{gate.tail}\n"
                "fix the tests on HEAD before starting the loop"
            )
        measured = Measured()
        try:
            with self.console.step("baseline: benchmark"):
                samples = keep.sample(checks.measure(0, measured), experiments.plan.baseline_runs)
        except keep.MeasurementFailed:
            raise BaselineError(
                f"the baseline benchmark yields no score ({measured.failure}):\n"
                f"{_tail(measured.outputs[-1] if measured.outputs else '')}\n"
                "fix `run:` (it must print the score"
                + (f" matching `{config.check.score.pattern}`" if config.check.score else "")
                + ") before starting the loop"
            ) from None
        checks.leftover_problem(0)  # what the baseline leaves behind is not held against anyone
        guards = measured.guard_medians()
        noise = keep.estimate_noise(samples)
        score = statistics.median(samples)
        from pytest_autoimprove.score import metric_name, score_unit

        # Quality goals: what a kept visible gain must carry over to (checks.generalization).
        holdout = checks.holdout_score(0)
        holdout_field = {} if holdout is None else {"holdout": holdout}
        journal.append(
            "baseline",
            commit=commit,
            score=score,
            samples=list(samples),
            guards=guards,
            # For the report's labels: what the score measures, in which unit.
            goal=config.check.goal,
            metric=metric_name(config.check.score, config.check.kind),
            unit=score_unit(measured.outputs[-1], config.check.score) if measured.outputs else None,
            # How long a test gate takes here: a parallel run's gate slots start from it.
            gate_seconds=gate_seconds,
            **holdout_field,
        )
        state.baseline_score = state.best_score = score
        state.baseline_samples = state.best_samples = samples
        state.baseline_guards = guards
        state.best_holdout = holdout
        state.best_commit = commit
        state.baseline_gate = gate_seconds
        self.console.line(f"baseline: score {score:.6g} ({noise}); {gate.reason}")

    # -- between experiments ------------------------------------------------------

    def _claim_number(self) -> int:
        state = self.state
        assert state is not None
        number = state.unfinished or state.next_number
        state.unfinished = None
        return number

    def _stop_reason(self) -> str | None:
        state, config = self.state, self.config
        assert state and config
        stop = config.stop
        if self.interrupts:
            return "interrupted"
        if self.experiments is not None and self.experiments.exhausted:
            return "the proposer has nothing left to try"
        if self.parallel is not None and self.parallel.exhausted:
            return "the proposer has nothing left to try"
        if stop.target is not None and state.best_score is not None:
            reached = (
                state.best_score >= stop.target
                if config.check.goal == "higher"
                else state.best_score <= stop.target
            )
            if reached:
                return f"target {stop.target:g} reached"
        if stop.rounds is not None and len(state.records) >= stop.rounds:
            return f"{plural(stop.rounds, 'round')} done"
        if stop.stale is not None and state.stale >= stop.stale:
            return f"{plural(stop.stale, 'experiment')} in a row without a keep"
        if stop.budget is not None and state.spent >= stop.budget:
            return f"budget of {stop.budget:g}s spent"
        return None

    # -- the end ----------------------------------------------------------------

    def _restore_best(self) -> None:
        """The worktree back at the best commit; the best's own worktree removed."""
        state, tree = self.state, self.worktree
        if state is None or tree is None or state.best_commit is None:
            return
        with signals_deferred():
            try:
                tree.reset(state.best_commit, recover=True)
                if self.experiments is not None:
                    self.experiments.best.remove()
                if self.parallel is not None:
                    self.parallel.attempts.remove_trees()
            except Exception as exc:  # git failing here must not hide why the run ended
                self.console.line(f"autoimprove: could not reset the worktree: {exc}")

    def _finish(self, reason: str, code: ExitCode) -> ExitCode:
        state, journal = self.state, self.journal
        try:
            # One block: a second Ctrl-C that lands during the reset waits until the stop
            # is journaled too (then it only skips the summary).
            with signals_deferred():
                self._restore_best()
                if state is None or journal is None:
                    return code
                journal.append("stop", reason=reason, exit_code=int(code))
            summary = RunSummary(
                run_id=state.run_id,
                branch=state.branch,
                run_dir=journal.run_dir,
                worktree=state.worktree,
                goal=self.config.check.goal if self.config else "higher",
                baseline=state.baseline_score,
                best=state.best_score,
                best_commit=state.best_commit,
                counts=dict(state.counts()),
                experiments=len(state.records),
                stop_reason=reason,
                exit_code=int(code),
                measured_change=_measured_change(state.records),
            )
            if self.interrupts < 2:
                self.console.summary(summary)
                self.hook.pytest_autoimprove_run_finished(summary=summary)
        except (Interrupted, KeyboardInterrupt):
            # A second Ctrl-C: stop at once, but never leave the tree off the best commit.
            signal.signal(signal.SIGINT, _swallow)
            self._restore_best()
            return ExitCode.INTERRUPTED
        return code


def _swallow(signum: int, frame: object) -> None:
    """A signal that comes too late to change anything: nothing to do."""


def _ignore_at_exit() -> None:
    """At interpreter exit Python resets its handlers to the default (a late Ctrl-C would
    then kill the process with a traceback-less -2): what :func:`_swallow` handles is
    ignored from there on, when no process is started any more."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(sig) is _swallow:
            signal.signal(sig, signal.SIG_IGN)


atexit.register(_ignore_at_exit)


def _measured_change(records: Sequence[ExperimentRecord]) -> float | None:
    """The kept experiments' relative changes compounded, when any was measured in
    A/B pairs (else ``None``: the plain ratio of best to baseline says the same)."""
    kept = [r for r in records if r.status == "kept"]
    if not any(r.best_beside for r in kept) or any(r.relative_delta is None for r in kept):
        return None
    factor = 1.0
    for record in kept:
        assert record.relative_delta is not None
        factor *= 1.0 + record.relative_delta
    return factor - 1.0


def _redone(numbers: Sequence[int]) -> str:
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f" (experiment {numbers[0]} is done again)"
    return f" (experiments {', '.join(map(str, numbers))} are done again)"


def _tail(text: str) -> str:
    return "\n".join(text.rstrip("\n").splitlines()[-TAIL_LINES:])
