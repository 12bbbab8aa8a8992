"""What ``guard_strength.py`` measures and prints: changes, projects, per-tool tallies.

A :class:`Tool` adds up one generator's figures in one mode (ours once per mode; the
ghostwriter and Pynguin read no project tests, so they are measured once);
:func:`report` prints the tables, :func:`carry` copies a project's figures from one
mode to another when the release ships no tests.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import strength_mutmut

OURS_DIR = "tests/autoimprove_guard"
STRENGTH_JSON = f"{OURS_DIR}/strength.json"


@dataclass(frozen=True)
class Change:
    """A regression (or, ``honest``, a rewrite that keeps behaviour) of one file."""

    project: str
    path: str
    name: str
    risk: str
    edits: tuple[tuple[str, str], ...]
    honest: bool = False


@dataclass
class Project:
    name: str
    import_root: str
    modules: list[str]
    changes: list[Change]
    prepare: Callable[[Path, bool], None]
    targets: tuple[str, ...] = ()
    latent: tuple[str, ...] = ()
    improve_md: bool = False
    has_tests: bool = True


@dataclass
class Tool:
    name: str
    folder: str
    mode: str = "reads no tests"
    gen_time: float = 0.0
    run_time: float = 0.0
    kills: int = 0
    regressions: int = 0
    false_alarms: int = 0
    honest: int = 0
    latent_found: int = 0
    latent_comparable: bool = True
    available: bool = True
    why_not: str = ""
    baseline_failures: int = 0
    findings: int = 0
    rows: dict[str, bool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    strength: list[int] | None = None  # [killed, total] summed over strength.json files
    mutmut: strength_mutmut.MutmutScore | None = None
    per_project: dict[str, list[int]] = field(default_factory=dict)  # kills, regressions
    unreached: list[str] = field(default_factory=list)  # project:target no guard calls

    def disable(self, why: str) -> None:
        self.available = False
        self.why_not = self.why_not or why

    def score(self, project: str, change: Change, caught: bool) -> None:
        self.rows[f"{project}::{change.name}"] = caught
        tally = self.per_project.setdefault(project, [0, 0])
        if change.honest:
            self.honest += 1
            self.false_alarms += caught
        else:
            self.regressions += 1
            self.kills += caught
            tally[0] += caught
            tally[1] += 1


_NUMBERS = (
    "gen_time", "run_time", "kills", "regressions", "false_alarms", "honest",
    "latent_found", "baseline_failures", "findings",
)  # fmt: skip


def carry(before: Tool, after: Tool, into: Tool, project: str) -> None:
    """Add to ``into`` what ``project`` added to a tool between ``before`` and ``after``."""
    for name in _NUMBERS:
        setattr(into, name, getattr(into, name) + getattr(after, name) - getattr(before, name))
    into.rows.update({k: v for k, v in after.rows.items() if k.startswith(f"{project}::")})
    if project in after.per_project:
        into.per_project[project] = list(after.per_project[project])
    into.unreached += [u for u in after.unreached if u.startswith(f"{project}:")]
    if after.strength:
        old = before.strength or [0, 0]
        delta = [a - b for a, b in zip(after.strength, old, strict=True)]
        into.strength = [a + b for a, b in zip(into.strength or [0, 0], delta, strict=True)]
    if after.mutmut is not None:
        old_mm = before.mutmut or strength_mutmut.MutmutScore()
        into.mutmut = into.mutmut or strength_mutmut.MutmutScore()
        into.mutmut.killed += after.mutmut.killed - old_mm.killed
        into.mutmut.total += after.mutmut.total - old_mm.total
        into.mutmut.seconds += after.mutmut.seconds - old_mm.seconds


# --- reports --------------------------------------------------------------------------


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "n/a"


def _mark(tool: Tool, key: str) -> str:
    return "x" if tool.rows.get(key) else ("." if key in tool.rows else "-")


def report_mutmut(project: str, score: strength_mutmut.MutmutScore) -> None:
    """One line per project as soon as mutmut is done."""
    if score.why_not and not score.total:
        print(f"  mutmut on {project}: {score.why_not}", flush=True)
        return
    parts = [
        f"{name} {s.killed}/{s.total}" + (" (no guard reaches it)" if s.total and
                                          s.no_tests == s.total else "")
        for name, s in score.targets.items()
    ]  # fmt: skip
    extra = f"; {len(score.deselected)} guard test(s) deselected" if score.deselected else ""
    cut = f"; {score.why_not}" if score.why_not else ""
    print(
        f"  mutmut on {project}: {_pct(score.killed, score.total)} in {score.seconds:.0f} s "
        f"[{', '.join(parts)}]{extra}{cut}",
        flush=True,
    )


def report(
    projects: list[Project], tools: list[Tool], args: argparse.Namespace, mutmut_why: str
) -> None:
    ours = [t for t in tools if t.folder == OURS_DIR]
    gw, pyn = tools[-2], tools[-1]
    columns = [(f"ours, {t.mode}", t) for t in ours] + [("ghostwriter", gw), ("pynguin", pyn)]
    print("\nPer change (x = a guard that passed on the baseline now fails; - = not run):\n")
    width = max(len(c.name) for p in projects for c in p.changes) + 2
    head = "".join(f" {label:>{max(len(label), 8)}}" for label, _ in columns)
    print(f"{'project':<12} {'change':<{width}} {'risk':<24}{head}")
    for project in projects:
        for change in project.changes:
            key = f"{project.name}::{change.name}"
            marks = "".join(f" {_mark(t, key):>{max(len(label), 8)}}" for label, t in columns)
            print(
                f"{project.name:<12} {change.name:<{width}} {change.risk or '(honest)':<24}{marks}"
            )
    print("\nPer project (regressions caught):\n")
    print(f"{'project':<12} {'regressions':>11}" + "".join(f" {lab:>22}" for lab, _ in columns))
    for project in projects:
        n = sum(not c.honest for c in project.changes)
        cells = "".join(
            f" {t.per_project.get(project.name, [0, 0])[0] if t.available else '-':>22}"
            for _, t in columns
        )
        print(f"{project.name:<12} {n:>11}{cells}")
    latent_total = sum(len(p.latent) for p in projects)
    corpus = {
        "written": "benchmarks/corpus (written here: an upper bound)",
        "real": "benchmarks/corpus_real (pinned PyPI releases: the yardstick)",
        "heldout": "benchmarks/corpus_heldout (pinned PyPI releases, held out)",
        "heldout2": "benchmarks/corpus_heldout2 (pinned PyPI releases, the second held out)",
        "heldout3": "benchmarks/corpus_heldout3 (pinned PyPI releases, the third held out)",
        "heldout4": "benchmarks/corpus_heldout4 (pinned PyPI releases, the fourth held out)",
        "heldout5": "benchmarks/corpus_heldout5 (pinned PyPI releases, the fifth held out)",
        "heldout6": "benchmarks/corpus_heldout6 (pinned PyPI releases, the sixth held out)",
        "heldout7": "benchmarks/corpus_heldout7 (pinned PyPI releases, the seventh held out)",
        "heldout8": "benchmarks/corpus_heldout8 (pinned PyPI releases, the eighth held out)",
        "heldout9": "benchmarks/corpus_heldout9 (pinned PyPI releases, the ninth held out)",
        "heldout10": "benchmarks/corpus_heldout10 (pinned PyPI releases, the tenth held out)",
        "heldout11": "benchmarks/corpus_heldout11 (pinned PyPI releases, the eleventh held out)",
        "heldout12": "benchmarks/corpus_heldout12 (pinned PyPI releases, the twelfth held out)",
        "heldout13": "benchmarks/corpus_heldout13 (pinned PyPI releases, the thirteenth held out)",
        "heldout14": "benchmarks/corpus_heldout14 (pinned PyPI releases, the fourteenth held out)",
    }[args.corpus]
    print(f"\nSummary ({corpus}; same run):\n")
    header = (
        f"{'tool':<20} {'mode':<15} {'kill rate':>14} {'false alarms':>13} {'latent found':>13}"
        f" {'gen time':>9} {'suite time':>11} {'baseline fails':>15} {'generate score':>15}"
        f" {'mutmut score':>15}"
    )
    print(header)
    for tool in tools:
        if not tool.available:
            print(f"{tool.name:<20} {tool.mode:<15} unavailable ({tool.why_not})")
            continue
        comparable = tool.latent_comparable and latent_total
        latent = _pct(tool.latent_found, latent_total) if comparable else "n/a"
        ours_row = tool.folder == OURS_DIR
        strength = _pct(*tool.strength) if ours_row and tool.strength else "n/a"
        if not ours_row:
            strength = mutmut = "-"
        elif tool.mutmut is not None:
            mutmut = _pct(tool.mutmut.killed, tool.mutmut.total)
        else:
            mutmut = "n/a"
        print(
            f"{tool.name:<20} {tool.mode:<15} {_pct(tool.kills, tool.regressions):>14} "
            f"{_pct(tool.false_alarms, tool.honest):>13} {latent:>13} "
            f"{tool.gen_time:>8.1f}s {tool.run_time:>10.1f}s {tool.baseline_failures:>15} "
            f"{strength:>15} {mutmut:>15}"
        )
    print()
    for tool in ours:
        if tool.mutmut is not None:
            unreached = tool.unreached
            deselected = len(tool.mutmut.deselected)
            print(
                f"mutmut ({tool.mode}): {tool.mutmut.total} mutants of the targets, "
                f"{tool.mutmut.seconds:.0f} s; targets no guard reaches: "
                f"{', '.join(unreached) or 'none'}"
                + (f"; {deselected} guard test(s) deselected" if deselected else "")
            )
        if not tool.strength:
            print(f"generate score ({tool.mode}): n/a ({STRENGTH_JSON} not written)")
        print(f"findings ours reported on the baselines ({tool.mode}): {tool.findings}")
    if mutmut_why:
        print(f"mutmut score: n/a ({mutmut_why})")
    for tool in tools:
        for note in tool.notes:
            print(f"note, {tool.name}: {note}")
    if args.corpus != "written" and (gw.available or pyn.available) and len(ours) > 1:
        print("hypothesis write and Pynguin read no project tests: measured once, both modes.")
    for tool in ours:
        for other in (gw, pyn):
            if not (tool.regressions and other.available):
                continue
            ratio = (
                f"{tool.kills / other.kills:.2f}x"
                if other.kills
                else (f"{tool.kills} kills against 0")
            )
            print(f"kill-rate ratio ours ({tool.mode}) / {other.name}: {ratio}")
