"""Verification: run the generated tests on the untouched baseline before anything is frozen.

A guardrail that fails, flickers or crawls on the baseline is worse than none: the loop
would discard every experiment, or spend its budget in the tests. So the speed
generator renders its plans, runs them here in a scratch folder and drops:

- every test (or parametrized case) that fails on the baseline;
- every test that did not report a pass (the run hit the deadline before reaching it):
  nothing unverified is frozen;
- cases slower than :data:`SLOW_CASE`; differential tests slower than
  :data:`SLOW_DIFFERENTIAL` first get fewer Hypothesis examples, then are dropped.

The first run covers everything with one hash seed; the second (another hash seed)
re-runs only what a hash seed can change: recorded, edge and state tests. A
differential test compares the current code with the baseline copy in one process on
the same input, so both sides see the same seed, and Hypothesis is derandomized.

This module is also the pytest plugin loaded into those runs (``-p``): it streams
each test's outcome and duration to a log as it goes (a run killed at the deadline
still tells what passed), stops a test stuck past :data:`TEST_TIMEOUT`, caps the
address space and turns Hypothesis' shrinking off (a failing test is dropped anyway).
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import time
import types
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path

import pytest

from pytest_autoimprove.generators import GeneratedFile, scratch_pytest, slowness
from pytest_autoimprove.generators.performance.explore import EXPLORED_PREFIX
from pytest_autoimprove.generators.performance.probe import limit_memory
from pytest_autoimprove.generators.performance.render import FOUND_PREFIX, ModulePlan, TargetPlan

__all__ = ["Outcomes", "verify_plans"]

#: A recorded, edge or state test slower than this (seconds) is dropped.
SLOW_CASE = 1.0
#: A differential test slower than this gets fewer examples (then is dropped).
SLOW_DIFFERENTIAL = 2.0
#: Fewest Hypothesis examples a slow differential test is reduced to.
MIN_EXAMPLES = 10
#: A test still running after this many seconds is stopped and fails.
TEST_TIMEOUT = 8.0

_LOG_ENV = "AUTOIMPROVE_VERIFY_LOG"
_TIMEOUT_ENV = "AUTOIMPROVE_VERIFY_TIMEOUT"

#: ``(file stem, test function, parametrize id or "") -> (passed, seconds)``
Outcomes = dict[tuple[str, str, str], tuple[bool, float]]


# --- the plugin, inside the verification run ----------------------------------------------


class _TestTimeout(BaseException):
    """Raised in a test that runs too long (a BaseException: the replay helpers catch
    ``Exception`` from the code under test)."""


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get(_LOG_ENV):
        return
    limit_memory()
    # A failing test is dropped whatever its minimal example: shrinking it only costs
    # time. Settings objects built later (the generated SETTINGS) inherit this.
    from hypothesis import Phase, settings

    settings.register_profile(
        "autoimprove-verify", phases=[Phase.explicit, Phase.reuse, Phase.generate]
    )
    settings.load_profile("autoimprove-verify")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    seconds = float(os.environ.get(_TIMEOUT_ENV) or 0)
    if seconds <= 0:
        return (yield)

    def alarm(signum: int, frame: types.FrameType | None) -> None:
        raise _TestTimeout(f"stopped after {seconds:.0f}s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return (yield)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = os.environ.get(_LOG_ENV)
    if not path or (report.when != "call" and report.passed):
        return
    line = {"nodeid": report.nodeid, "passed": report.passed, "seconds": report.duration}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")


# --- the driver, inside the generator ------------------------------------------------------


def _outcomes(log: Path) -> Outcomes:
    out: Outcomes = {}
    if not log.exists():
        return out
    for text in log.read_text(encoding="utf-8").splitlines():
        try:
            line = json.loads(text)
        except ValueError:  # a line cut by a kill
            continue
        path, _, name = str(line["nodeid"]).partition("::")
        test, _, param = name.partition("[")
        key = (Path(path).stem, test, param[:-1] if param.endswith("]") else param)
        passed, seconds = out.get(key, (True, 0.0))
        out[key] = (passed and bool(line["passed"]), seconds + float(line["seconds"]))
    return out


def _run_once(
    files: Callable[[], list[GeneratedFile]],
    output_dir: Path,
    select: list[str] | None,
    *,
    env: dict[str, str],
    seed: str,
    timeout: float,
    runner: Callable[..., tuple[int, str]],
) -> tuple[Outcomes, int, str]:
    with tempfile.TemporaryDirectory(prefix="autoimprove-verify-") as tmp:
        base = Path(tmp)
        for file in files():
            file.write(base)
        log = base / "outcomes.jsonl"
        targets = (
            [str(base / output_dir / s) for s in select] if select else [str(base / output_dir)]
        )
        argv = scratch_pytest(base, base / "pytest.ini", "-p", __name__, *targets)
        run_env = dict(env, PYTHONHASHSEED=seed)
        run_env[_LOG_ENV] = str(log)
        run_env[_TIMEOUT_ENV] = str(min(TEST_TIMEOUT * slowness(), max(1.0, timeout / 2)))
        code, tail = runner(argv, cwd=base, env=run_env, timeout=timeout)
        return _outcomes(log), code, tail


#: Exit codes from the least to the most telling: a broken run says the most.
def _worse(a: int, b: int) -> int:
    rank = {0: 0, 1: 1, -9: 2}
    return a if rank.get(a, 3) >= rank.get(b, 3) else b


def _run_round(
    plans: Sequence[ModulePlan],
    files: Callable[[], list[GeneratedFile]],
    output_dir: Path,
    select: list[str] | None,
    priority: set[str],
    *,
    env: dict[str, str],
    seed: str,
    deadline: float,
    runner: Callable[..., tuple[int, str]],
    priority_deadline: float | None = None,
) -> tuple[Outcomes, int, str]:
    """One round: the ``priority`` tests in a run of their own first (until
    ``priority_deadline`` when it is later), then the rest (until ``deadline``)."""
    everything = select if select is not None else _existing(plans, _all_nodes(plans))
    first = [n for n in everything if n in priority]
    if not first:
        left = deadline - time.monotonic()
        return _run_once(files, output_dir, select, env=env, seed=seed, timeout=left, runner=runner)
    outcomes: Outcomes = {}
    code, tail = 0, ""
    for part, until in (
        (first, max(deadline, priority_deadline or deadline)),
        ([n for n in everything if n not in priority], deadline),
    ):
        if not part:
            continue
        left = until - time.monotonic()
        if left < 1.0:
            code = _worse(code, -9)
            break
        found, part_code, part_tail = _run_once(
            files, output_dir, part, env=env, seed=seed, timeout=left, runner=runner
        )
        outcomes.update(found)
        if _worse(part_code, code) == part_code and part_code != code:
            code, tail = part_code, part_tail
    return outcomes, code, tail


def _all_nodes(plans: Sequence[ModulePlan]) -> list[str]:
    """Node ids of every test the plans render."""
    out: list[str] = []
    for plan in plans:
        file = plan.test_path.name
        out += [f"{file}::{name}" for t in plan.targets for name in t.rendered()]
        if not plan.drop_surface:
            out.append(f"{file}::test_public_surface")
    return out


def _apply(
    plans: Sequence[ModulePlan], outcomes: Outcomes, max_examples: int, *, differential: bool
) -> bool:
    """Drop what did not pass (or is slow); True when anything changed.

    ``differential``: whether differential tests ran (and so are judged) this time.
    """
    changed = False
    for plan in plans:
        stem = plan.test_path.stem
        if not plan.drop_surface:
            passed, _ = outcomes.get((stem, "test_public_surface", ""), (False, 0.0))
            if not passed:
                plan.drop_surface = changed = True
        for t in plan.targets:
            names = t.test_names()
            for group, cases in t.case_groups():
                if names[group] in t.dropped:
                    continue
                for case in cases:
                    if case.id in t.dropped:
                        continue
                    passed, seconds = outcomes.get((stem, names[group], case.id), (False, 0.0))
                    if not passed or seconds > SLOW_CASE * slowness():
                        t.dropped.add(case.id)
                        changed = True
            if t.state_ids and names["state"] not in t.dropped and _renders_state(t):
                passed, seconds = outcomes.get((stem, names["state"], ""), (False, 0.0))
                if not passed or seconds > SLOW_CASE * 2 * slowness():
                    t.dropped.add(names["state"])
                    changed = True
            if differential and t.strategies is not None and names["differential"] not in t.dropped:
                passed, seconds = outcomes.get((stem, names["differential"], ""), (False, 0.0))
                if passed and seconds > SLOW_DIFFERENTIAL * slowness():
                    current = t.max_examples or max_examples
                    fewer = int(current * SLOW_DIFFERENTIAL * slowness() / 2 / seconds)
                    if current > MIN_EXAMPLES and fewer >= 1:
                        t.max_examples = max(MIN_EXAMPLES, fewer)
                        changed = True
                        continue
                if not passed or seconds > SLOW_DIFFERENTIAL * slowness():
                    t.dropped.add(names["differential"])
                    changed = True
            if differential and t.calls is not None and names["calls"] not in t.dropped:
                passed, seconds = outcomes.get((stem, names["calls"], ""), (False, 0.0))
                if not passed or seconds > SLOW_DIFFERENTIAL * slowness():
                    t.dropped.add(names["calls"])
                    changed = True
    return changed


def _renders_state(t: TargetPlan) -> bool:
    """The state test exists only when one of its cases survived among the recorded ones."""
    recorded = {c.id for c in t.recorded if c.id not in t.dropped}
    return any(i in recorded and i not in t.dropped for i in t.state_ids)


def _selection(plans: Sequence[ModulePlan], reduced: set[tuple[str, str]]) -> list[str]:
    """Node ids of the tests a hash seed can change, and of differential tests just reduced."""
    out: list[str] = []
    for plan in plans:
        file = plan.test_path.name
        if not plan.drop_surface:
            out.append(f"{file}::test_public_surface")
        for t in plan.targets:
            names = t.test_names()
            for group in ("recorded", "edge", "state", "examples"):
                if names[group] not in t.dropped:
                    out.append(f"{file}::{names[group]}")
            if t.calls is not None and names["calls"] not in t.dropped:
                out.append(f"{file}::{names['calls']}")
            if (plan.test_path.stem, names["differential"]) in reduced:
                out.append(f"{file}::{names['differential']}")
    return out


def _has_tests(plans: Sequence[ModulePlan]) -> bool:
    for plan in plans:
        for t in plan.targets:
            names = t.test_names()
            if any(c.id not in t.dropped for c in [*t.recorded, *t.edge, *t.examples]):
                return True
            if t.strategies is not None and names["differential"] not in t.dropped:
                return True
    return False


def _existing(plans: Sequence[ModulePlan], select: list[str]) -> list[str]:
    """Only node ids whose test will be rendered (pytest errors on a missing one)."""
    out = []
    for node in select:
        file, _, test = node.partition("::")
        for plan in plans:
            if plan.test_path.name != file:
                continue
            if test == "test_public_surface" and not plan.drop_surface:
                out.append(node)
            for t in plan.targets:
                names = t.test_names()
                if test not in names.values() or test in t.dropped:
                    continue
                if test == names["recorded"] and not any(c.id not in t.dropped for c in t.recorded):
                    continue
                if test == names["edge"] and not any(c.id not in t.dropped for c in t.edge):
                    continue
                if test == names["state"] and not _renders_state(t):
                    continue
                if test == names["calls"] and t.calls is None:
                    continue
                if test == names["examples"] and not any(c.id not in t.dropped for c in t.examples):
                    continue
                out.append(node)
    return out


def verify_plans(
    plans: list[ModulePlan],
    files: Callable[[], list[GeneratedFile]],
    *,
    output_dir: Path,
    env: dict[str, str],
    deadline: float,
    max_examples: int,
    runner: Callable[..., tuple[int, str]],
    only: Sequence[str] | None = None,
    priority: Sequence[str] = (),
    priority_deadline: float | None = None,
) -> list[str]:
    """Run the rendered ``plans`` on the baseline until ``deadline`` (``time.monotonic``).

    Mutates the plans (dropped tests, fewer examples); returns notes for the user.
    ``files`` renders the current plans; ``runner(argv, cwd=, env=, timeout=)`` runs a
    command in its own process group. ``only`` (node ids, ``file::test``) verifies just
    those tests, the others keeping their verdict (cases added after a first
    verification). ``priority`` (node ids) run first in every round, in a run of their
    own: the tests of the targets improve.md names are verified even when a large
    module's suite does not finish before the deadline; ``priority_deadline``, when
    later than ``deadline``, is theirs (a named target's tests beat a mutation score).
    """
    notes: list[str] = []
    reduced: set[tuple[str, str]] = set()
    for round_ in range(3):
        left = deadline - time.monotonic()
        if not _has_tests(plans):
            break
        if left < 3.0:
            if only is not None:
                notes.append("no time left to verify the cases mutation testing found")
                _drop_unverified(plans, only)
                break
            if round_ == 0:
                for plan in plans:
                    plan.targets = []
                notes.append("no time left to verify the generated tests; none were kept")
            else:
                notes.append("no time left for another verification run; kept what passed")
            break
        first = round_ == 0 and only is None
        before = {
            (p.test_path.stem, t.test_names()["differential"]): t.max_examples
            for p in plans
            for t in p.targets
        }
        if only is not None:
            # Both hash seeds, on the given tests only.
            if round_ == 2:
                break
            select: list[str] | None = _existing(plans, list(only))
        else:
            select = None if first else _existing(plans, _selection(plans, reduced))
        if select is not None and not select:
            break
        outcomes, code, tail = _run_round(
            plans,
            files,
            output_dir,
            select,
            set(priority),
            env=env,
            seed=str(1 + round_ % 2),
            deadline=deadline,
            runner=runner,
            priority_deadline=priority_deadline,
        )
        if only is not None and (code not in (0, 1, -9) or (code == -9 and not outcomes)):
            notes.append(f"the cases mutation testing found do not run (exit {code}); dropped")
            _drop_unverified(plans, only)
            break
        if code == -9 and not outcomes and round_ > 0:
            # The deadline came before a test of this round finished: as when there is
            # no time for the round at all, what passed the first run is kept.
            notes.append("no time left for another verification run; kept what passed")
            break
        if code not in (0, 1, -9) or (code == -9 and not outcomes):
            notes.append(
                f"the generated tests do not run on the baseline (exit {code}): {tail[-500:]}"
            )
            for plan in plans:
                plan.targets = []
            break
        if code == -9:
            notes.append("verification reached the time budget; tests it did not reach dropped")
        elif first:
            ran = {stem for stem, _, _ in outcomes}
            notes.extend(
                f"{p.path.as_posix()}: the generated tests do not run on the baseline: "
                f"{tail[-300:]}"
                for p in plans
                if p.test_path.stem not in ran and p.targets
            )
        if select is not None:
            # Tests outside the selection keep their verdict from the first run.
            selected = {(Path(n.partition("::")[0]).stem, n.partition("::")[2]) for n in select}
            outcomes = _merge(plans, outcomes, selected)
        if only is not None:
            outcomes = _keep_verified(plans, outcomes)
        changed = _apply(plans, outcomes, max_examples, differential=first or bool(reduced))
        reduced = {
            (p.test_path.stem, t.test_names()["differential"])
            for p in plans
            for t in p.targets
            if t.max_examples != before.get((p.test_path.stem, t.test_names()["differential"]))
            and t.test_names()["differential"] not in t.dropped
        }
        if not first and not changed and only is None:
            break
    return notes


def _case_tests(plans: Sequence[ModulePlan]) -> Iterator[tuple[str, str, str]]:
    """``(file stem, test name, case id)`` of every recorded and edge case."""
    for plan in plans:
        for t in plan.targets:
            names = t.test_names()
            for group, cases in t.case_groups():
                for case in cases:
                    yield plan.test_path.stem, names[group], case.id


def _keep_verified(plans: Sequence[ModulePlan], outcomes: Outcomes) -> Outcomes:
    """Cases verified before keep their verdict; only those added since are judged."""
    kept = dict(outcomes)
    for key in _case_tests(plans):
        if not key[2].startswith(FOUND_PREFIX):
            kept[key] = (True, kept.get(key, (True, 0.0))[1])
    return kept


def _drop_unverified(plans: Sequence[ModulePlan], only: Sequence[str]) -> None:
    """Nothing unverified is frozen: drop the tests ``only`` names (the found cases of
    a parametrized test; a sequence test whole, its caller restores what was verified)."""
    for node in only:
        file, _, test = node.partition("::")
        for plan in plans:
            if plan.test_path.name != file:
                continue
            for t in plan.targets:
                if test == t.test_names()["calls"]:
                    t.dropped.add(test)
                elif test in t.test_names().values():
                    found = (FOUND_PREFIX, EXPLORED_PREFIX)
                    t.dropped.update(c.id for c in t.recorded if c.id.startswith(found))


def _merge(
    plans: Sequence[ModulePlan], outcomes: Outcomes, selected: set[tuple[str, str]]
) -> Outcomes:
    """Treat tests not selected in this run as passed (they passed before)."""
    merged = dict(outcomes)
    for stem, test, case_id in _case_tests(plans):
        if (stem, test) not in selected:
            merged.setdefault((stem, test, case_id), (True, 0.0))
    for plan in plans:
        stem = plan.test_path.stem
        for t in plan.targets:
            names = t.test_names()
            for group in ("state", "differential", "calls"):
                if (stem, names[group]) not in selected:
                    merged.setdefault((stem, names[group], ""), (True, 0.0))
        if (stem, "test_public_surface") not in selected:
            merged.setdefault((stem, "test_public_surface", ""), (True, 0.0))
    return merged
