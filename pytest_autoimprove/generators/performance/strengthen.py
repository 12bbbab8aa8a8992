"""Mutation-guided strengthening: run the guardrails against likely regressions, fill the gaps.

After the guardrails are verified on the baseline, each target's likely regressions
(:mod:`.mutants`) are applied one at a time to a scratch copy of its package, and the
guardrails that can reach the target (its own tests and those of the code in scope
that calls it) run against each, serially, each run in its own process group with a
timeout. A mutant is *killed* when they fail (or hang, or no longer import).

For every survivor, :mod:`.search` looks for an input that tells the mutant from the
baseline; what it finds is recorded on the baseline and added to the target's
recorded cases (a pair of calls, for a state-shaped mutant, also joins the state
test), verified on the baseline like every other case, and the survivor is run again.
A mutant that nothing tells apart within the budget is reported as *possibly
equivalent*; nothing is ever frozen that fails on the baseline.

Bounded and deterministic: how many mutants each target gets follows from ``--budget``
alone (named targets take the larger share), mutants are chosen by a seeded draw,
the search is derandomized; only a deadline reached early cuts the work short, and
what was not run is reported as such.
"""

from __future__ import annotations

import ast
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_autoimprove.generators import GeneratedFile, scratch_env, scratch_pytest
from pytest_autoimprove.generators.discover import ModuleInfo
from pytest_autoimprove.generators.performance.explore import EXPLORED_PREFIX
from pytest_autoimprove.generators.performance.explored import (
    EXPLORED_COMMENT,
    Explore,
    freeze_explored,
    unexplored,
)
from pytest_autoimprove.generators.performance.facts import constructor_name
from pytest_autoimprove.generators.performance.helpers import private_helpers
from pytest_autoimprove.generators.performance.mutants import ModuleMutator, Mutant
from pytest_autoimprove.generators.performance.plan import TargetCandidates
from pytest_autoimprove.generators.performance.render import (
    FOUND_PREFIX,
    ModulePlan,
    TargetPlan,
    case_text,
)
from pytest_autoimprove.generators.performance.scratch import Scratch

__all__ = ["MUTANT_COST", "TargetMutation", "mutant_limits", "strengthen"]

#: Seconds one mutant run is assumed to take when the budget is turned into a count.
MUTANT_COST = 0.5
#: Mutants per named target, and per other target, at most.
MAX_NAMED = 24
MAX_OTHER = 6
#: Share of the mutation phase spent running mutants; the search, adding the found
#: cases and running the survivors again share the rest.
RUN_SHARE = 0.55
SEARCH_SHARE = 0.25
#: Rounds of running mutants and searching their survivors, at most.
MAX_PASSES = 3
#: State tests play at most this many recorded cases.
MAX_STATE_CASES = 5

Runner = Callable[..., tuple[int, str]]


@dataclass
class TargetMutation:
    """What mutation testing found for one target."""

    killed: int = 0
    total: int = 0
    survivors: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass
class _Run:
    """One mutant and how it fared."""

    plan: ModulePlan
    target: TargetPlan
    mutant: Mutant
    id: str
    #: The target and the targets in scope that call it (their tests can catch it).
    reached: list[tuple[ModulePlan, TargetPlan]]
    killed: bool | None = None
    searched: bool = False
    #: Inputs the search found that tell this mutant apart.
    found: list[dict[str, Any]] = field(default_factory=list)
    #: Inputs the exploration of the target kept (they reach new code; they were not
    #: searched for this mutant), frozen with the found ones.
    explored: list[dict[str, Any]] = field(default_factory=list)
    sequence: bool = False
    #: A sequence of the class's calls that tells the mutant apart: ``{"ctor", "steps"}``.
    scenario: dict[str, Any] | None = None
    added: list[str] = field(default_factory=list)
    #: The ids in ``added`` of found inputs (not explored ones).
    told_apart: list[str] = field(default_factory=list)
    state_added: list[str] = field(default_factory=list)
    #: The class target a found scenario joined, and that scenario.
    scenario_added: tuple[TargetPlan, list[str]] | None = None


def mutant_limits(budget: float, named: Sequence[str], others: Sequence[str]) -> dict[str, int]:
    """Mutants per target for a mutation phase of ``budget`` seconds (deterministic).

    Named targets share half of the count (all of it when there is nothing else), up
    to :data:`MAX_NAMED` each; the others share the rest, up to :data:`MAX_OTHER` each,
    one each in source order when there are fewer mutants than targets.
    """
    total = int(max(0.0, budget) * RUN_SHARE / MUTANT_COST)
    limits: dict[str, int] = {}
    if named:
        share = total if not others else total // 2
        each = min(MAX_NAMED, max(1, share // len(named)))
        limits.update(dict.fromkeys(named, each))
        total -= each * len(named)
    if others and total > 0:
        each = min(MAX_OTHER, total // len(others))
        if each:
            limits.update(dict.fromkeys(others, each))
        else:
            limits.update(dict.fromkeys(others[:total], 1))
    return limits


def _references(source: str, qualnames: Sequence[str]) -> dict[str, set[str]]:
    """Names each target's body mentions (calls, attributes), to find its callers."""
    out: dict[str, set[str]] = {}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return out
    functions: dict[str, ast.AST] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[stmt.name] = stmt
        elif isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    functions[f"{stmt.name}.{item.name}"] = item
                    if item.name == constructor_name(stmt):
                        functions[stmt.name] = item  # the constructor
    for qualname in qualnames:
        names: set[str] = set()
        found = functions.get(qualname)
        if found is not None:
            for child in ast.walk(found):
                if isinstance(child, ast.Name):
                    names.add(child.id)
                elif isinstance(child, ast.Attribute):
                    names.add(child.attr)
        out[qualname] = names
    return out


def strengthen(
    *,
    root: Path,
    infos: Sequence[ModuleInfo],
    plans: Sequence[ModulePlan],
    planned: Mapping[str, Sequence[TargetCandidates]],
    named: Mapping[str, set[str]],
    files: Callable[[], list[GeneratedFile]],
    env: Mapping[str, str],
    runner: Runner,
    budget: float,
    deadline: float,
    verify_again: Callable[[list[str], float], list[str]],
) -> tuple[dict[tuple[str, str], TargetMutation], list[str]]:
    """Mutation-test every target of ``plans`` and strengthen them; results per target.

    ``budget`` (seconds) sizes the mutant count; ``deadline`` (``time.monotonic``)
    bounds the whole phase. ``verify_again(node_ids, deadline)`` verifies the given
    tests on the baseline (dropping what fails) and returns notes. ``plans`` are
    updated in place with the cases the search found.
    """
    started = time.monotonic()
    window = max(0.0, deadline - started)
    results: dict[tuple[str, str], TargetMutation] = {}
    notes: list[str] = []
    by_name = {info.name: info for info in infos}
    plans = [p for p in plans if p.name in by_name and p.targets]
    for plan in plans:
        for t in plan.targets:
            results[plan.name, t.qualname] = TargetMutation()
    if not plans or window < 3.0:
        for result in results.values():
            result.reason = "not mutated: no time left in the budget"
        return results, notes
    with tempfile.TemporaryDirectory(prefix="autoimprove-mutants-") as tmp:
        scratch = Scratch(Path(tmp), root, [by_name[p.name] for p in plans], plans[0].output_dir)
        scratch.write_tests(files())
        run_env = dict(env, PYTHONHASHSEED="1", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
        run_env.pop("PYTEST_ADDOPTS", None)
        runs = _plan_runs(plans, scratch, named, results, budget)
        if not runs:
            return results, notes
        # One of the first target's tests on the untouched copy: the scratch copy works,
        # and how long a run takes (a mutant that hangs is stopped at a few times that).
        baseline_started = time.monotonic()
        left = started + window * RUN_SHARE - baseline_started
        nodes = scratch.focus(runs[0].reached, runs[0].target)
        quick = [n for n in nodes if not n.endswith("_differential")][:1] or nodes[:1]
        code, tail = _pytest(scratch, quick, run_env, runner, max(1.0, left))
        reference = time.monotonic() - baseline_started
        if code == -9:
            notes.append("mutation testing skipped: no time left in the budget")
            for result in results.values():
                result.reason = result.reason or "not mutated: no time left in the budget"
            return results, notes
        if code != 0:
            notes.append(
                f"mutation testing skipped: the guardrails fail in a scratch copy: {tail[-300:]}"
            )
            for result in results.values():
                result.reason = (
                    result.reason or "not mutated: the guardrails fail in a scratch copy"
                )
            return results, notes
        timeout = max(10.0, 3 * reference)
        run_end = started + window * RUN_SHARE
        # Passes: run mutants, search their survivors; a search that ends early leaves
        # time for the mutants the first pass did not reach.
        for pass_number in range(MAX_PASSES):
            pending = [r for r in runs if r.killed is None]
            if not pending or run_end - time.monotonic() < 1.0:
                break
            _run_mutants(pending, scratch, run_env, runner, timeout, run_end)
            survivors = [r for r in pending if r.killed is False]
            searched = [(r.plan.name, r.target.qualname) for r in survivors]
            explore = unexplored(plans, searched) if pass_number == 0 else []
            if survivors or explore:
                left = deadline - time.monotonic()
                search_end = time.monotonic() + left * SEARCH_SHARE / (1 - RUN_SHARE)
                explored = _search(root, infos, planned, survivors, runner, search_end, explore)
                added = _add_cases(survivors) + explored
                if added:
                    notes.extend(verify_again(added, deadline - max(2.0, window * 0.1)))
                    _restore_state_tests(survivors)
                    scratch.write_tests(files())
                    again = [
                        r
                        for r in survivors
                        if (r.added or r.scenario_added) and not _all_dropped(r)
                    ]
                    _run_mutants(again, scratch, run_env, runner, timeout, deadline, rerun=True)
            run_end = deadline - max(2.0, window * 0.1)
    for run in runs:
        result = results[run.plan.name, run.target.qualname]
        if run.killed is None:
            if result.total == 0:
                result.reason = "not mutated: the time budget ran out first (raise --budget)"
            continue
        result.reason = ""
        result.total += 1
        if run.killed:
            result.killed += 1
        else:
            result.survivors.append(_survivor_text(run))
    not_run = sum(1 for r in runs if r.killed is None)
    if not_run:
        notes.append(f"mutation testing reached its time budget; {not_run} mutant(s) not run")
    return results, notes


def _pytest(
    scratch: Scratch, nodes: list[str], env: Mapping[str, str], runner: Runner, timeout: float
) -> tuple[int, str]:
    argv = scratch_pytest(
        scratch.base, scratch.base / "pytest.ini", "-x", "--tb=line", "-p", "no:randomly", *nodes
    )
    return runner(argv, cwd=scratch.base, env=dict(env), timeout=timeout)


def _plan_runs(
    plans: Sequence[ModulePlan],
    scratch: Scratch,
    named: Mapping[str, set[str]],
    results: dict[tuple[str, str], TargetMutation],
    budget: float,
) -> list[_Run]:
    """The mutants to run, named targets' first, each with the tests that reach it."""
    references: dict[tuple[str, str], set[str]] = {}
    for plan in plans:
        found = _references(scratch.sources[plan.name], [t.qualname for t in plan.targets])
        for qualname, names in found.items():
            references[plan.name, qualname] = names
    mutators = {plan.name: ModuleMutator(scratch.sources[plan.name]) for plan in plans}
    # The private helpers each named target calls: an agent rewrites them to speed it
    # up (asn1's ``Encoder.write`` does its work in ``_encode_integer``). Each helper is
    # mutated for the first named target, in this order, that reaches it.
    helpers: dict[tuple[str, str], list[str]] = {}
    for plan in plans:
        qualnames = [t.qualname for t in plan.targets]
        for qualname, called in private_helpers(scratch.sources[plan.name], qualnames).items():
            if qualname in named.get(plan.name, set()):
                helpers[plan.name, qualname] = called
    taken: set[tuple[str, str]] = set()
    order: list[tuple[ModulePlan, TargetPlan]] = []
    for first in (True, False):
        for plan in plans:
            for t in plan.targets:
                if (t.qualname in named.get(plan.name, set())) == first:
                    order.append((plan, t))
    eligible: list[tuple[ModulePlan, TargetPlan]] = []
    mine: dict[tuple[str, str], list[str]] = {}
    for plan, t in order:
        result = results[plan.name, t.qualname]
        own = [h for h in helpers.get((plan.name, t.qualname), []) if (plan.name, h) not in taken]
        own = [h for h in own if mutators[plan.name].count(h)]
        if not t.test_count:
            result.reason = "not mutated: it has no test"
        elif not mutators[plan.name].count(t.qualname) and not own:
            result.reason = "not mutated: no mutation operator applies to its code"
        else:
            eligible.append((plan, t))
            mine[plan.name, t.qualname] = own
            taken.update((plan.name, h) for h in own)
    keys = [f"{p.name}:{t.qualname}" for p, t in eligible]
    first_keys = [
        k for (p, t), k in zip(eligible, keys, strict=True) if t.qualname in named.get(p.name, ())
    ]
    limits = mutant_limits(budget, first_keys, [k for k in keys if k not in first_keys])
    runs: list[_Run] = []
    for (plan, t), key in zip(eligible, keys, strict=True):
        limit = limits.get(key, 0)
        if not limit:
            result = results[plan.name, t.qualname]
            result.reason = "not mutated: the mutation budget ran out (raise --budget)"
            continue
        mutants = mutators[plan.name].mutants(t.qualname, limit=limit, seed=key)
        mutants += _helper_mutants(
            mutators[plan.name], mine[plan.name, t.qualname], limit - len(mutants), key
        )
        reached = _reaching(plans, references, plan, t)
        for index, mutant in enumerate(mutants):
            runs.append(_Run(plan, t, mutant, f"{key}:{index}", reached))
    return runs


def _helper_mutants(
    mutator: ModuleMutator, helpers: Sequence[str], limit: int, key: str
) -> list[Mutant]:
    """Up to ``limit`` mutants of ``helpers``, taken in turn (one of each before a
    second of any), so a long helper does not crowd out the others."""
    if limit <= 0 or not helpers:
        return []
    each = [mutator.mutants(h, limit=limit, seed=f"{key}:{h}") for h in helpers]
    out: list[Mutant] = []
    for round_ in range(max(len(m) for m in each)):
        out += [m[round_] for m in each if round_ < len(m)]
    return out[:limit]


def _reaching(
    plans: Sequence[ModulePlan],
    references: Mapping[tuple[str, str], set[str]],
    plan: ModulePlan,
    target: TargetPlan,
) -> list[tuple[ModulePlan, TargetPlan]]:
    """``target`` and the targets in scope that call it (a few levels up), target first.

    A method's class is always among them: its sequence test plays the methods on one
    instance (a ``get`` wrong only for a key some ``__setitem__`` stored shows there).
    """
    reached = {(plan.name, target.qualname)}
    if "." in target.qualname:
        reached.add((plan.name, _class_of(target)))
    names = {target.qualname.rsplit(".", 1)[-1]}
    for _ in range(3):
        grew = {
            key for key, mentioned in references.items() if key not in reached and mentioned & names
        }
        if not grew:
            break
        reached |= grew
        names |= {q.rsplit(".", 1)[-1] for _, q in grew}
    out = [(plan, target)]
    for other in plans:
        out += [
            (other, t)
            for t in other.targets
            if (other.name, t.qualname) in reached and t is not target
        ]
    return out


def _run_mutants(
    runs: Sequence[_Run],
    scratch: Scratch,
    env: Mapping[str, str],
    runner: Runner,
    timeout: float,
    deadline: float,
    *,
    rerun: bool = False,
) -> None:
    for run in runs:
        left = deadline - time.monotonic()
        if left < 1.0:
            if rerun:
                continue  # keeps its verdict: survived
            run.killed = None
            continue
        scratch.mutate(run.plan.name, run.mutant.source)
        try:
            code, _ = _pytest(
                scratch, scratch.focus(run.reached, run.target), env, runner, min(timeout, left)
            )
        finally:
            scratch.mutate(run.plan.name, None)
        # 1: a test failed; 2: collection failed (the mutant does not import); -9:
        # killed at the timeout (the mutant hangs). 0 survived; anything else is ours.
        if code in (1, 2, 3, -9):
            run.killed = True
        elif code == 0:
            run.killed = False
        elif not rerun:
            run.killed = None


def _job(
    plan: ModulePlan,
    target: TargetPlan,
    candidates: Mapping[str, TargetCandidates],
    owner: TargetPlan | None,
    **fields: Any,
) -> dict[str, Any] | None:
    """A search job for ``target`` (``fields``: the mutant's, or ``explore_only``)."""
    tc = candidates.get(target.qualname)
    if tc is None:
        return None
    ctor = candidates.get(_class_of(target))
    if ctor is not None and ctor.target.kind != "constructor":
        ctor = None
    return {
        "module": plan.name,
        "qualname": target.qualname,
        "kind": target.kind,
        "payloads": [(c.id, c.payload) for c in tc.candidates],
        "ctor_payloads": [c.payload for c in ctor.candidates] if ctor is not None else [],
        "params": _params(tc),
        "strategies": tc.strategies,
        # A method's instance is searched too: its constructor's parameters and strategies.
        "ctor_params": _params(ctor) if ctor is not None and target.kind != "constructor" else [],
        "ctor_strategies": ctor.strategies if ctor is not None else None,
        "expected": list(plan.expected_exceptions),
        "tolerance": plan.tolerance,
        "calls": _class_calls(owner) if owner is not None else None,
        **fields,
    }


def _params(tc: TargetCandidates) -> list[dict[str, Any]]:
    """A target's parameters as the search reads them."""
    return [
        {"name": p.name, "kind": p.kind, "default": p.default is not None} for p in tc.target.params
    ]


def _search(
    root: Path,
    infos: Sequence[ModuleInfo],
    planned: Mapping[str, Sequence[TargetCandidates]],
    survivors: Sequence[_Run],
    runner: Runner,
    deadline: float,
    explore: Sequence[Explore] = (),
) -> list[str]:
    """Search inputs for ``survivors`` (into their runs) and explore ``explore``'s
    targets; node ids of the tests the explored cases joined (to verify again)."""
    budget = deadline - time.monotonic()
    if budget < 1.0:
        return []
    jobs = []
    numbers: dict[tuple[str, str], int] = {}
    for run in survivors:
        candidates = {tc.target.qualname: tc for tc in planned.get(run.plan.name, ())}
        key = (run.plan.name, run.target.qualname)
        count = numbers.get(key, 0)
        job = _job(
            run.plan,
            run.target,
            candidates,
            _owner(run),
            id=run.id,
            operator=run.mutant.operator,
            source=run.mutant.source,
            case_ids=[f"{FOUND_PREFIX}{count}", f"{FOUND_PREFIX}{count + 1}"],
        )
        if job is not None:
            numbers[key] = count + 2  # a job freezes at most a pair of calls
            jobs.append(job)
    for item in explore:
        candidates = {tc.target.qualname: tc for tc in planned.get(item.plan.name, ())}
        job = _job(
            item.plan,
            item.target,
            candidates,
            None,
            id=f"explore:{item.plan.name}:{item.target.qualname}",
            explore_only=True,
        )
        if job is not None:
            jobs.append(job)
    sys_path = list(dict.fromkeys(str((root / i.import_root).resolve()) for i in infos))
    request = {"sys_path": sys_path, "jobs": jobs, "budget": budget - 2.0}
    with tempfile.TemporaryDirectory(prefix="autoimprove-search-") as tmp:
        inp, out = Path(tmp) / "in.pickle", Path(tmp) / "out.pickle"
        inp.write_bytes(pickle.dumps(request, protocol=4))
        env = scratch_env(PYTHONHASHSEED="0")
        runner(
            [
                sys.executable,
                "-m",
                "pytest_autoimprove.generators.performance.search",
                str(inp),
                str(out),
            ],
            cwd=root,
            env=env,
            timeout=budget + 5.0,
        )
        if not out.exists():
            return []
        result: dict[str, Any] = pickle.loads(out.read_bytes())  # noqa: S301 - our search's output
    explored = dict(result.get("explored", {}))
    for run in survivors:
        found = result["jobs"].get(run.id)
        if found is None:
            continue
        run.searched = True
        run.found = list(found.get("records", []))
        # What the exploration kept joins the target's first searched mutant's cases.
        run.explored = explored.pop(f"{run.plan.name}:{run.target.qualname}", [])
        run.sequence = bool(found.get("sequence"))
        run.scenario = found.get("scenario")
    nodes = []
    for item in explore:
        records = explored.pop(f"{item.plan.name}:{item.target.qualname}", [])
        if freeze_explored(item, records):
            names = item.target.test_names()
            nodes.append(f"{item.plan.test_path.name}::{names['recorded']}")
    return nodes


def _class_of(target: TargetPlan) -> str:
    """The class a method belongs to (a constructor's is itself; a function's, its name)."""
    return target.qualname.partition(".")[0]


def _owner(run: _Run) -> TargetPlan | None:
    """The class target whose sequence test can play ``run``'s target (itself, for a
    constructor), if it has one."""
    cls = _class_of(run.target)
    for t in run.plan.targets:
        if t.qualname == cls and t.calls is not None and t.test_names()["calls"] not in t.dropped:
            return t
    return None


def _class_calls(owner: TargetPlan) -> dict[str, Any]:
    """What the scenario search draws from: the class's constructor calls and steps."""
    assert owner.calls is not None
    ctors, steps = owner.calls
    return {
        "cls": owner.qualname,
        "ctors": list(ctors),
        "steps": list(dict.fromkeys([*steps, *(s for sc in owner.scenarios for s in sc)])),
    }


def _add_cases(survivors: Sequence[_Run]) -> list[str]:
    """Add what the search found to the plans; node ids of the tests to verify again."""
    nodes: list[str] = []
    for run in survivors:
        t = run.target
        taken = {c.id for c in [*t.recorded, *t.edge]}
        kept = {c.id for c in t.recorded if c.id not in t.dropped}
        found = [(record, True) for record in run.found]
        for record, told_apart in [*found, *((record, False) for record in run.explored)]:
            cid = str(record.get("id"))
            origin = record.get("origin")
            if origin in kept:
                cid = str(origin)  # already frozen: the state test just plays it too
            elif not cid.startswith((FOUND_PREFIX, EXPLORED_PREFIX)) or cid in taken:
                continue
            else:
                taken.add(cid)
                # Says which regression the input tells apart (its risk, in words).
                comment = (
                    f"an input that tells apart: {run.mutant.description}"
                    if cid.startswith(FOUND_PREFIX)
                    else EXPLORED_COMMENT
                )
                t.recorded.append(case_text(t.qualname, cid, record, run.plan.data, comment))
            run.added.append(cid)
            if told_apart:
                run.told_apart.append(cid)
            if cid not in t.state_ids and (
                (run.sequence or run.mutant.operator in ("add-cache", "shared-result"))
                and len(t.state_ids) < MAX_STATE_CASES
                and record.get("status") == "ok"
                and t.test_names()["state"] not in t.dropped
            ):
                t.state_ids.append(cid)
                run.state_added.append(cid)
        if run.added:
            file = run.plan.test_path.name
            names = t.test_names()
            nodes += [f"{file}::{names['recorded']}", f"{file}::{names['state']}"]
        owner = _owner(run)
        if run.scenario and owner is not None:
            # The test plays every scenario on its first constructor calls: the only
            # ones the search tries (SCENARIO_CTORS).
            steps = list(run.scenario["steps"])
            if steps not in owner.scenarios:
                owner.scenarios.append(steps)
                run.scenario_added = (owner, steps)
                nodes.append(f"{run.plan.test_path.name}::{owner.test_names()['calls']}")
    return list(dict.fromkeys(nodes))


def _restore_state_tests(runs: Sequence[_Run]) -> None:
    """A state or sequence test that fails once found calls join it goes back to what
    was verified."""
    for run in runs:
        t = run.target
        name = t.test_names()["state"]
        new = run.state_added
        if new and name in t.dropped:
            t.dropped.discard(name)
            t.state_ids = [i for i in t.state_ids if i not in new]
        if run.scenario_added is None:
            continue
        owner, steps = run.scenario_added
        calls = owner.test_names()["calls"]
        if calls in owner.dropped:
            owner.dropped.discard(calls)
            owner.scenarios.remove(steps)
            run.scenario_added = None


def _all_dropped(run: _Run) -> bool:
    return all(cid in run.target.dropped for cid in run.added) and run.scenario_added is None


def _survivor_text(run: _Run) -> str:
    text = run.mutant.description
    if run.mutant.target != run.target.qualname:
        text = f"in `{run.mutant.target}`, {text}"  # a helper it calls
    kept = [cid for cid in run.told_apart if cid not in run.target.dropped]
    if kept or run.scenario_added is not None:
        return f"{text} (a distinguishing input was added, yet it survives)"
    if run.found or run.scenario:
        return f"{text} (the input that tells it apart does not replay reliably)"
    if run.searched:
        return f"{text} (possibly equivalent: no input found that tells it apart)"
    return f"{text} (not searched: time budget)"
