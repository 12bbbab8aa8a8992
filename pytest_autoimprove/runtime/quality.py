"""What the generated quality guardrail tests call at test time.

Each generated test is one line calling a ``check_*`` function here, so the test file
reads as a list of guarantees and their data. The benchmark runs at most twice per
test session (once on the holdout, once on the visible split with the entry point
probe), cached here, however many tests look at the results.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pytest_autoimprove.runtime.generalization import GUARD_Z, Split, generalization_problem
from pytest_autoimprove.runtime.golden import normalize_query, read_golden
from pytest_autoimprove.runtime.harness import (
    GOLDEN_ENV,
    Harness,
    HarnessRun,
    run_harness,
)
from pytest_autoimprove.runtime.invariants import Invariant, check_invariant
from pytest_autoimprove.runtime.leakage import Needles, leaks
from pytest_autoimprove.runtime.tables import GoldenHints, tables_in_files

__all__ = [
    "Harness",
    "Invariant",
    "check_edge_input",
    "check_gain_carries_over",
    "check_holdout",
    "check_no_golden_tables",
    "check_invariant_holds",
    "check_no_golden_in_code",
    "check_no_golden_reads",
    "golden_answers",
    "holdout_run",
    "probe_run",
]


@functools.lru_cache(maxsize=8)
def holdout_run(harness: Harness, split: Path) -> HarnessRun:
    """The benchmark scored on the holdout split (a fresh temp copy of ``split``)."""
    return run_harness(harness, split.read_text(encoding="utf-8"), split_name="holdout")


def _text(split: Path | None) -> str | None:
    return None if split is None else split.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=8)
def _probe_run(harness: Harness, split: Path | None, probe_json: str) -> HarnessRun:
    return run_harness(harness, _text(split), split_name="visible", probe=json.loads(probe_json))


def probe_run(harness: Harness, split: Path | None, probe: dict[str, Any]) -> HarnessRun:
    """The benchmark on the visible split with the entry point probe installed."""
    return _probe_run(harness, split, json.dumps(probe, sort_keys=True))


def _fail(message: str) -> None:
    __tracebackhide__ = True
    raise AssertionError(message)


def check_holdout(
    harness: Harness, split: Path, *, baseline: float, allowed_drop: float, goal: str
) -> None:
    """The holdout score is no worse than ``baseline`` by more than ``allowed_drop``."""
    __tracebackhide__ = True
    run = holdout_run(harness, split)
    problem = run.failure()
    if problem is not None:
        _fail(f"the benchmark does not score the holdout split: {problem}")
    assert run.score is not None
    drop = baseline - run.score if goal == "higher" else run.score - baseline
    if drop > allowed_drop:
        _fail(
            f"holdout score {run.score:g} is worse than the baseline's {baseline:g} by "
            f"{drop:g} (allowed {allowed_drop:g}): the change fits the visible golden "
            "queries, not the task"
        )


def check_no_golden_reads(
    harness: Harness, holdout: Path | None, visible: Path | None, probe: dict[str, Any] | None
) -> None:
    """No code in scope opened a golden file (or ran git / a command naming one)."""
    __tracebackhide__ = True
    runs = []
    if holdout is not None:
        runs.append(holdout_run(harness, holdout))
    runs.append(probe_run(harness, visible, probe) if probe else _plain_run(harness, visible))
    bad = [e for run in runs for e in run.events if e.get("e") in ("read", "spawn")]
    if bad:
        lines = [f"  {e['by']}: {e.get('op')} {e.get('path') or e.get('args')}" for e in bad[:10]]
        _fail(
            "code in scope reads the golden set (its answers must not be an input of the "
            f"system; the benchmark passes the split itself via {{golden}} / ${GOLDEN_ENV}):\n"
            + "\n".join(lines)
        )


def _golden_texts(splits: Sequence[Path], *, ids_only: bool) -> tuple[list[str], list[str]]:
    """The queries and answers of the golden splits that exist; with ``ids_only``, only
    the answers that are retrieval ids (a label like ``positive`` is no leak)."""
    queries: list[str] = []
    answers: list[str] = []
    for split in splits:
        if split.is_file():
            golden = read_golden(split)
            queries += golden.queries
            records = [r for r in golden.records if r.answer_ids or not ids_only]
            answers += [a for r in records for a in r.answers]
    return queries, answers


@functools.lru_cache(maxsize=8)
def _plain_run(harness: Harness, split: Path | None) -> HarnessRun:
    return run_harness(harness, _text(split), split_name="visible")


def check_no_golden_in_code(
    harness: Harness,
    splits: Sequence[Path],
    *,
    names: Sequence[str],
    stems: Sequence[str] = (),
    allowed: Sequence[tuple[str, str]] = (),
) -> None:
    """No file in scope names a golden file or embeds golden queries or answer ids."""
    __tracebackhide__ = True
    queries, answers = _golden_texts(splits, ids_only=True)
    needles = Needles.build(names, queries, answers, stems)
    found = leaks(harness.root, harness.files(), needles, [tuple(a) for a in allowed])  # type: ignore[misc]
    if found:
        shown = "\n".join(f"  {leak}" for leak in found[:15])
        _fail(
            "code in scope embeds the golden set (hard-coded queries or answers, or the "
            f"path of a golden file):\n{shown}"
        )


def check_edge_input(
    harness: Harness,
    split: Path | None,
    probe: dict[str, Any],
    target: str,
    text: str,
    raises: str | None,
) -> None:
    """``target`` still handles ``text`` (as the baseline did: no exception, or ``raises``)."""
    __tracebackhide__ = True
    run = probe_run(harness, split, probe)
    calls = [
        e
        for e in run.events
        if e.get("e") == "call"
        and e.get("t") == target
        and e.get("src") == "edge"
        and e.get("q") == text
    ]
    if not calls:
        problem = run.failure() or "the benchmark never called it with a text query"
        _fail(f"{target} was not probed with {text[:60]!r}: {problem}")
    call = calls[0]
    if raises is None and not call.get("ok"):
        _fail(
            f"{target}({text[:60]!r}) raised {call.get('error')}: {call.get('message')}; "
            "the baseline handled this input"
        )
    if raises is not None and call.get("error") != raises:
        outcome = "returned normally" if call.get("ok") else f"raised {call.get('error')}"
        _fail(f"{target}({text[:60]!r}) {outcome}; the baseline raised {raises}")


def check_invariant_holds(
    harness: Harness, split: Path | None, probe: dict[str, Any], invariant: Invariant
) -> None:
    """``invariant`` (learned from the baseline) holds on every probed call."""
    __tracebackhide__ = True
    run = probe_run(harness, split, probe)
    problem = check_invariant(invariant, run.events, golden_answers(split))
    if problem is not None:
        _fail(problem)


@functools.lru_cache(maxsize=8)
def golden_answers(split: Path | None) -> dict[str, tuple[str, ...]]:
    """Normalized golden query -> its expected ids or label, from the split file."""
    if split is None or not split.is_file():
        return {}
    return {normalize_query(r.query): r.answers for r in read_golden(split).records if r.query}


def _score(run: HarnessRun, what: str) -> float:
    __tracebackhide__ = True
    problem = run.failure()
    if problem is not None:
        _fail(f"the benchmark does not score the {what}: {problem}")
    assert run.score is not None
    return run.score


def check_gain_carries_over(
    harness: Harness,
    visible: Path,
    holdout: Path,
    probe: dict[str, Any] | None,
    *,
    baseline: tuple[float, float],
    rows: tuple[int, int],
    goal: str,
    z: float = GUARD_Z,
) -> None:
    """A gain on the visible split since the baseline shows on the holdout too.

    :param baseline: the baseline's ``(visible, holdout)`` scores.
    :param rows: the ``(visible, holdout)`` splits' sizes.
    :param z: standard errors of the gap between the splits that fail the test.
    """
    __tracebackhide__ = True
    run = probe_run(harness, visible, probe) if probe else _plain_run(harness, visible)
    now_visible = _score(run, "visible split")
    now_holdout = _score(holdout_run(harness, holdout), "holdout split")
    problem = generalization_problem(
        Split(baseline[0], now_visible, rows[0]),
        Split(baseline[1], now_holdout, rows[1]),
        goal=goal,
        z=z,
    )
    if problem is not None:
        _fail(problem)


def check_no_golden_tables(
    harness: Harness, splits: Sequence[Path], *, baseline: Sequence[str], limit: int
) -> None:
    """Code in scope holds fewer than ``limit`` golden-table entries the baseline did not have."""
    __tracebackhide__ = True
    queries, answers = _golden_texts(splits, ids_only=False)
    allowed = set(baseline)
    hints = GoldenHints.build(queries, answers)
    tables = tables_in_files(harness.root, harness.files(), hints)
    new = {e for t in tables for e in t.entries if e not in allowed}
    if len(new) >= limit:
        shown = "\n".join(f"  {t}" for t in tables if any(e in new for e in t.entries))
        _fail(
            f"code in scope gained {len(new)} entries of tables shaped like a memorized golden "
            f"set (golden texts or hashes as keys, answers in order; {limit} are allowed): "
            f"answers must come from the system, not from a table of the golden rows:\n{shown}"
        )
