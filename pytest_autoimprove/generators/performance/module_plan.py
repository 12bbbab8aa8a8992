"""Probe records into a module's plan of tests, and the findings among them.

The probe ran every candidate call on the baseline (:mod:`.probe`). Here each record
is judged: dropped (a timeout, a nondeterministic answer, no instance to call a method
on), frozen as the code's answer (a return value, or an exception it raises on
purpose or on an ordinary input), or reported as a finding (a crash of the baseline on
an input it is documented or shown to take, :mod:`.findings`). Ordinary method calls
also become the steps of their class's sequence test (:mod:`.sequences`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pytest_autoimprove.generators import Finding, GenerateRequest
from pytest_autoimprove.generators.discover import ModuleInfo
from pytest_autoimprove.generators.performance.findings import is_finding
from pytest_autoimprove.generators.performance.inputs import case_comment
from pytest_autoimprove.generators.performance.plan import TargetCandidates
from pytest_autoimprove.generators.performance.render import (
    ModulePlan,
    TargetPlan,
    case_text,
    raised_name,
)
from pytest_autoimprove.generators.performance.sequences import (
    ClassSteps,
    base_chains,
    scenario_ctors,
    step_of,
)

__all__ = ["module_plan"]

#: Edge inputs of these risks are ordinary values in a new arrangement (a mixed list,
#: a reordered one): an exception there is the contract, frozen like any other.
_ORDINARY_RISKS = {"changed-behaviour", "hash-order-output"}
#: Exceptions that only say an input of a guessed type was of the wrong type.
_TYPE_CONFUSION = {"TypeError", "AttributeError"}
#: Inputs that are ordinary by where they come from: the project's tests, the docs,
#: values of the declared types, valid strings of the module's formats, factories.
_ORDINARY_ORIGINS = {"real", "doctest", "sample", "random", "regex", "format", "factory"}
_DROP_STATUSES = {
    "timeout",
    "nondeterministic",
    "seed-dependent",
    "unloadable",
    "unpicklable",
    "probe-error",
    "no-instance",
    "slow",
    "skipped-slow",
    "too-large",
}


def module_plan(
    request: GenerateRequest,
    info: ModuleInfo,
    candidates: list[TargetCandidates],
    record: dict[str, Any],
    expected_in_scope: frozenset[str],
    bases: Mapping[str, list[str]],
) -> tuple[ModulePlan, list[Finding], list[str]]:
    """The plan of ``info``'s tests from its probe ``record``, the findings, and notes.

    :param expected_in_scope: exceptions raised on purpose anywhere in scope.
    :param bases: class -> its base classes in scope (inherited methods join sequences).
    """
    results = {(r["qualname"], r["id"]): r for r in record.get("cases", [])}
    unconfirmed = 0
    findings: list[Finding] = []
    seen_findings: set[tuple[str, str]] = set()
    expected = set(info.expected_exceptions) | set(expected_in_scope)
    targets: list[TargetPlan] = []
    data: dict[str, bytes] = {}
    ctor_sources: dict[str, list[str]] = {}
    #: class -> constructor calls with an edge value (a capacity or lifetime of 0).
    edge_ctors: dict[str, list[tuple[str, str]]] = {}
    #: class -> its methods' ordinary calls, for the class's sequence test.
    steps: dict[str, ClassSteps] = {}
    for tc in candidates:
        t = tc.target
        tp = TargetPlan(
            t.qualname,
            t.kind,
            t.line,
            positional=[p.name for p in t.params if p.kind == "positional" and p.default is None],
        )
        raising: dict[str, str] = {}
        for cand in tc.candidates:
            res = results.get((t.qualname, cand.id))
            if cand.group in ("discovery", "base") or res is None:
                continue
            if res.get("status") in _DROP_STATUSES:
                continue
            if cand.check is not None and not res.get("want_ok"):
                unconfirmed += 1  # the example does not show what the baseline answers
                continue
            raised = raised_name(res)
            if raised is not None:
                mro = set(res.get("raises_mro", []))
                # Raised by a `raise` of the project's code: on purpose, even a
                # TypeError on a guessed input, even in a module out of scope.
                on_purpose = bool(mro & expected) or bool(res.get("deliberate"))
                # Real and documented inputs raise what the project expects; ordinary
                # inputs of a type the baseline is known to take raise its contract
                # (KeyError for an unknown key); so does an edge value of a type that
                # rests on evidence: all frozen. A crash on an evidenced edge input
                # with no reason is a finding. On a guessed input the exception is
                # expected, never a finding, and frozen unless it only says the guess
                # was of the wrong type (a TypeError or AttributeError).
                ordinary = cand.valid and (
                    cand.origin in _ORDINARY_ORIGINS or cand.risk in _ORDINARY_RISKS
                )
                if not ordinary and not on_purpose:
                    if is_finding(tc, cand, res, results.get((t.qualname, tc.base_id or ""))):
                        finding_key = (t.qualname, raised)
                        if finding_key not in seen_findings:
                            seen_findings.add(finding_key)
                            findings.append(
                                Finding(
                                    info.path,
                                    t.line,
                                    t.qualname,
                                    f"the baseline raises {res['message']} on edge input {cand.id} "
                                    f"(risk {cand.risk}); not frozen as expected behaviour",
                                )
                            )
                        continue
                    if not cand.evidenced and mro & _TYPE_CONFUSION:
                        continue
            comment = case_comment(cand.origin, cand.risk, cand.param, cand.describe)
            sources = res.get("sources")
            text = case_text(t.qualname, cand.id, res, data, comment)
            if sources is not None and t.kind == "constructor" and raised is None:
                made = f"({sources['args']}, {sources['kwargs']})"
                ctor_sources.setdefault(t.qualname, []).append(made)
                if cand.group == "edge":
                    edge_ctors.setdefault(t.qualname, []).append((cand.param, made))
            if sources is not None and t.kind == "method" and cand.group == "recorded":
                cls, _, method = t.qualname.partition(".")
                items = sources.get("items")
                if items is not None:
                    names = [p.name for p in t.params if p.kind == "positional"]
                    step = step_of(method, names, items, sources["kwargs"])
                    steps.setdefault(cls, ClassSteps()).add(step, raised=raised is not None)
            if raised is not None:
                raising[cand.id] = raised
            if cand.group == "edge":
                tp.edge.append(text)
                tp.edge_risks.append(cand.risk)
            else:
                tp.recorded.append(text)
                if raised is None and len(tp.state_ids) < 3:
                    tp.state_ids.append(cand.id)
        # A crash reported as a finding is frozen nowhere (fixing the bug must not fail a
        # guard), whichever case met it first.
        reported = {name for q, name in seen_findings if q == t.qualname}
        for texts in (tp.recorded, tp.edge):
            for case in texts:
                if raising.get(case.id) in reported:
                    tp.dropped.add(case.id)
        tp.strategies = tc.strategies
        targets.append(tp)
    own = dict(steps)  # each class's own methods' calls, before inheriting
    for cls, chain in base_chains(bases).items():
        for base in chain:
            if base in own:
                steps.setdefault(cls, ClassSteps()).inherit(own[base])
    for tp in targets:
        # A class whose methods have ordinary calls gets a sequence test of them.
        methods = steps.get(tp.qualname)
        if tp.kind == "constructor" and methods and ctor_sources.get(tp.qualname):
            played = methods.played()
            if len(played) >= 2:
                ctors = scenario_ctors(ctor_sources[tp.qualname], edge_ctors.get(tp.qualname, []))
                tp.calls = (ctors, played)
                tp.scenarios = methods.scenarios()
        if tp.kind in ("method", "property") and tp.strategies is not None:
            cls = tp.qualname.partition(".")[0]
            sources = ctor_sources.get(cls, [])[:10]
            tp.ctor_sources = sources if sources else None
            if not sources:
                tp.strategies = None
        if not tp.strategies and tp.ctor_sources is None:
            # Nothing to draw (``is_32bit()``): the recorded call is the whole test;
            # ``@given()`` with no argument is an error, not a test.
            tp.strategies = None
    surface = {k: v for k, v in record.get("surface", {}).items() if v is not None}
    tolerance = request.tolerance
    plan = ModulePlan(
        path=info.path,
        name=info.name,
        import_root=info.import_root,
        output_dir=request.output_dir,
        goal=request.kind,
        targets=targets,
        surface=surface,
        expected_exceptions=sorted(expected),
        max_examples=request.max_examples,
        tolerance=tolerance,
        data=data,
    )
    notes = []
    if unconfirmed:
        notes.append(
            f"{info.path.as_posix()}: {unconfirmed} doctest example(s) not frozen: the "
            "baseline's answer does not show as the example says"
        )
    return plan, findings, notes
