"""The strength report: how well the frozen guardrails guard each target in scope.

``generate`` ends with a table of the targets in scope: how many tests each has, the
mutation score of those tests (likely regressions written as code mutants, see
:mod:`.mutants`: how many of them the guardrails kill) and, for every target left
without tests, why. The same rows are written beside the tests as
``strength.json`` (read by ``autoimprove-guard status`` and by benchmark scripts)
and ``STRENGTH.md`` (for a reader, with the surviving mutants listed).

Both files sit in the guard folder and so are frozen by the lock with the tests they
describe: an experiment cannot make the report claim more than the frozen tests do,
and regenerating rewrites the tests and the report together.

This module is cheap to import (the CLI's ``status`` reads the report).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "REPORT_JSON",
    "REPORT_MD",
    "TargetStrength",
    "markdown",
    "read_report",
    "report_json",
    "summary",
    "table",
]

REPORT_JSON = "strength.json"
REPORT_MD = "STRENGTH.md"
#: Rows shown in the terminal; the files always hold every target.
MAX_ROWS = 40


@dataclass(frozen=True)
class TargetStrength:
    """One target's row.

    :param target: ``pkg.mod.func``, ``pkg.mod.Class.method``, ``pkg.mod.Class``.
    :param tests: guardrail tests written for it (each parametrized case counts).
    :param killed: mutants of its code the frozen guardrails kill.
    :param total: mutants of its code that were run against them.
    :param survivors: one line per mutant that survived.
    :param reason: why it has no test, or why it was not mutated ("" when neither).
    """

    target: str
    tests: int
    killed: int = 0
    total: int = 0
    survivors: tuple[str, ...] = field(default=())
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "tests": self.tests,
            "killed": self.killed,
            "total": self.total,
            "survivors": list(self.survivors),
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TargetStrength:
        return cls(
            target=str(data["target"]),
            tests=int(data["tests"]),
            killed=int(data.get("killed", 0)),
            total=int(data.get("total", 0)),
            survivors=tuple(str(s) for s in data.get("survivors", ())),
            reason=str(data.get("reason", "")),
        )


def report_json(rows: Sequence[TargetStrength]) -> str:
    """The text of ``strength.json``: ``{"targets": [...]}``, one object per target."""
    return json.dumps({"targets": [r.to_json() for r in rows]}, indent=2) + "\n"


def read_report(folder: Path) -> list[TargetStrength] | None:
    """The rows of ``folder/strength.json``; ``None`` when there is none.

    :raises ValueError: the file is not a strength report (one line saying so).
    """
    path = folder / REPORT_JSON
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [TargetStrength.from_json(row) for row in data["targets"]]
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(
            f"{path}: not a strength report ({type(error).__name__}); "
            "regenerate it with `autoimprove-guard generate`"
        ) from None


def _score(row: TargetStrength) -> str:
    if row.total == 0:
        return "-"
    return f"{row.killed}/{row.total}"


def summary(rows: Sequence[TargetStrength]) -> str:
    """One line: targets, tests, the overall mutation score, targets without tests."""
    killed = sum(r.killed for r in rows)
    total = sum(r.total for r in rows)
    untested = sum(1 for r in rows if r.tests == 0)
    tests = sum(r.tests for r in rows)
    score = (
        f"{killed}/{total} mutants killed ({100 * killed / total:.0f}%)"
        if total
        else ("no mutants run")
    )
    return f"{len(rows)} target(s), {tests} tests, {score}, {untested} target(s) without tests"


def table(rows: Sequence[TargetStrength], *, limit: int = MAX_ROWS) -> str:
    """The terminal table: a row per target; below it, why each untested target has none."""
    shown = list(rows[:limit])
    width = max([len("target"), *(len(r.target) for r in shown)])
    lines = [f"  {'target':<{width}}  {'tests':>5}  {'mutants killed':>14}"]
    for row in shown:
        lines.append(f"  {row.target:<{width}}  {row.tests:>5}  {_score(row):>14}")
    if len(rows) > limit:
        lines.append(f"  ... {len(rows) - limit} more in {REPORT_MD}")
    reasons = [r for r in rows if r.tests == 0 or (r.reason and r.total == 0)]
    if reasons:
        lines.append("")
        for row in reasons:
            why = row.reason or "no reason recorded"
            lines.append(f"  {row.target}: {'no tests: ' if row.tests == 0 else ''}{why}")
    lines.append("")
    lines.append(f"  {summary(rows)}")
    return "\n".join(lines)


def markdown(rows: Sequence[TargetStrength]) -> str:
    """The text of ``STRENGTH.md``: the table, the reasons and the surviving mutants."""
    out = [
        "# Guardrail strength",
        "",
        "Written by `autoimprove-guard generate` with the tests beside it, and frozen with",
        "them. *Mutants killed* counts likely regressions of each target (code mutants drawn",
        "from the goal's risks) that the frozen guardrails fail on. A survivor marked",
        "*possibly equivalent* is one no input found within the budget could tell from the",
        "original code.",
        "",
        f"{summary(rows)}.",
        "",
        "| target | tests | mutants killed | note |",
        "| --- | ---: | ---: | --- |",
    ]
    for row in rows:
        note = row.reason.replace("|", "\\|")
        out.append(f"| `{row.target}` | {row.tests} | {_score(row)} | {note} |")
    survivors = [r for r in rows if r.survivors]
    if survivors:
        out += ["", "## Surviving mutants", ""]
        for row in survivors:
            out.append(f"- `{row.target}`")
            out += [f"  - {text}" for text in row.survivors]
    return "\n".join(out) + "\n"
