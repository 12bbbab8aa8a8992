"""The built-in guardrail generator for quality goals (retrieval, ranking, classification).

An agent chasing a quality score on a golden set cheats in ways a speed agent does
not: it tunes to the queries it is scored on, reads or pastes the answers, special-
cases the exact golden strings, and never tries the odd inputs real users type. This
generator writes one test file (plus the golden split) that catches each:

1. split the golden set into a visible part (what the loop scores, see
   :func:`visible_golden_path`) and a holdout (:mod:`.split`); record the
   baseline's holdout score; a test fails when it drops by more than
   ``max(tolerance x |baseline|, 3 x noise)`` (tolerance: ``tolerance:`` in improve.md,
   else :data:`DEFAULT_RELATIVE_DROP`; noise: the spread of two baseline runs);
2. leakage: a static scan of the files in scope for golden paths, queries and answer
   ids (:mod:`~pytest_autoimprove.runtime.leakage`), and a runtime watcher that logs
   any read of a golden file by code in scope while the benchmark scores a fresh temp
   copy of the split (:mod:`~pytest_autoimprove.runtime.harness`);
3. robustness: the query-like entry points are called, inside the benchmark's own
   processes, with edge inputs (:mod:`.probe`). A crash of the baseline is a
   :class:`~pytest_autoimprove.generators.Finding` and gets no test (guard tests must
   pass on the baseline); every input it handles becomes a "still handles it" test;
4. invariants the baseline kept on every observation become tests.

Everything generated is run once on a scratch copy of the repo; what fails on the
untouched baseline is dropped (and noted) before anything is returned. An excerpt of
what it writes::

    # risk holdout-overfit: tuned to the visible golden queries: the score on unseen
    # queries drops
    BASELINE_HOLDOUT_SCORE = 0.7907
    ALLOWED_DROP = 0.015814


    @pytest.mark.autoimprove_guard
    def test_holdout_score_did_not_drop() -> None:
        check_holdout(HARNESS, GOLDEN / "holdout.jsonl", baseline=BASELINE_HOLDOUT_SCORE,
                      allowed_drop=ALLOWED_DROP, goal='higher')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pytest_autoimprove import guard
from pytest_autoimprove.config import ImproveConfig
from pytest_autoimprove.generators import (
    Finding,
    GeneratedFile,
    GenerateRequest,
    GenerationResult,
    visible_split,
)
from pytest_autoimprove.generators.discover import discover
from pytest_autoimprove.generators.quality.corpus import corpus_ids
from pytest_autoimprove.generators.quality.probe import (
    EntryPoint,
    candidates,
    edge_inputs,
    entry_points,
)
from pytest_autoimprove.generators.quality.render import EdgeCase, QualityPlan, render_quality
from pytest_autoimprove.generators.quality.sealed_holdout import plan_sealed
from pytest_autoimprove.generators.quality.split import split_golden
from pytest_autoimprove.generators.quality.verify import verify_plan
from pytest_autoimprove.names import GOLDEN_ENV, GUARD_DIR
from pytest_autoimprove.runtime.golden import (
    GoldenRecord,
    GoldenSet,
    read_golden,
    render_records,
)
from pytest_autoimprove.runtime.harness import (
    Harness,
    HarnessRun,
    run_harness,
)
from pytest_autoimprove.runtime.invariants import learn_invariants
from pytest_autoimprove.runtime.leakage import Needles, scan_file
from pytest_autoimprove.runtime.tables import DEFAULT_SHARE as DEFAULT_TABLE_SHARE
from pytest_autoimprove.runtime.tables import MIN_ENTRIES as MIN_TABLE_ENTRIES
from pytest_autoimprove.runtime.tables import GoldenHints, table_limit, tables_in_files

__all__ = [
    "DEFAULT_RELATIVE_DROP",
    "NAME",
    "NOISE_FACTOR",
    "TEST_FILE",
    "build_harness",
    "generate",
    "pytest_autoimprove_generate",
    "visible_golden_path",
]

NAME = "quality"
#: The file written into the guard folder.
TEST_FILE = "test_guard_quality.py"
#: Allowed holdout drop, relative to the baseline's holdout score, when improve.md has no
#: ``tolerance:``.
DEFAULT_RELATIVE_DROP = 0.02
#: The allowed drop is at least this many times the spread of two baseline runs.
NOISE_FACTOR = 3.0
#: Golden queries per entry point observed with variants (padded, re-cased).
MAX_OBSERVED = 50
#: Seconds one probed call may take.
CALL_TIMEOUT = 10.0
_GOLDEN_SUBDIR = "golden"


@pytest.hookimpl
def pytest_autoimprove_generate(request: GenerateRequest) -> GenerationResult | None:
    """Hook implementation: guardrails for ``kind: quality`` goals."""
    if request.kind != "quality":
        return None
    return generate(request)


def visible_golden_path(root: Path, output_dir: Path | str = GUARD_DIR) -> Path | None:
    """The visible split the loop passes as ``{golden}`` / ``$AUTOIMPROVE_GOLDEN``, if generated."""
    return visible_split(root / output_dir / _GOLDEN_SUBDIR)


def generate(request: GenerateRequest, *, verify: bool = True) -> GenerationResult:
    """The quality guardrails for ``request`` (files are returned, not written)."""
    config = request.config
    if config is None:
        return GenerationResult(NAME, notes=("quality guardrails need improve.md (run, golden)",))
    root = request.root.resolve()
    notes: list[str] = []
    findings: list[Finding] = []
    files: list[GeneratedFile] = []
    out_dir = Path(request.output_dir)
    golden_rel = config.check.golden
    golden: GoldenSet | None = None
    visible: list[GoldenRecord] = []
    holdout: list[GoldenRecord] = []
    visible_text = holdout_text = None
    visible_name = holdout_name = None
    if golden_rel:
        path = root / golden_rel
        if not path.is_file():
            raise config.error(
                "check.golden",
                f"golden set {golden_rel} not found",
                "give its path relative to the repository root, or build one with "
                "`autoimprove-guard golden`",
            )
        golden = read_golden(path)
        visible, holdout = split_golden(golden)
        suffix = path.suffix or ".jsonl"
        visible_name = f"visible{suffix}"
        visible_text = render_records(golden, visible)
        files.append(GeneratedFile(out_dir / _GOLDEN_SUBDIR / visible_name, visible_text))
        if holdout:
            holdout_name = f"holdout{suffix}"
            holdout_text = render_records(golden, holdout)
            files.append(GeneratedFile(out_dir / _GOLDEN_SUBDIR / holdout_name, holdout_text))
            notes.append(
                f"golden set split: {len(visible)} visible, {len(holdout)} holdout records; "
                f"the loop must score {out_dir.as_posix()}/{_GOLDEN_SUBDIR}/{visible_name}"
            )
        else:
            notes.append(f"golden set {golden_rel} is too small for a holdout; none split off")
    else:
        notes.append("no `golden:` in improve.md: no holdout and no leakage checks")

    harness = build_harness(root, config, out_dir)
    if golden_rel and visible_text is not None:
        mode, runs = _detect_mode(harness, visible_text, holdout_text)
        harness = replace(harness, mode=mode)
        if mode == "copy":
            notes.append(
                "the benchmark ignores {golden} and $AUTOIMPROVE_GOLDEN: splits are scored "
                f"in a scratch copy with {golden_rel} replaced; add {{golden}} to `run:` so the "
                "loop scores only the visible split"
            )
    else:
        runs = {}
    plan = QualityPlan(
        harness=harness,
        goal=config.check.goal,
        golden=golden_rel,
        visible=visible_name,
        holdout=holdout_name,
        depth=len(out_dir.parts),
    )
    if holdout_text is not None:
        _plan_holdout(plan, harness, holdout_text, runs, config, notes, findings)
    if golden is not None:
        _plan_leakage(plan, root, harness, golden)
        _plan_tables(plan, root, harness, golden, config)
    else:
        plan.check_reads = plan.check_literals = False
    modules = [m for m in request.modules if m.suffix == ".py"]
    points = entry_points(root, modules)
    if golden is not None and golden.queries:
        # Callables taking the query under a name no rule knows: the benchmark's calls
        # with golden queries tell (see probe.candidates).
        points += candidates(root, modules, points)
    if points:
        _plan_probe(plan, root, harness, points, visible_text, golden, notes, findings)
    else:
        notes.append("no query-like entry point found in scope: no robustness tests")
    if plan.baseline_holdout is not None and visible_text is not None:
        _plan_generalization(plan, harness, visible_text, runs, len(visible), len(holdout))
    tolerance = config.check.tolerance
    sealed, sealed_notes = plan_sealed(
        root,
        config,
        harness,
        relative_drop=DEFAULT_RELATIVE_DROP if tolerance is None else tolerance,
        noise_factor=NOISE_FACTOR,
    )
    files += [sealed] if sealed is not None else []
    notes += sealed_notes
    test_path = out_dir / TEST_FILE
    if verify:
        notes += verify_plan(root, plan, files, test_path, request.time_budget)
    files.append(GeneratedFile(test_path, render_quality(plan)))
    return GenerationResult(NAME, tuple(files), tuple(findings), tuple(notes))


def build_harness(root: Path, config: ImproveConfig, out_dir: Path = Path(GUARD_DIR)) -> Harness:
    """How generated tests run the benchmark (``mode`` still to be detected: ``arg``)."""
    protected = tuple(guard.frozen_patterns(config)) + (guard.config_path_in(root, config),)
    return Harness(
        root=root,
        run=config.check.run,
        score=config.check.score.pattern if config.check.score is not None else None,
        golden=config.check.golden,
        mode="arg",
        timeout=config.check.timeout,
        scope=config.change.scope,
        exclude=config.change.exclude,
        protected=protected,
        guard_dir=out_dir.as_posix(),
    )


def _detect_mode(
    harness: Harness, visible: str, holdout: str | None
) -> tuple[str, dict[str, HarnessRun]]:
    """How the benchmark takes a split: ``arg`` ({golden}), ``env`` or ``copy``."""
    if "{golden}" in harness.run:
        return "arg", {}
    runs: dict[str, HarnessRun] = {}
    if holdout is not None:
        runs["visible"] = run_harness(harness, visible, split_name="visible", mode="env")
        runs["holdout"] = run_harness(harness, holdout, split_name="holdout", mode="env")
        a, b = runs["visible"], runs["holdout"]
        if a.failure() is None and b.failure() is None and a.score != b.score:
            return "env", runs
    # An empty split: a benchmark honouring $AUTOIMPROVE_GOLDEN fails or scores differently.
    empty = run_harness(harness, "", split_name="empty", mode="env")
    if empty.failure() is not None:
        return "env", runs
    if "visible" in runs and empty.score != runs["visible"].score:
        return "env", runs
    return "copy", {}


def _plan_holdout(
    plan: QualityPlan,
    harness: Harness,
    holdout_text: str,
    runs: dict[str, HarnessRun],
    config: ImproveConfig,
    notes: list[str],
    findings: list[Finding],
) -> None:
    first = runs.get("holdout") if harness.mode == "env" else None
    first = first or run_harness(harness, holdout_text, split_name="holdout")
    second = run_harness(harness, holdout_text, split_name="holdout")
    problem = first.failure() or second.failure()
    if problem is not None or first.score is None or second.score is None:
        findings.append(
            Finding(
                Path(config.check.golden or "improve.md"),
                None,
                "holdout",
                f"the benchmark fails on the holdout split: {problem}",
            )
        )
        notes.append("no holdout test: the baseline benchmark fails on the holdout split")
        return
    noise = abs(first.score - second.score)
    relative = config.check.tolerance
    if relative is None:
        relative = DEFAULT_RELATIVE_DROP
    allowed = max(relative * abs(first.score), NOISE_FACTOR * noise, 1e-9)
    plan.baseline_holdout = first.score
    plan.allowed_drop = round(allowed, 12)
    plan.tolerance_note = (
        f"max({relative:g} x |baseline|, {NOISE_FACTOR:g} x noise {noise:g} seen between two "
        "baseline runs)"
    )


def _plan_generalization(
    plan: QualityPlan,
    harness: Harness,
    visible_text: str,
    runs: dict[str, HarnessRun],
    visible_rows: int,
    holdout_rows: int,
) -> None:
    """The baseline's visible score, measured the way the test will (with the probe, if any)."""
    score = plan.probe_score if plan.probe is not None else None
    if plan.probe is None:
        run = runs.get("visible") if harness.mode == "env" else None
        run = run or run_harness(harness, visible_text, split_name="visible")
        score = run.score if run.failure() is None else None
    if score is None or plan.baseline_holdout is None:
        return
    plan.baseline_visible = score
    plan.rows = (visible_rows, holdout_rows)


def _plan_tables(
    plan: QualityPlan, root: Path, harness: Harness, golden: GoldenSet, config: ImproveConfig
) -> None:
    """The table entries the baseline already has, and how many a change may add."""
    setting = config.check.max_table
    if setting == 0:
        plan.table_limit = None
        return
    hints = GoldenHints.build(golden.queries, [a for r in golden.records for a in r.answers])
    entries = {e for table in tables_in_files(root, harness.files(), hints) for e in table.entries}
    rows = len(golden.records)
    plan.table_limit = table_limit(rows, setting)
    plan.table_baseline = tuple(sorted(entries))
    plan.table_note = (
        f"{config.check.max_table:g} entries (max_table: in improve.md)"
        if setting is not None and setting >= 1
        else f"max({MIN_TABLE_ENTRIES}, {(setting or DEFAULT_TABLE_SHARE):.0%} of {rows} "
        "golden rows); max_table: in improve.md changes it"
    )


def _plan_leakage(plan: QualityPlan, root: Path, harness: Harness, golden: GoldenSet) -> None:
    assert harness.golden is not None
    golden_name = Path(harness.golden).name
    names = {golden_name, GOLDEN_ENV, Path(harness.guard_dir).name}
    for name in (plan.visible, plan.holdout):
        if name and name.startswith("holdout"):
            names.add(name)
    stems = [Path(golden_name).stem]
    plan.leak_names = tuple(sorted(names))
    plan.leak_stems = tuple(stems)
    answers = [a for r in golden.records if r.answer_ids for a in r.answers]
    needles = Needles.build(names, golden.queries, answers, stems)
    allowed = {
        (leak.kind, leak.value) for rel in harness.files() for leak in scan_file(root, rel, needles)
    }
    plan.allowed_leaks = tuple(sorted(allowed))


def _plan_probe(
    plan: QualityPlan,
    root: Path,
    harness: Harness,
    points: Sequence[EntryPoint],
    visible_text: str | None,
    golden: GoldenSet | None,
    notes: list[str],
    findings: list[Finding],
) -> None:
    queries = golden.queries if golden is not None else []
    edges = edge_inputs(queries)
    probe = {
        "targets": [p.spec() for p in points],
        "edges": [text for _, text, _ in edges],
        "max_observed": MAX_OBSERVED,
        "call_timeout": CALL_TIMEOUT,
    }
    run = run_harness(harness, visible_text, split_name="visible", probe=probe)
    plan.probe_score = run.score if run.failure() is None else None
    if run.failure() is not None:
        # Confirm without the probe: the loop scores the plain run.
        plain = run_harness(harness, visible_text, split_name="visible")
        problem = plain.failure()
        if problem is not None:
            findings.append(
                Finding(
                    Path(harness.golden or "improve.md"),
                    None,
                    "benchmark",
                    "the benchmark fails on the visible split the loop scores (the loop will "
                    f"refuse to start until it passes): {_last_line(problem)}",
                )
            )
    labels = sorted({r.label for r in golden.records if r.label is not None}) if golden else []
    if golden is not None and any(r.answer_ids for r in golden.records):
        labels = []
    observed: list[EntryPoint] = []
    seen = {str(e["t"]): str(e["param"]) for e in run.events if e.get("e") == "seen"}
    points = [
        p.found(seen[p.id]) if p.discover and p.id in seen else p
        for p in points
        if not p.discover or p.id in seen
    ]
    helpers = _internal_helpers(run.events, points)
    for point in points:
        calls = [e for e in run.events if e.get("e") == "call" and e.get("t") == point.id]
        if point.id in helpers:
            notes.append(
                f"{point.id} is only called by other code in scope (a helper, free to "
                "change): not probed"
            )
            continue
        if not calls:
            unmatched = any(
                e.get("e") == "cli-unmatched" and e.get("t") == point.id for e in run.events
            )
            notes.append(
                f"{point.id} ran, but no argument of its command line is a golden query "
                "(read from stdin or a file?): not probed"
                if unmatched
                else f"{point.id} is not called by the benchmark: not probed"
            )
            continue
        observed.append(point)
        expected = _expected_exceptions(root, point)
        crashes: dict[str, list[str]] = {}
        for name, text, risk in edges:
            call = next((c for c in calls if c.get("src") == "edge" and c.get("q") == text), None)
            if call is None:
                continue
            if call.get("ok"):
                plan.edges.append(EdgeCase(point.id, name, text, None, risk))
            elif call.get("deliberate") and (point.kind == "cli" or call.get("error") in expected):
                plan.edges.append(EdgeCase(point.id, name, text, call["error"], risk))
            else:
                crashes.setdefault(str(call.get("error")), []).append(
                    f"{_short(text)} ({call.get('message', '')[:80]})"
                )
        # The benchmark's own queries (and their padded or re-cased variants) crash too.
        for call in calls:
            if call.get("src") != "edge" and not call.get("ok") and not call.get("deliberate"):
                inputs = crashes.setdefault(str(call.get("error")), [])
                entry = f"{_short(call['q'])} ({call.get('message', '')[:80]})"
                if entry not in inputs:
                    inputs.append(entry)
        for error, inputs in sorted(crashes.items()):
            ordered = sorted(inputs, key=lambda s: ("-" not in s.split(" (")[0], 0))
            # A person reads this before the first experiment: a few examples, not all 33.
            shown = "; ".join(ordered[:_FINDING_EXAMPLES])
            more = len(ordered) - _FINDING_EXAMPLES
            findings.append(
                Finding(
                    Path(point.path),
                    point.line,
                    point.qualname,
                    f"crashes with {error} on {len(inputs)} input(s): {shown}"
                    + (f"; and {more} more" if more > 0 else ""),
                )
            )
        returned = {
            str(i)
            for c in calls
            if c.get("ok") and isinstance(c.get("summary"), dict)
            for i in c["summary"].get("ids", ())
        }
        corpus = corpus_ids(root, run.events, returned)
        plan.invariants += learn_invariants(run.events, point.id, labels, corpus)
    if observed:
        plan.probe = {**probe, "targets": [p.spec() for p in observed]}
    elif not any(not p.discover for p in points):
        notes.append("no query-like entry point found in scope: no robustness tests")


_FINDING_EXAMPLES = 4


def _internal_helpers(events: Sequence[dict[str, Any]], points: Sequence[EntryPoint]) -> set[str]:
    """Entry points only ever called from code in scope, when others are called from outside.

    An internal helper (a tokenizer the ranking calls) may change shape in an honest
    refactor; what the benchmark calls may not. When nothing is called from outside
    (the benchmark goes through a module out of scope), every entry point counts.
    """
    external: set[str] = set()
    called: set[str] = set()
    for event in events:
        if event.get("e") == "call" and event.get("src") == "golden":
            called.add(str(event.get("t")))
            if event.get("ext", True):
                external.add(str(event.get("t")))
    if not external:
        return set()
    return {p.id for p in points if p.id in called and p.id not in external}


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else text[:200]


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _expected_exceptions(root: Path, point: EntryPoint) -> set[str]:
    """Exceptions the module raises on purpose (``raise X``) or documents.

    An edge input raising one of them counts as rejected on purpose (and is frozen as
    "still raises it") only if the watcher saw a ``raise`` statement in scope throw it.
    """
    try:
        info = discover(root, Path(point.path))
    except Exception:  # noqa: BLE001
        return set()
    return set(info.expected_exceptions)
