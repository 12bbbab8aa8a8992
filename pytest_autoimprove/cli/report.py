"""``autoimprove-guard report [RUN]``: what a run did, for the person who left it running.

A run leaves ``results.tsv`` and ``journal.jsonl`` in ``.autoimprove/runs/<run-id>/``.
This module reads them back (tolerantly: a run killed mid-write, a hand-edited
row or a journal from an older version must still give a report), and writes
next to them:

- ``report.md``: baseline -> best and the change in percent, counts per status,
  every experiment (status, score, delta, description), and the diff of each kept
  experiment against the previous kept one (the baseline for the first);
- ``progress.png``: score per experiment on a y-axis named after the metric and its
  unit, kept ones marked with what they changed, the running best as a step line
  inside a band of the benchmark's measured noise, and the baseline dashed.
  matplotlib is an optional extra (``plot``); without it the report says how to get
  the picture.

It also prints a compact table in the terminal. It only reads git (diffs through
:func:`pytest_autoimprove.repo.diff`); it never changes the repository.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pytest_autoimprove.errors import AutoimproveError, ExitCode, UsageError
from pytest_autoimprove.loop.journal import JOURNAL, RESULTS, STATUSES, Journal
from pytest_autoimprove.names import RUNS_DIR

REPORT = "report.md"
PLOT = "progress.png"
PLOT_HINT = "pip install 'pytest-autoimprove[plot]'"
#: Lines of one kept diff shown in report.md before it is cut.
MAX_DIFF_LINES = 400


@dataclass(frozen=True)
class Row:
    """One experiment as the report shows it."""

    number: int
    status: str
    description: str
    score: float | None = None
    delta: float | None = None
    commit: str | None = None
    reason: str = ""
    #: A parallel run: the worker and part it came from, and when it was decided (the
    #: position of its record in the journal: experiments end out of number order).
    worker: int | None = None
    part: str | None = None
    decided: int | None = None
    #: The change over the best it was measured against, as a fraction (the keep rule's
    #: estimate: beside the best, in A/B pairs), when the journal has it.
    change: float | None = None

    @property
    def x(self) -> int:
        """Where it goes on the picture's axis: when it was decided."""
        return self.number if self.decided is None else self.decided


@dataclass
class RunData:
    """Everything the report says about one run.

    :param problems: rows or records that could not be read (``results.tsv:4: ...``).
    """

    run_id: str
    folder: Path
    rows: list[Row] = field(default_factory=list)
    baseline: float | None = None
    baseline_commit: str | None = None
    branch: str | None = None
    stop_reason: str | None = None
    problems: list[str] = field(default_factory=list)
    #: What the score measures and its unit, as the run recorded them (``time``, ``ms``).
    metric: str | None = None
    unit: str | None = None
    #: The baseline's benchmark runs: the spread of the score between runs of one version.
    baseline_samples: tuple[float, ...] = ()
    recorded_goal: str | None = None

    @property
    def kept(self) -> list[Row]:
        return [row for row in self.rows if row.status == "kept" and row.score is not None]

    @property
    def best(self) -> float | None:
        kept = self.kept
        return kept[-1].score if kept else self.baseline

    @property
    def goal(self) -> str | None:
        """``higher`` or ``lower``: as recorded, else as far as the kept experiments tell."""
        if self.recorded_goal in ("higher", "lower"):
            return self.recorded_goal
        for row in self.kept:
            if row.delta:
                return "higher" if row.delta > 0 else "lower"
        return None

    @property
    def change(self) -> float | None:
        """Best over baseline as a signed fraction (``0.12``: 12 % higher)."""
        best = self.best
        if self.baseline in (None, 0) or best is None:
            return None
        assert self.baseline is not None
        return (best - self.baseline) / abs(self.baseline)

    def counts(self) -> Counter[str]:
        return Counter(row.status for row in self.rows)

    @property
    def parallel(self) -> bool:
        return any(row.worker is not None for row in self.rows)

    @property
    def moves(self) -> list[Row]:
        """The kept experiments in the order they moved the best."""
        return sorted(self.kept, key=lambda row: row.x)


# ---------------------------------------------------------------------------
# Finding and reading a run


def run_folders(root: Path) -> list[Path]:
    """Every run folder under ``root`` with a journal or results, oldest first."""
    base = root / RUNS_DIR
    if not base.is_dir():
        return []
    return sorted(
        folder
        for folder in base.iterdir()
        if folder.is_dir() and ((folder / RESULTS).is_file() or (folder / JOURNAL).is_file())
    )


def find_run_folder(root: Path, name: str | None) -> Path:
    """The folder of run ``name`` (``None`` or ``last``: the newest run)."""
    runs = run_folders(root)
    if name in (None, "last"):
        if not runs:
            raise UsageError(f"{RUNS_DIR}: no runs yet; start one with `pytest --autoimprove`")
        return runs[-1]
    for folder in runs:
        if folder.name == name:
            return folder
    known = ", ".join(folder.name for folder in runs[-5:]) or "none yet"
    raise UsageError(f"{RUNS_DIR}/{name}: no such run; name one of: {known} (or omit RUN)")


def load_run(folder: Path) -> RunData:
    """The run in ``folder``: journal records first, results.tsv rows where they are missing."""
    data = RunData(run_id=folder.name, folder=folder)
    from_tsv = _read_results(folder / RESULTS, data)
    from_journal = _read_journal(folder, data)
    by_number = {row.number: row for row in from_tsv}
    for row in from_journal:
        old = by_number.get(row.number)
        # The journal has full commits and reasons; results.tsv is derived from it.
        by_number[row.number] = (
            row if old is None else replace(row, commit=row.commit or old.commit)
        )
    data.rows = [by_number[number] for number in sorted(by_number)]
    return data


def _read_results(path: Path, data: RunData) -> list[Row]:
    if not path.is_file():
        return []
    rows: list[Row] = []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for index, line in enumerate(lines, start=1):
        if not line.strip() or (index == 1 and line.split("\t", 1)[0] == "experiment"):
            continue
        cells = line.split("\t")
        where = f"{RESULTS}:{index}"
        if len(cells) < 5:
            data.problems.append(f"{where}: {len(cells)} columns, expected 6; row skipped")
            continue
        number_text, commit, score_text, delta_text, status = (c.strip() for c in cells[:5])
        description = "\t".join(cells[5:]).strip()
        try:
            score = _number(score_text)
            delta = _number(delta_text)
        except ValueError:
            data.problems.append(f"{where}: score or delta is not a number; row skipped")
            continue
        if status == "baseline" or number_text in ("0", "baseline"):
            data.baseline = data.baseline if score is None else score
            data.baseline_commit = commit or data.baseline_commit
            continue
        try:
            number = int(number_text)
        except ValueError:
            data.problems.append(f"{where}: experiment {number_text!r} is not a number; skipped")
            continue
        rows.append(Row(number, status or "?", description, score, delta, commit or None))
    return rows


def _read_journal(folder: Path, data: RunData) -> list[Row]:
    rows: list[Row] = []
    for event in Journal(folder).events():
        kind = event.get("event")
        try:
            if kind == "start":
                data.branch = _text(event.get("branch")) or data.branch
                data.baseline_commit = data.baseline_commit or _text(event.get("base_commit"))
            elif kind == "baseline":
                data.baseline = _number(event.get("score"))
                data.baseline_commit = _text(event.get("commit")) or data.baseline_commit
                data.metric = _text(event.get("metric"))
                data.unit = _text(event.get("unit"))
                data.recorded_goal = _text(event.get("goal"))
                samples = [_number(x) for x in event.get("samples") or ()]
                data.baseline_samples = tuple(x for x in samples if x is not None)
            elif kind == "experiment":
                record = event.get("record")
                if not isinstance(record, dict):
                    raise ValueError("no record")
                rows.append(
                    Row(
                        number=int(record["number"]),
                        status=str(record.get("status", "?")),
                        description=str(record.get("description", "")),
                        score=_number(record.get("score")),
                        delta=_number(record.get("delta")),
                        commit=_text(record.get("commit")),
                        reason=str(record.get("reason", "")),
                        change=_number(record.get("relative_delta")),
                        worker=None if record.get("worker") is None else int(record["worker"]),
                        part=_text(record.get("part")),
                        decided=len(rows) + 1 if record.get("worker") is not None else None,
                    )
                )
            elif kind == "stop":
                data.stop_reason = _text(event.get("reason"))
            elif kind == "resume":
                data.stop_reason = None
        except (KeyError, TypeError, ValueError):
            data.problems.append(f"{JOURNAL}: unreadable {kind} record skipped")
    return rows


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("not a number")
    number = float(value)
    return number if math.isfinite(number) else None


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


# ---------------------------------------------------------------------------
# Kept diffs


def kept_diffs(root: Path, data: RunData) -> list[tuple[Row, str]]:
    """Each kept experiment with its diff against the previous kept commit."""
    from pytest_autoimprove import repo

    out: list[tuple[Row, str]] = []
    previous = data.baseline_commit
    for row in data.kept:
        if not row.commit:
            out.append((row, "(no commit recorded)"))
            continue
        if previous is None:
            out.append((row, "(no baseline commit recorded)"))
        else:
            try:
                out.append((row, repo.diff(root, previous, row.commit)))
            except AutoimproveError as exc:
                out.append((row, f"(diff unavailable: {exc})"))
        previous = row.commit
    return out


# ---------------------------------------------------------------------------
# Rendering


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:+.6g}" if signed else f"{value:.6g}"


def headline(data: RunData) -> str:
    """``baseline 0.5 -> best 0.62 (+24.00%)``, or why there is no score yet."""
    if data.baseline is None:
        return "no baseline score recorded"
    best = data.best
    change = data.change
    pct = "" if change is None else f" ({change:+.2%}"
    pct += "" if not pct else (f", goal: {data.goal})" if data.goal else ")")
    unit = f" {data.unit}" if data.unit else ""
    return f"baseline {_fmt(data.baseline)}{unit} -> best {_fmt(best)}{unit}{pct}"


def count_line(data: RunData) -> str:
    counts = data.counts()
    known = [s for s in STATUSES if counts.get(s)]
    other = sorted(s for s in counts if s not in STATUSES)
    parts = ", ".join(f"{counts[s]} {s}" for s in (*known, *other))
    total = len(data.rows)
    return f"{total} experiment{'s' if total != 1 else ''}" + (f": {parts}" if parts else "")


def render_markdown(
    data: RunData, diffs: Sequence[tuple[Row, str]], plot: str | None, plot_note: str = ""
) -> str:
    """report.md: summary, picture (or how to get it), table, kept diffs, problems."""
    out = [f"# autoimprove run {data.run_id}", ""]
    out.append(f"- score: {headline(data)}")
    out.append(f"- {count_line(data)}")
    if data.branch:
        best = data.kept[-1].commit if data.kept else None
        suffix = f" (best commit `{best[:12]}`)" if best else " (nothing kept)"
        out.append(f"- branch: `{data.branch}`{suffix}")
    if data.stop_reason:
        out.append(f"- stopped: {data.stop_reason}")
    out.append("")
    if plot:
        out += [f"![score per experiment]({plot})", ""]
    elif plot_note:
        out += [plot_note, ""]
    out += ["## Experiments", ""]
    if not data.rows:
        out += ["No experiments recorded yet.", ""]
    else:
        who = "worker | part | " if data.parallel else ""
        out += [
            f"| # | {who}status | score | delta | description |",
            "| ---: | " + ("---: | --- | " if data.parallel else "") + "--- | ---: | ---: | --- |",
        ]
        if data.baseline is not None:
            blank = " |  | " if data.parallel else " | "
            out.append(f"| 0{blank}baseline | {_fmt(data.baseline)} |  |  |")
        for row in data.rows:
            description = row.description + (f" ({row.reason})" if row.reason else "")
            cells = f"{row.worker} | {row.part or ''} | " if data.parallel else ""
            out.append(
                f"| {row.number} | {cells}{row.status} | {_fmt(row.score)} | "
                f"{_fmt(row.delta, signed=True)} | {_cell(description)} |"
            )
        out.append("")
        if data.parallel and data.moves:
            out += ["## When the best moved", ""]
            for row in data.moves:
                part = f", part {row.part}" if row.part else ""
                out.append(
                    f"- decision {row.x}: #{row.number} (worker {row.worker}{part}) -> "
                    f"{_fmt(row.score)}: {_cell(row.description)}"
                )
            out.append("")
    if diffs:
        out += ["## Kept changes", ""]
        for row, diff in diffs:
            score = f"score {_fmt(row.score)}" + (
                f", {_fmt(row.delta, signed=True)}" if row.delta is not None else ""
            )
            out += [f"### {row.number}: {row.description} ({score})", ""]
            body = _cut(diff).rstrip("\n")
            fence = "`" * max(3, _longest_backtick_run(body) + 1)
            out += [f"{fence}diff", body, fence, ""]
    if data.problems:
        out += ["## Skipped while reading", ""]
        out += [f"- {problem}" for problem in data.problems]
        out.append("")
    return "\n".join(out)


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _cut(diff: str) -> str:
    lines = diff.splitlines()
    if len(lines) <= MAX_DIFF_LINES:
        return diff
    rest = len(lines) - MAX_DIFF_LINES
    return "\n".join([*lines[:MAX_DIFF_LINES], f"... ({rest} more lines; see `git diff`)"])


def render_table(data: RunData, width: int | None = None) -> str:
    """The compact terminal view: one line per experiment, cut to the terminal width."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    lines = [f"run {data.run_id}: {headline(data)}", count_line(data)]
    if not data.rows:
        return "\n".join(lines)
    numbers = max(len(str(row.number)) for row in data.rows)
    statuses = max(len("baseline"), *(len(row.status) for row in data.rows))
    header = f"{'#':>{numbers}}  {'status':<{statuses}}  {'score':>10}  {'delta':>10}  description"
    lines.append(header)

    def described(row: Row) -> str:
        if row.worker is None:
            return row.description
        return f"w{row.worker}" + (f" [{row.part}]" if row.part else "") + f" {row.description}"

    rows: Iterable[tuple[str, str, str, str, str]] = [
        ("0", "baseline", _fmt(data.baseline), "", ""),
        *(
            (str(r.number), r.status, _fmt(r.score), _fmt(r.delta, True), described(r))
            for r in data.rows
        ),
    ]
    for number, status, score, delta, description in rows:
        line = f"{number:>{numbers}}  {status:<{statuses}}  {score:>10}  {delta:>10}  "
        room = max(10, width - len(line))
        text = " ".join(description.split())
        lines.append((line + (text if len(text) <= room else text[: room - 3] + "...")).rstrip())
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# The picture


def axis_label(data: RunData) -> str:
    """The y-axis: the metric and its unit, and which way is better."""
    label = data.metric or "score"
    if data.unit:
        label += f" ({data.unit})"
    return label + (f", {data.goal} is better" if data.goal else "")


def noise(data: RunData) -> float | None:
    """The score's spread between runs of one version, relative to its median: a robust
    sigma of the baseline's runs (``None`` with fewer than two)."""
    from pytest_autoimprove.loop.keep import estimate_noise

    if len(data.baseline_samples) < 2:
        return None
    return estimate_noise(data.baseline_samples).relative


def write_plot(data: RunData, path: Path) -> bool:
    """progress.png; ``False`` (and nothing written) when matplotlib is not installed."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return False
    figure = Figure(figsize=(10, 5.4), dpi=110)
    axes = figure.add_subplot()
    measured = [row for row in data.rows if row.score is not None]
    others = [row for row in measured if row.status != "kept"]
    kept = [row for row in measured if row.status == "kept"]
    axes.scatter(
        [r.x for r in others],
        [score for r in others if (score := r.score) is not None],
        s=22,
        facecolors="none",
        edgecolors="#888888",
        label="not kept",
        zorder=3,
    )
    kept = data.moves if data.parallel else kept
    kept_scores = [score for r in kept if (score := r.score) is not None]
    axes.scatter([r.x for r in kept], kept_scores, s=46, color="#1a9850", label="kept", zorder=4)
    previous = data.baseline
    for index, (row, score) in enumerate(zip(kept, kept_scores, strict=True)):
        # A person reading the picture wants to know what each step was, and how big (and,
        # in a parallel run, which worker and part it came from).
        text = row.description if len(row.description) <= 40 else row.description[:39] + "…"
        if row.worker is not None:
            text = f"w{row.worker}" + (f" {row.part}" if row.part else "") + f": {text}"
        change = row.change
        if change is None and previous:
            change = (score - previous) / abs(previous)
        if change is not None:
            text = f"#{row.number} {change:+.1%}: {text}"
        previous = score
        axes.annotate(
            text,
            (row.x, score),
            textcoords="offset points",
            xytext=(6, 10 if index % 2 == 0 else -16),
            fontsize=7.5,
            color="#14613a",
            arrowprops={"arrowstyle": "-", "color": "#14613a", "linewidth": 0.6},
        )
    if data.baseline is not None:
        axes.axhline(data.baseline, linestyle="--", color="#555555", linewidth=1, label="baseline")
        last = max((row.x for row in data.rows), default=0)
        steps_x, steps_y = [0], [data.baseline]
        for row in kept:
            steps_x.append(row.x)
            steps_y.append(row.score if row.score is not None else steps_y[-1])
        steps_x.append(max(last, steps_x[-1]))
        steps_y.append(steps_y[-1])
        axes.step(steps_x, steps_y, where="post", color="#1a9850", linewidth=1.5, label="best")
        spread = noise(data)
        if spread:
            axes.fill_between(
                steps_x,
                [y * (1 - spread) for y in steps_y],
                [y * (1 + spread) for y in steps_y],
                step="post",
                color="#1a9850",
                alpha=0.15,
                linewidth=0,
                label=f"noise ±{spread:.1%} (baseline's {len(data.baseline_samples)} runs)",
            )
    axes.set_xlabel("experiments, in the order decided" if data.parallel else "experiment")
    axes.set_ylabel(axis_label(data))
    axes.set_title(f"autoimprove run {data.run_id}: {headline(data)}", fontsize=10)
    axes.grid(True, alpha=0.3)
    axes.margins(x=0.08, y=0.12)
    axes.legend(loc="best", fontsize=8)
    figure.tight_layout()
    figure.savefig(str(path))
    return True


# ---------------------------------------------------------------------------
# The command


def build(root: Path, name: str | None) -> tuple[RunData, Path, bool]:
    """Write report.md (and progress.png when possible) for run ``name``.

    Returns the run, the report's path and whether the picture was written.
    """
    folder = find_run_folder(root, name)
    data = load_run(folder)
    plotted = bool(data.rows) and write_plot(data, folder / PLOT)
    note = f"(no progress.png: `{PLOT_HINT}` to get the picture)" if data.rows else ""
    report = folder / REPORT
    text = render_markdown(data, kept_diffs(root, data), PLOT if plotted else None, note)
    report.write_text(text + "\n", encoding="utf-8")
    return data, report, plotted


HELP = "report.md and progress.png of a run; a table in the terminal"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "examples:\n"
        "  autoimprove-guard report                        # the last run\n"
        "  autoimprove-guard report 20261127-214501-ab12   # a named run\n"
        "progress.png needs matplotlib: pip install 'pytest-autoimprove[plot]'"
    )
    parser.add_argument(
        "run_id",
        nargs="?",
        default=None,
        metavar="RUN",
        help="the run id (a folder name in .autoimprove/runs/; default: the last run)",
    )


def run(args: argparse.Namespace) -> int:
    from pytest_autoimprove.cli.context import repo_root

    root = repo_root(args)
    data, report, plotted = build(root, getattr(args, "run_id", None))
    print(render_table(data))
    print(f"wrote {report}")
    if plotted:
        print(f"wrote {report.parent / PLOT}")
    elif data.rows:
        print(f"no progress.png: {PLOT_HINT} to get the picture")
    for problem in data.problems:
        print(f"skipped: {problem}")
    return int(ExitCode.OK)
