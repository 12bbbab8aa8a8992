"""generate's pipeline for performance goals: trace, learn, probe, verify, strengthen.

What each step does and why is told in the package's docstring
(:mod:`pytest_autoimprove.generators.performance`); this module runs them in order
within ``time_budget``. The package itself stays light: the generator's own
subprocesses (probe, search, tracer) import their modules from it without this one.
"""

from __future__ import annotations

import pickle
import shlex
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.generators import (
    Finding,
    GeneratedFile,
    GenerateRequest,
    GenerationResult,
    scratch_env,
)
from pytest_autoimprove.generators.baseline_copy import baseline_files
from pytest_autoimprove.generators.discover import ModuleInfo, discover
from pytest_autoimprove.generators.performance.discovery import discovered_kinds
from pytest_autoimprove.generators.performance.doctest_run import (
    doctest_command,
    examples_command,
    examples_file,
    with_doctest_calls,
)
from pytest_autoimprove.generators.performance.echo import echo_candidates, with_constructors
from pytest_autoimprove.generators.performance.focus import (
    mentioned,
    named_targets,
    priority_nodes,
    put_first,
    unfound_names,
)
from pytest_autoimprove.generators.performance.inputs import (
    Knowledge,
    factory_pools,
    learn,
)
from pytest_autoimprove.generators.performance.module_plan import module_plan
from pytest_autoimprove.generators.performance.plan import TargetCandidates, plan_module
from pytest_autoimprove.generators.performance.reach import reached_calls, with_reached
from pytest_autoimprove.generators.performance.render import (
    CaseText,
    ModulePlan,
    example_source,
    render_module,
)
from pytest_autoimprove.generators.performance.report import report_files, strength_rows
from pytest_autoimprove.generators.performance.strengthen import TargetMutation, strengthen
from pytest_autoimprove.generators.performance.tracer import TracedCall, run_tracer
from pytest_autoimprove.generators.performance.values import Kind
from pytest_autoimprove.generators.performance.verify import verify_plans
from pytest_autoimprove.generators.performance.working_base import working_bases
from pytest_autoimprove.generators.prefork import TAIL, ForkedPytest
from pytest_autoimprove.process import python_path, run_command
from pytest_autoimprove.runtime.examples import Example

__all__ = ["generate"]

NAME = "speed"
#: Shares of ``time_budget`` by which tracing, learning, probing and verification must
#: be done; mutation testing (:mod:`.strengthen`) takes the time left up to
#: :data:`MUTATE_END` (verification does, when mutation testing is off); the remainder
#: is slack. Each phase usually ends well before its deadline, and the next one starts
#: at once.
TRACE_END = 0.2
#: The share of the tracing time the project's doctests may take before its tests run.
DOCTEST_SHARE = 0.4
#: Reading what the modules say about their inputs (annotations, formats, doctests).
LEARN_END = 0.3
PROBE_END = 0.5
VERIFY_END = 0.9
#: When improve.md names targets, verification of the others' tests stops earlier,
#: so that mutation testing, which starts with the named targets, keeps close to
#: :data:`MUTATE_SHARE` even when a large module's verification would fill its share
#: on a loaded machine; the named targets' own tests (run first) may go on to
#: :data:`VERIFY_END`. Otherwise verification comes first: a test kept beats a
#: mutation score.
VERIFY_END_NAMED = 0.65
MUTATE_END = 0.95
#: The share of ``time_budget`` the mutant count is sized for (verification, which
#: comes first, may leave less: then fewer mutants run, and the report says so).
MUTATE_SHARE = 0.35
#: Seconds the replay of the first probe's working calls may take (see :mod:`.reach`).
REACH_SECONDS = 6.0
#: Seconds a probe or verification subprocess gets beyond its deadline before it is
#: killed (interpreter start and imports; the probe stops itself at the deadline).
GRACE = 10.0


@dataclass
class _Stats:
    dropped: int = 0
    kept: int = 0


def generate(
    request: GenerateRequest, *, trace: bool = True, verify: bool = True, mutate: bool = True
) -> GenerationResult:
    """Write guardrail tests for every module of ``request`` (files are returned, not written).

    :param trace: record real inputs by running the project's tests (off in some tests).
    :param verify: run the generated tests on the baseline and drop what fails.
    :param mutate: measure the tests against code mutants and strengthen them (needs
        ``verify``).
    """
    started = time.monotonic()
    budget = max(1.0, request.time_budget)
    root = request.root.resolve()
    notes: list[str] = []
    infos: list[ModuleInfo] = []
    also = mentioned(request.config)  # private names improve.md names are targets too
    for path in request.modules:
        if not (root / path).is_file():
            raise UsageError(
                f"{Path(path).as_posix()}: no such file in scope; fix the scope in improve.md"
            )
        try:
            infos.append(discover(root, Path(path), all_kinds=True, also=also))
        except Exception as error:  # noqa: BLE001 - libcst parse errors: note and go on
            notes.append(
                f"{Path(path).as_posix()}: not parsed ({type(error).__name__}); no guardrails"
            )
    infos = [i for i in infos if i.name]
    named = named_targets(request.config, infos)
    mutate = mutate and verify
    traced: dict[str, dict[str, list[TracedCall]]] = {}
    if trace and infos:
        traced, note = _trace(request, root, infos, started + budget * TRACE_END, named)
        if note:
            notes.append(note)
    knowledge = (
        learn(
            root,
            infos,
            sys_path=_sys_path(root, infos),
            deadline=started + budget * LEARN_END,
            runner=_run,
        )
        if infos
        else Knowledge()
    )
    notes.extend(knowledge.notes)

    def plan_of(
        info: ModuleInfo,
        forced: dict[str, dict[str, Kind]] | None = None,
        bases: dict[str, dict[str, object]] | None = None,
    ) -> list[TargetCandidates]:
        return plan_module(
            info,
            traced.get(info.name, {}),
            forced=forced,
            pools=knowledge.pools.get(info.name),
            documented=knowledge.docs.get(info.name),
            facts=knowledge.facts.get(info.name),
            bases=bases,
            named=named.get(info.name, set()),
        )

    planned = {info.name: plan_of(info) for info in infos}
    # Exceptions raised on purpose anywhere in scope are expected everywhere in scope:
    # a function calling a validating helper passes the helper's errors on.
    expected = frozenset().union(*(i.expected_exceptions for i in infos)) if infos else frozenset()
    probe_end = started + budget * PROBE_END
    # Discovery needs a second round: leave it a third of the probing time.
    first_end = probe_end - (probe_end - time.monotonic()) / 3
    probed = _probe(root, infos, planned, first_end, named)
    forced = _discoveries(planned, probed)
    bases = working_bases(planned, probed)
    # Second round: re-plan and re-probe only the targets whose unknown parameters were
    # discovered, whose base call raised while another ordinary one worked, or whose
    # parameters a factory in scope can now build.
    redo = {m: set(targets) for m, targets in forced.items()}
    for module, moved in bases.items():
        redo.setdefault(module, set()).update(moved)
    for module, qualnames in factory_pools(knowledge, infos, planned, probed).items():
        redo.setdefault(module, set()).update(qualnames)
    # What inner code received while the working calls ran again: real inputs for the
    # methods reached only through other code (see .reach).
    reached = reached_calls(
        root,
        infos,
        planned,
        probed,
        sys_path=_sys_path(root, infos),
        budget=min(REACH_SECONDS, (probe_end - time.monotonic()) / 4),
        runner=_run,
    )
    for module, qualnames in with_reached(traced, reached, probed, named).items():
        redo.setdefault(module, set()).update(qualnames)
    subset: dict[str, list[TargetCandidates]] = {}
    for info in infos:
        if info.name in redo:
            planned[info.name] = plan_of(info, forced.get(info.name), bases.get(info.name))
            subset[info.name] = with_constructors(
                planned[info.name],
                [tc for tc in planned[info.name] if tc.target.qualname in redo[info.name]],
            )
    # Text the first round's calls returned, and the package's writers wrote, for the
    # other targets' text parameters: only those new calls are probed (with the
    # constructors methods need).
    for module, echoes in echo_candidates(infos, planned, probed, knowledge.written).items():
        have = {tc.target.qualname for tc in subset.get(module, [])}
        subset.setdefault(module, []).extend(tc for tc in echoes if tc.target.qualname not in have)
    if subset:
        again = [i for i in infos if i.name in subset]
        reprobed = _probe(root, again, subset, probe_end, named)
        _merge_probes(probed, reprobed, redo)
    if probed.get("stopped"):
        notes.append("probing reached its share of the time budget; fewer cases recorded")
    findings: list[Finding] = []
    plans: list[ModulePlan] = []
    for info in infos:
        record = probed["modules"].get(info.name, {})
        if record.get("error"):
            notes.append(
                f"{info.path.as_posix()}: import failed ({record['error']}); no guardrails"
            )
            continue
        facts = knowledge.facts.get(info.name)
        plan, module_findings, module_notes = module_plan(
            request, info, planned[info.name], record, expected, facts.bases if facts else {}
        )
        plan.scope = tuple(i.name for i in infos)
        _attach_examples(plan, knowledge.examples.get(info.name, {}))
        put_first(plan, named.get(info.name, set()), request.max_examples)
        findings.extend(module_findings)
        notes.extend(module_notes)
        plans.append(plan)
    copy_files = baseline_files(root, request.output_dir, [(i.path, i.name) for i in infos])
    env = _verify_env(root, infos)
    priority = priority_nodes(plans, named)  # verified first, in runs of their own

    # Verification and mutant runs are dozens of pytest runs: forked from a process
    # that imported pytest once, each saves the half second of start-up.
    forked = ForkedPytest(_run)

    def verify_some(
        only: list[str] | None, deadline: float, priority_deadline: float | None = None
    ) -> list[str]:
        return verify_plans(
            plans,
            lambda: _files(plans, copy_files),
            output_dir=request.output_dir,
            env=env,
            deadline=deadline,
            max_examples=request.max_examples,
            runner=forked,
            only=only,
            priority=priority,
            priority_deadline=priority_deadline,
        )

    mutation: dict[tuple[str, str], TargetMutation] = {}
    with forked:
        if verify and plans:
            share = (VERIFY_END_NAMED if named else VERIFY_END) if mutate else MUTATE_END
            # The named targets' own tests may take verification on to VERIFY_END:
            # mutation testing of targets left without tests measures nothing.
            notes.extend(verify_some(None, started + budget * share, started + budget * VERIFY_END))
        if mutate and plans:
            mutation, mutation_notes = strengthen(
                root=root,
                infos=infos,
                plans=plans,
                planned=planned,
                named=named,
                files=lambda: _files(plans, copy_files),
                env=env,
                runner=forked,
                budget=budget * MUTATE_SHARE,
                deadline=started + budget * MUTATE_END,
                verify_again=verify_some,
            )
            notes.extend(mutation_notes)
    unfound = unfound_names(request.config, infos)
    rows = strength_rows(infos, plans, planned, probed, findings, mutation, named, unfound)
    # The report beside the tests, also when this generator is called on its own.
    files = _files(plans, copy_files) + report_files(request.output_dir, rows)
    elapsed = time.monotonic() - started
    n_tests = sum(
        len([c for c in [*t.recorded, *t.edge] if c.id not in t.dropped])
        for p in plans
        for t in p.targets
    )
    notes.append(f"{len(plans)} module(s), {n_tests} recorded cases, generated in {elapsed:.1f}s")
    return GenerationResult(NAME, tuple(files), tuple(findings), tuple(notes), tuple(rows))


def _verify_env(root: Path, infos: Sequence[ModuleInfo]) -> dict[str, str]:
    env = scratch_env(PYTHONPATH=python_path(_sys_path(root, infos)))
    env.pop("PYTEST_ADDOPTS", None)
    return env


def _merge_probes(
    probed: dict[str, Any], again: dict[str, Any], forced: Mapping[str, Iterable[str]]
) -> None:
    """Replace the first round's records of re-probed targets with the second round's;
    of the others, add only the records of calls the first round did not make."""
    for module, record in again["modules"].items():
        old = probed["modules"].setdefault(module, {"cases": [], "surface": {}, "error": None})
        if record.get("error"):
            old["error"] = record["error"]
            continue
        redone = set(forced.get(module, {}))
        kept = [c for c in old.get("cases", []) if c["qualname"] not in redone]
        known = {(c["qualname"], c["id"]) for c in kept}
        old["cases"] = kept + [
            c for c in record.get("cases", []) if (c["qualname"], c["id"]) not in known
        ]
    probed["stopped"] = bool(probed.get("stopped") or again.get("stopped"))


# --- tracing --------------------------------------------------------------------------


def _test_command(request: GenerateRequest) -> list[str]:
    config = request.config
    check = getattr(config, "check", None)
    text = getattr(check, "test", None)
    if isinstance(text, str) and text.strip():
        words = shlex.split(text)
        if words and words[0] in ("pytest", "py.test"):
            return [sys.executable, "-m", "pytest", *words[1:]]
        return words
    return [sys.executable, "-m", "pytest", "-q"]


def _trace(
    request: GenerateRequest,
    root: Path,
    infos: Sequence[ModuleInfo],
    deadline: float,
    named: Mapping[str, set[str]],
) -> tuple[dict[str, dict[str, list[TracedCall]]], str | None]:
    """Real calls: the project's doctests run first (they are quick, and reach inner
    code through the public API, see :mod:`.doctest_run`), then its tests; the code
    blocks of its README and docs run meanwhile, in a process of their own."""
    files = {str((root / i.path).resolve()): i.name for i in infos}
    targets = {i.name: {t.qualname: t.kind for t in i.targets} for i in infos}
    internal = {
        i.name: {t.qualname: [p.name for p in t.params if p.internal] for t in i.targets}
        for i in infos
    }
    with (
        tempfile.TemporaryDirectory(prefix="autoimprove-examples-") as tmp,
        ThreadPoolExecutor(1) as pool,
    ):
        script_file = examples_file(Path(tmp), root, infos, _sys_path(root, infos))
        shown = None
        if script_file is not None:
            shown = pool.submit(
                run_tracer,
                root,
                examples_command(script_file),
                files,
                targets,
                timeout=max(1.0, deadline - time.monotonic()),
                internal=internal,
            )
        documented: dict[str, dict[str, list[TracedCall]]] = {}
        command = doctest_command(root, infos)
        if command is not None:
            share = DOCTEST_SHARE * (deadline - time.monotonic())
            documented, _ = run_tracer(
                root, command, files, targets, timeout=max(1.0, share), internal=internal
            )
        traced, note = run_tracer(
            root,
            _test_command(request),
            files,
            targets,
            timeout=max(2.0, deadline - time.monotonic()),
            ignore=[request.output_dir.as_posix()],
            internal=internal,
            named={module: sorted(qualnames) for module, qualnames in named.items()},
        )
        if shown is not None:
            documented = with_doctest_calls(documented, shown.result()[0], via="examples")
    return with_doctest_calls(traced, documented), note


# --- probing --------------------------------------------------------------------------


def _discoveries(
    planned: dict[str, list[TargetCandidates]], probed: dict[str, Any]
) -> dict[str, dict[str, dict[str, Kind]]]:
    """``module -> qualname -> param -> kind`` for parameters discovery could type."""
    out: dict[str, dict[str, dict[str, Kind]]] = {}
    for module, plans in planned.items():
        record = probed["modules"].get(module, {})
        ok = {(r["qualname"], r["id"]) for r in record.get("cases", []) if r.get("status") == "ok"}
        for tc in plans:
            ids = {cid for q, cid in ok if q == tc.target.qualname}
            kinds = discovered_kinds(tc, ids)
            if kinds:
                out.setdefault(module, {})[tc.target.qualname] = kinds
    return out


def _sys_path(root: Path, infos: Sequence[ModuleInfo]) -> list[str]:
    return list(dict.fromkeys(str((root / i.import_root).resolve()) for i in infos))


#: Probe order: ordinary inputs of every target first, then edges, then random ones,
#: so a probe cut short by the budget still has each target's most useful cases.
_TIERS = {
    "real": 0,
    "doctest": 0,
    "sample": 0,
    "regex": 0,
    "format": 0,
    "factory": 0,
    "discovery": 0,
    "base": 0,
    "edge": 1,
    "pairwise": 1,
    "random": 2,
}


def _probe(
    root: Path,
    infos: Sequence[ModuleInfo],
    planned: dict[str, list[TargetCandidates]],
    deadline: float,
    named: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    budget = max(1.0, deadline - time.monotonic())
    payload = {
        "sys_path": _sys_path(root, infos),
        "call_timeout": 1.5,
        "budget": budget,
        "modules": [
            {
                "name": info.name,
                "surface_names": [t.qualname for t in info.targets],
                "cases": [
                    {
                        "id": c.id,
                        "qualname": tc.target.qualname,
                        "kind": tc.target.kind,
                        "payload": c.payload,
                        # The targets improve.md names come first, whatever the tier.
                        "tier": _TIERS.get(c.origin, 1)
                        - (10 if tc.target.qualname in (named or {}).get(info.name, ()) else 0),
                        "check": c.check,
                        "origin": c.origin,
                    }
                    for tc in planned.get(info.name, [])
                    for c in tc.candidates
                ],
            }
            for info in infos
        ],
    }
    with tempfile.TemporaryDirectory(prefix="autoimprove-probe-") as tmp:
        inp, out = Path(tmp) / "in.pickle", Path(tmp) / "out.pickle"
        inp.write_bytes(pickle.dumps(payload, protocol=4))
        env = scratch_env(PYTHONHASHSEED="0")
        code, tail = _run(
            [
                sys.executable,
                "-m",
                "pytest_autoimprove.generators.performance.probe",
                str(inp),
                str(out),
            ],
            cwd=root,
            env=env,
            timeout=budget + GRACE,
        )
        if not out.exists():
            return {
                "modules": {
                    i.name: {"error": f"the probe failed (exit {code}): {tail}"} for i in infos
                }
            }
        result: dict[str, Any] = pickle.loads(out.read_bytes())  # noqa: S301 - our probe's output
        return result


def _run(argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str]:
    """(exit code, output tail) of ``argv`` run by :func:`~pytest_autoimprove.process.run_command`.

    A timeout reads as exit -9, the way the verifier expects a killed run.
    """
    result = run_command(argv, cwd=cwd, env=env, timeout=timeout)
    return (-9 if result.returncode is None else result.returncode), result.output[-TAIL:]


# --- files and verification ------------------------------------------------------------


def _attach_examples(plan: ModulePlan, scripts: Mapping[str, Sequence[Example]]) -> None:
    """The project's examples calling each target, as that target's example test."""
    for tp in plan.targets:
        for script in scripts.get(tp.qualname, ()):
            source = example_source(script.where, script.source, script.globals_of)
            comment = f"{script.where}: the project's example; guards changed-behaviour"
            tp.examples.append(CaseText(script.id, source, None, comment))


def _files(plans: Sequence[ModulePlan], copy_files: Sequence[GeneratedFile]) -> list[GeneratedFile]:
    files: list[GeneratedFile] = []
    for plan in plans:
        files.append(GeneratedFile(plan.test_path, render_module(plan)))
        used = {
            c.data_key
            for t in plan.targets
            for c in [*t.recorded, *t.edge]
            if c.data_key and c.id not in t.dropped
        }
        if used:
            blob = {k: plan.data[k] for k in sorted(used)}
            files.append(GeneratedFile(plan.data_path, _data_bytes(blob)))
    files.extend(copy_files)
    return sorted(files, key=lambda f: f.path.as_posix())


def _data_bytes(blob: dict[str, bytes]) -> bytes:
    """A pickle of ``key -> Case``, built from the probe's pickles without loading them."""
    # The generator never unpickles user objects: it writes a dict whose values are
    # pickles, and load_cases unwraps them at test time.
    return pickle.dumps({"format": 1, "cases": blob}, protocol=4)
