"""The speed generator's strength rows: one per target in scope, from what each phase saw.

Tests per target come from the rendered plans, the mutation score from
:mod:`.strengthen`, and for a target left without tests the reason from what the
probe recorded (:func:`.focus.untested_reason`). :mod:`..strength` writes and prints
them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pytest_autoimprove.generators import Finding, GeneratedFile
from pytest_autoimprove.generators.discover import ModuleInfo
from pytest_autoimprove.generators.performance.focus import untested_reason
from pytest_autoimprove.generators.performance.plan import TargetCandidates
from pytest_autoimprove.generators.performance.render import ModulePlan
from pytest_autoimprove.generators.performance.strengthen import TargetMutation
from pytest_autoimprove.generators.strength import (
    REPORT_JSON,
    REPORT_MD,
    TargetStrength,
    markdown,
    report_json,
)

__all__ = ["report_files", "strength_rows"]


def strength_rows(
    infos: Sequence[ModuleInfo],
    plans: Sequence[ModulePlan],
    planned: Mapping[str, Sequence[TargetCandidates]],
    probed: Mapping[str, Any],
    findings: Sequence[Finding],
    mutation: Mapping[tuple[str, str], TargetMutation],
    named: Mapping[str, set[str]] | None = None,
    unfound: Sequence[str] = (),
) -> list[TargetStrength]:
    """One row per target in scope: the named targets first, then the rest, in file
    order; first of all, the names improve.md gives that no target answers to."""
    first = {f"{module}.{q}" for module, names in (named or {}).items() for q in names}
    rows: list[TargetStrength] = []
    by_name = {p.name: p for p in plans}
    for info in infos:
        plan = by_name.get(info.name)
        record = probed.get("modules", {}).get(info.name, {})
        if plan is None:
            reason = f"its module does not import ({record.get('error') or 'see the notes'})"
            rows += [
                TargetStrength(f"{info.name}.{t.qualname}", 0, reason=reason) for t in info.targets
            ]
            continue
        candidates = {tc.target.qualname: tc for tc in planned.get(info.name, ())}
        records: dict[str, list[Mapping[str, Any]]] = {}
        for case in record.get("cases", []):
            if not str(case.get("id", "")).startswith(("discover-", "base")):
                records.setdefault(case["qualname"], []).append(case)
        kept = {t.qualname for t in plan.targets}
        for t in plan.targets:
            result = mutation.get((info.name, t.qualname), TargetMutation())
            tests = t.test_count
            reason = result.reason if result.total == 0 else ""
            if tests == 0:
                tc = candidates.get(t.qualname)
                planned_calls = (
                    [c for c in tc.candidates if c.group in ("recorded", "edge")] if tc else []
                )
                reason = untested_reason(
                    len(planned_calls),
                    records.get(t.qualname, []),
                    frozen_cases=len(t.recorded) + len(t.edge),
                    findings=sum(
                        1 for f in findings if f.path == info.path and f.target == t.qualname
                    ),
                    probe_stopped=bool(probed.get("stopped")),
                )
            rows.append(
                TargetStrength(
                    f"{info.name}.{t.qualname}",
                    tests,
                    result.killed,
                    result.total,
                    tuple(result.survivors),
                    reason,
                )
            )
        for target in info.targets:
            if target.qualname not in kept:
                reason = "its tests could not be verified on the baseline in time (raise --budget)"
                rows.append(TargetStrength(f"{info.name}.{target.qualname}", 0, reason=reason))
    paths = ", ".join(info.path.as_posix() for info in infos)
    missing = [
        TargetStrength(
            name,
            0,
            reason=f"improve.md names it, but no function, class or method of {paths} "
            "has that name; fix the name in improve.md or add its file to the scope",
        )
        for name in unfound
    ]
    return missing + sorted(rows, key=lambda row: row.target not in first)


def report_files(output_dir: Path, rows: Sequence[TargetStrength]) -> list[GeneratedFile]:
    """``strength.json`` and ``STRENGTH.md`` for ``rows`` (none when there are no rows)."""
    if not rows:
        return []
    return [
        GeneratedFile(output_dir / REPORT_JSON, report_json(rows)),
        GeneratedFile(output_dir / REPORT_MD, markdown(rows)),
    ]
