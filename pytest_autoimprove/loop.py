"""The keep/discard engine behind ``pytest --autoimprove``.

Baseline first (the lock must hold, the tests must pass, the benchmark must
yield a score), then, until a stop condition: a proposer changes the loop's own
worktree; the change is classified (``no-op``, ``tampered``, ``out-of-scope``:
discarded without running anything); it is committed; the test gate runs
(:mod:`~pytest_autoimprove.gate`); the benchmark runs as often as the keep rule
(:mod:`~pytest_autoimprove.keep`) needs; the commit is kept only when the gain is
beyond ``min_delta`` and beyond the noise, with every ``guard:`` metric holding.
Everything else is reset to the best commit.

The loop never imports the code it edits: proposers, tests and benchmarks run in
fresh subprocesses (:func:`~pytest_autoimprove.measure.run_command`, each in its
own process group with its timeout). It works in ``.autoimprove/worktrees/<run>``
on branch ``autoimprove/<run>``, never in the user's checkout, and records every
step in the journal before the step acts (:mod:`~pytest_autoimprove.journal`), so
``--autoimprove-resume`` continues after a ``kill -9``.

Ctrl-C: the first one kills the step in flight, resets the worktree to the best
commit, prints the summary and exits 130; a second one skips the summary but
still leaves the worktree at the best commit.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shlex
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from pytest_autoimprove import guard, keep, repo
from pytest_autoimprove.console import Console
from pytest_autoimprove.errors import (
    AutoimproveError,
    BaselineError,
    ConfigError,
    ExitCode,
    GuardError,
    UsageError,
)
from pytest_autoimprove.gate import as_pytest_argv, run_gate, snapshot_flag
from pytest_autoimprove.generators import scored_golden
from pytest_autoimprove.journal import (
    ExperimentRecord,
    Journal,
    RunState,
    RunSummary,
    find_run,
    load_state,
    new_run_id,
    runs_root,
)
from pytest_autoimprove.prompt import render_program
from pytest_autoimprove.proposers import PastExperiment, Proposal, ProposalContext

if TYPE_CHECKING:
    import pytest

    from pytest_autoimprove.config import ImproveConfig

WORKTREES_DIR = ".autoimprove/worktrees"
BRANCH_PREFIX = "autoimprove/"
REFS_PREFIX = "refs/autoimprove/"
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


def run_from_pytest(config: pytest.Config) -> int:
    """``pytest --autoimprove``: run the loop; returns the exit code."""
    console = Console(sys.stdout)
    try:
        options = options_from_pytest(config)
        from pytest_autoimprove.plugins import check_names, register_builtins

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
            raise UsageError(f"--autoimprove-budget: {exc}") from None
    for name in ("autoimprove_rounds", "autoimprove_stale"):
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
    )


_VALUE_OPTIONS = (
    "--autoimprove-file",
    "--autoimprove-budget",
    "--autoimprove-rounds",
    "--autoimprove-stale",
)


def passthrough_args(args: Sequence[str], resume: str | None = None) -> tuple[str, ...]:
    """The pytest arguments minus our own ``--autoimprove*`` options."""
    out: list[str] = []
    items = list(args)
    index = 0
    while index < len(items):
        arg = items[index]
        index += 1
        if arg == "--autoimprove" or arg.startswith(tuple(o + "=" for o in _VALUE_OPTIONS)):
            continue
        if arg in _VALUE_OPTIONS:
            index += 1
            continue
        if arg.startswith("--autoimprove-resume"):
            named = resume not in (None, "last") and "=" not in arg
            if named and index < len(items) and items[index] == resume:
                index += 1
            continue
        out.append(arg)
    return tuple(out)


class _Interrupted(Exception):
    """Raised (instead of KeyboardInterrupt) by our SIGINT/SIGTERM handler."""


@dataclass
class _Measured:
    """What one benchmark run left behind, for messages and guard metrics."""

    outputs: list[str] = field(default_factory=list)
    guards: dict[str, list[float]] = field(default_factory=dict)
    failure: str = ""


class Loop:
    """One run of the loop; :meth:`run` returns the exit code."""

    def __init__(self, options: LoopOptions, *, hook: Any, console: Console) -> None:
        self.options = options
        self.hook = hook
        self.console = console
        self.interrupts = 0
        #: Set when the proposer says it has nothing left to try (tune's search is done).
        self.exhausted: str | None = None
        self.root = repo.find_root(options.start.resolve())
        self.state: RunState | None = None
        self.journal: Journal | None = None
        self.worktree: repo.Worktree | None = None
        self.config: ImproveConfig | None = None
        self.lock_tests = 0
        self.plan = keep.plan_repeats(None)

    # -- the run ----------------------------------------------------------

    def run(self) -> ExitCode:
        if not repo.is_repo(self.root):
            raise UsageError(f"{self.root}: not a git repository; the loop needs git (`git init`)")
        from pytest_autoimprove.config import load_config

        user_config = load_config(self.root, self.options.improve_file)
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
                signal.signal(sig, signal.SIG_IGN if self.interrupts else handler)
            if self.journal is not None:
                self.journal.close()

    def _run(self, user_config: ImproveConfig) -> ExitCode:
        try:
            self._open(user_config)
            self._prepare()
            assert self.state is not None
            if self.state.best_commit is None:
                self._baseline()
            while (reason := self._stop_reason()) is None:
                self._experiment(self._claim_number())
            return self._finish(reason, ExitCode.OK)
        except (_Interrupted, KeyboardInterrupt):
            return self._finish("interrupted", ExitCode.INTERRUPTED)
        except BaseException:
            if self.interrupts:
                return self._finish("interrupted", ExitCode.INTERRUPTED)
            self._restore_best()
            raise

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.interrupts += 1
        if self.interrupts == 1:
            self.console.line("\nautoimprove: stopping (Ctrl-C again to skip the summary)")
        raise _Interrupted()

    def _check_flags(self, config: ImproveConfig) -> None:
        sources = [
            ("check.test", config.check.test or ""),
            ("check.run", config.check.run),
        ]
        for key, text in sources:
            flag = snapshot_flag(text)
            if flag:
                raise config.error(
                    key,
                    f"{flag} rewrites expected outputs, so every test run would pass",
                    f"remove {flag} from the command",
                )
        flag = snapshot_flag(self.options.pytest_args) or snapshot_flag(
            os.environ.get("PYTEST_ADDOPTS", "")
        )
        if flag:
            raise UsageError(
                f"{flag}: snapshot-update flags would make every test run pass; "
                "remove it from the command line / PYTEST_ADDOPTS"
            )

    # -- starting or resuming ----------------------------------------------

    def _open(self, user_config: ImproveConfig) -> None:
        if self.options.resume is not None:
            run_dir = find_run(self.root, self.options.resume)
            self.journal = Journal(run_dir)
            state = load_state(self.journal.events())
            self.state = state
            self.worktree = repo.Worktree.reopen(self.root, state.worktree, state.branch)
            self.journal.rewrite_results(state.records)
            self.journal.append("resume", unfinished=state.unfinished, spent=state.spent)
            done = len(state.records)
            self.console.line(
                f"autoimprove: resuming run {state.run_id} after {done} experiment"
                f"{'s' if done != 1 else ''}"
                + (f" (experiment {state.unfinished} is done again)" if state.unfinished else "")
            )
            return
        run_id = new_run_id()
        branch = BRANCH_PREFIX + run_id
        path = self.root / WORKTREES_DIR / run_id
        base = repo.resolve(self.root, "HEAD")
        self.journal = Journal(runs_root(self.root) / run_id)
        repo.exclude_locally(self.root)
        self.journal.append(
            "start",
            run_id=run_id,
            branch=branch,
            worktree=str(path),
            base_commit=base,
            config=str(user_config.path),
            pytest_args=list(self.options.pytest_args),
        )
        self.state = RunState(run_id=run_id, branch=branch, worktree=path, base_commit=base)
        if repo.is_dirty(self.root):
            self.console.line(
                "autoimprove: note: your checkout has uncommitted changes; the run starts "
                f"from HEAD ({base[:12]}) and does not include them"
            )
        self.worktree = repo.Worktree.create(self.root, path, branch, base)
        self.console.line(f"autoimprove: run {run_id} on branch {branch} (worktree {path})")

    def _prepare(self) -> None:
        """Config and lock as committed (the worktree's), checked before anything runs."""
        state, tree = self.state, self.worktree
        assert state is not None and tree is not None
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
        self.config = replace(config, stop=stop)
        self.plan = keep.plan_repeats(config.check.repeats)
        if not guard.lock_file(tree.path).is_file():
            if guard.lock_file(self.root).is_file():
                raise GuardError(
                    f"{guard.LOCK_PATH}: not committed; the loop runs on HEAD: commit it "
                    f"(`git add {guard.LOCK_PATH} && git commit`)"
                )
            raise GuardError(
                f"{guard.LOCK_PATH}: not found; run `autoimprove-guard freeze` and commit the lock"
            )
        report = guard.verify(tree.path, self.config)
        if not report.holds:
            raise GuardError(report.render())
        self.lock_tests = report.lock.guard_tests

    @property
    def cwd(self) -> Path:
        assert self.config is not None
        return self.config.root

    def _env(self) -> dict[str, str]:
        """PYTHONPATH points at the worktree, so an editable install of the user's
        checkout does not shadow the code under experiment."""
        assert self.worktree is not None and self.config is not None
        entries = [str(self.worktree.path)]
        if (self.worktree.path / "src").is_dir():
            entries.insert(0, str(self.worktree.path / "src"))
        if os.environ.get("PYTHONPATH"):
            entries.append(os.environ["PYTHONPATH"])
        env = {"PYTHONPATH": os.pathsep.join(entries)}
        golden = scored_golden(self.cwd, self.config.check.golden)
        if golden:
            env["AUTOIMPROVE_GOLDEN"] = str(self.cwd / golden)
        return env

    # -- baseline -------------------------------------------------------------

    def _baseline(self) -> None:
        state, tree, journal, config = self.state, self.worktree, self.journal, self.config
        assert state and tree and journal and config
        commit = tree.head()
        journal.append("step", number=0, step="baseline")
        with self.console.step("baseline: tests"):
            gate = self._gate(0)
        if not gate.passed:
            raise BaselineError(
                f"the baseline fails its tests ({gate.reason}):\n{gate.tail}\n"
                "fix the tests on HEAD before starting the loop"
            )
        measured = _Measured()
        try:
            with self.console.step("baseline: benchmark"):
                samples = keep.sample(self._measure(0, measured), self.plan.baseline_runs)
        except keep.MeasurementFailed:
            raise BaselineError(
                f"the baseline benchmark yields no score ({measured.failure}):\n"
                f"{_tail(measured.outputs[-1] if measured.outputs else '')}\n"
                "fix `run:` (it must print the score"
                + (f" matching `{config.check.score.pattern}`" if config.check.score else "")
                + ") before starting the loop"
            ) from None
        guards = {name: statistics.median(v) for name, v in measured.guards.items() if v}
        noise = keep.estimate_noise(samples)
        score = statistics.median(samples)
        journal.append("baseline", commit=commit, score=score, samples=list(samples), guards=guards)
        state.baseline_score = state.best_score = score
        state.baseline_samples = state.best_samples = samples
        state.baseline_guards = guards
        state.best_commit = commit
        self.console.line(f"baseline: score {score:.6g} ({noise}); {gate.reason}")

    # -- one experiment ---------------------------------------------------------

    def _claim_number(self) -> int:
        state = self.state
        assert state is not None
        number = state.unfinished or state.next_number
        state.unfinished = None
        return number

    def _experiment(self, number: int) -> None:
        state, tree, journal, config = self.state, self.worktree, self.journal, self.config
        assert state and tree and journal and config
        assert state.best_commit is not None and state.best_score is not None
        best_commit, best_score = state.best_commit, state.best_score
        started = time.monotonic()
        journal.append("begin", number=number, best=best_commit)

        def record(status: str, description: str, **fields: Any) -> None:
            duration = time.monotonic() - started
            self._record(
                ExperimentRecord(
                    state.run_id, number, status, description, duration=duration, **fields
                ),
                best_samples=None,
            )

        with self.console.step(f"#{number} propose"):
            proposal = self._propose(number)
        description = _one_line(proposal.description) or f"experiment {number}"
        if proposal.failed:
            record("crashed", description, reason=proposal.failed)
            return
        listing = tree.changes(best_commit, caches=True)
        changes = [change for change in listing if change.status != "cache"]
        paths = tuple(change.path for change in changes)
        if not changes:
            record("no-op", description, reason="the proposer changed nothing")
            if proposal.exhausted:
                self.exhausted = description
            return
        protected = [c.path for c in changes if guard.is_protected(c.path, tree.path, config)]
        if protected:
            record("tampered", description, reason=f"touched {protected[0]}", changed=paths)
            return
        kept_changes = [c for c in changes if c.status != "ignored"]
        outside = [c.path for c in kept_changes if not config.change.in_scope(c.path)]
        if outside:
            record("out-of-scope", description, reason=f"touched {outside[0]}", changed=paths)
            return
        if not kept_changes:
            record("no-op", description, reason="only ignored files changed", changed=paths)
            return
        # Ignored files and caches are removed before anything runs; when the
        # listing shows none, there is nothing for `git clean -X` to do.
        staged = tree.stage(remove_ignored=len(listing) > len(kept_changes))
        flag = snapshot_flag(tree.staged_lines(best_commit))
        if flag:
            record("tampered", description, reason=f"added {flag}", changed=paths)
            return
        # Every changed path was checked against the protected list above; the
        # lock itself is re-verified once, after the tests and the benchmark ran.
        journal.append("staged", number=number, tree=staged)

        def finish(status: str, **fields: Any) -> None:
            ref = f"{REFS_PREFIX}{state.run_id}/{number}"
            final = self._commit(staged, description, status, number, fields, ref)
            record(status, description, commit=final, changed=paths, **fields)

        with self.console.step(f"#{number} tests"):
            gate = self._gate(number)
        if not gate.passed:
            finish("failed", reason=gate.reason)
            return
        measured = _Measured()
        try:
            with self.console.step(f"#{number} benchmark"):
                verdict = keep.judge(
                    state.best_samples,
                    self._measure(number, measured),
                    goal=config.check.goal,
                    min_delta=config.check.min_delta.value,
                    min_delta_relative=config.check.min_delta.relative,
                    keep_if_equal=config.check.keep_if_equal,
                    max_repeats=self.plan.max_repeats,
                )
        except keep.MeasurementFailed as exc:
            samples = exc.samples
            finish("crashed", reason=measured.failure or "no score", samples=samples)
            return
        problem = self._lock_problem()
        if problem:
            finish("tampered", reason=f"the tests or benchmark changed frozen files: {problem}")
            return
        score = verdict.candidate
        numbers: dict[str, Any] = {
            "score": score,
            "delta": score - best_score,
            "relative_delta": (score - best_score) / abs(best_score) if best_score else None,
            "samples": verdict.samples,
        }
        guards = {name: statistics.median(v) for name, v in measured.guards.items() if v}
        numbers["guards"] = guards
        broken = self._guard_problem(guards)
        if not verdict.keep or broken:
            finish("discarded", reason=broken or verdict.reason, **numbers)
            return
        final = self._commit(staged, description, "kept", number, numbers, tree.branch_ref)
        best_samples = verdict.samples
        if len(best_samples) < self.plan.baseline_runs and not keep.is_constant(best_samples):
            try:
                with self.console.step(f"#{number} re-measure best"):
                    best_samples = keep.sample(
                        self._measure(number, _Measured()),
                        self.plan.baseline_runs,
                        start=verdict.samples,
                    )
            except keep.MeasurementFailed:
                best_samples = verdict.samples
        self._record(
            ExperimentRecord(
                run_id=state.run_id,
                number=number,
                status="kept",
                description=description,
                commit=final,
                reason=verdict.reason,
                duration=time.monotonic() - started,
                changed=paths,
                **numbers,
            ),
            best_samples=best_samples,
        )

    def _propose(self, number: int) -> Proposal:
        state, tree, config = self.state, self.worktree, self.config
        assert state and tree and config
        assert state.best_score is not None and state.baseline_score is not None
        history = tuple(
            PastExperiment(r.number, r.status, r.description, r.score, r.delta)
            for r in state.records
        )
        timeout = config.agent.timeout
        if config.stop.budget is not None:
            timeout = max(1.0, min(timeout, config.stop.budget - state.spent))
        context = ProposalContext(
            worktree=tree.path,
            config=config,
            run_dir=self._run_dir,
            experiment=number,
            baseline_score=state.baseline_score,
            best_score=state.best_score,
            history=history,
            prompt=render_program(
                config,
                experiment=number,
                baseline_score=state.baseline_score,
                best_score=state.best_score,
                history=history,
            ),
            timeout=timeout,
            extra={"best_commit": state.best_commit, "run_id": state.run_id},
        )
        proposal = self.hook.pytest_autoimprove_propose(context=context)
        if proposal is None:
            raise config.error(
                "agent.provider",
                f"no proposer handles provider {config.agent.provider!r}",
                "use claude, codex, gemini, aider or command, or install the plugin "
                "that provides it",
            )
        if not isinstance(proposal, Proposal):
            raise UsageError(
                f"a pytest_autoimprove_propose hook returned {type(proposal).__name__}, "
                "not a Proposal"
            )
        return proposal

    def _record(self, record: ExperimentRecord, *, best_samples: Sequence[float] | None) -> None:
        """Journal first (the moment the experiment counts), then reset, then tell people."""
        state, tree, journal = self.state, self.worktree, self.journal
        assert state and tree and journal
        extra: dict[str, Any] = {}
        if record.status == "kept":
            extra["best_samples"] = list(best_samples or record.samples)
        journal.append("experiment", record=record.to_json(), **extra)
        state.records.append(record)
        state.spent += record.duration
        if record.status == "kept":
            state.best_commit = record.commit
            state.best_score = record.score
            state.best_samples = tuple(best_samples or record.samples)
        journal.add_result(record)
        assert state.best_commit is not None
        with _signals_deferred():
            tree.reset(state.best_commit)
        self.console.experiment(record)
        self.hook.pytest_autoimprove_experiment(record=record)

    def _commit(
        self,
        staged: str,
        description: str,
        status: str,
        number: int,
        fields: dict[str, Any],
        ref: str,
    ) -> str:
        """The experiment's commit of its staged tree on the best commit, made once its
        outcome is known so that its message carries the ``Result:`` trailer."""
        state, tree = self.state, self.worktree
        assert state and tree
        result = {
            "status": status,
            "score": fields.get("score"),
            "delta": fields.get("delta"),
            "experiment": number,
            "run": state.run_id,
        }
        if fields.get("reason") and status != "kept":
            result["reason"] = str(fields["reason"])[:200]
        message = f"{description}\n\nResult: {json.dumps(result, sort_keys=True)}\n"
        assert state.best_commit is not None
        with _signals_deferred():
            return tree.commit(staged, state.best_commit, message, ref)

    # -- steps ------------------------------------------------------------------

    @property
    def _run_dir(self) -> Path:
        assert self.journal is not None
        return self.journal.run_dir

    def _gate(self, number: int) -> Any:
        config, tree = self.config, self.worktree
        assert config and tree
        logs = self._run_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        return run_gate(
            self.cwd,
            command=config.check.test,
            pytest_args=self.options.pytest_args,
            guard_tests=self.lock_tests,
            report_dir=self._run_dir,
            timeout=config.check.timeout,
            env=self._env(),
            log_path=logs / f"{number:04d}-tests.log",
        )

    def _measure(self, number: int, measured: _Measured) -> Callable[[], float | None]:
        config = self.config
        assert config is not None
        from pytest_autoimprove.measure import extract_score, guard_name, run_command

        command = config.check.run
        golden = scored_golden(self.cwd, config.check.golden)
        if golden:
            command = command.replace("{golden}", shlex.quote(golden))
        use_fixture = config.check.score is None and as_pytest_argv(command) is not None
        logs = self._run_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)

        def measure() -> float | None:
            env = self._env()
            score_file: Path | None = None
            if use_fixture:
                from pytest_autoimprove.plugin import SCORE_FILE_ENV

                score_file = self._run_dir / f"scores-{secrets.token_hex(6)}.jsonl"
                env[SCORE_FILE_ENV] = str(score_file)
            result = run_command(
                command,
                cwd=self.cwd,
                timeout=config.check.timeout,
                env=env,
                log_path=logs / f"{number:04d}-bench.log",
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
                _fixture_score(score_file)
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

    def _guard_problem(self, guards: dict[str, float]) -> str | None:
        config, state = self.config, self.state
        assert config and state
        from pytest_autoimprove.measure import check_guard, guard_name

        for metric in config.check.guards:
            name = guard_name(metric)
            problem = check_guard(
                metric, baseline=state.baseline_guards.get(name), value=guards.get(name)
            )
            if problem:
                return f"guard {problem}"
        return None

    def _lock_problem(self) -> str | None:
        tree, config = self.worktree, self.config
        assert tree and config
        try:
            report = guard.verify(tree.path, config)
        except GuardError as exc:
            return str(exc).splitlines()[0]
        if report.holds:
            return None
        return "frozen files differ from the lock: " + ", ".join(report.against_lock.paths()[:3])

    def _stop_reason(self) -> str | None:
        state, config = self.state, self.config
        assert state and config
        stop = config.stop
        if self.interrupts:
            return "interrupted"
        if self.exhausted:
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
            return f"{stop.rounds} rounds done"
        if stop.stale is not None and state.stale >= stop.stale:
            return f"{stop.stale} experiments in a row without a keep"
        if stop.budget is not None and state.spent >= stop.budget:
            return f"budget of {stop.budget:g}s spent"
        return None

    # -- the end ----------------------------------------------------------------

    def _restore_best(self) -> None:
        state, tree = self.state, self.worktree
        if state is None or tree is None or state.best_commit is None:
            return
        with _signals_deferred():
            try:
                tree.reset(state.best_commit, recover=True)
            except Exception as exc:  # git failing here must not hide why the run ended
                self.console.line(f"autoimprove: could not reset the worktree: {exc}")

    def _finish(self, reason: str, code: ExitCode) -> ExitCode:
        state, journal = self.state, self.journal
        try:
            self._restore_best()
            if state is None or journal is None:
                return code
            with _signals_deferred():
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
            )
            if self.interrupts < 2:
                self.console.summary(summary)
                self.hook.pytest_autoimprove_run_finished(summary=summary)
        except (_Interrupted, KeyboardInterrupt):
            # A second Ctrl-C: stop at once, but never leave the tree off the best commit.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            self._restore_best()
            return ExitCode.INTERRUPTED
        return code


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Let a git write finish before a Ctrl-C acts (a half-done reset helps nobody)."""
    pending: list[int] = []
    try:
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        yield
        return

    def later(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)

    try:
        for sig in previous:
            signal.signal(sig, later)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if pending:
            handler = previous[signal.Signals(pending[0])]
            if callable(handler):
                handler(pending[0], None)


def _fixture_score(path: Path) -> float | None:
    """The last value the ``autoimprove_score`` fixture reported."""
    if not path.is_file():
        return None
    value: float | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            value = float(json.loads(line)["value"])
        except (ValueError, KeyError, TypeError, json.JSONDecodeError):
            continue
    return value


def _one_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def _tail(text: str) -> str:
    return "\n".join(text.rstrip("\n").splitlines()[-TAIL_LINES:])
