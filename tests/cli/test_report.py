"""``autoimprove-guard report``: report.md, progress.png and the terminal table of a run.

The runs are synthetic but real: a git repository with the kept commits, and a run
folder written through :mod:`pytest_autoimprove.loop.journal` like the loop writes it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove import cli
from pytest_autoimprove.cli import report
from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.loop.journal import RESULTS_HEADER, ExperimentRecord, Journal

RUN = "20260101-010101-abcd"
IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@example.com")


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *IDENTITY, *args], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def commit(root: Path, text: str, message: str) -> str:
    (root / "knobs.py").write_text(text, encoding="utf-8")
    git(root, "add", "knobs.py")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    return root


def record(number: int, status: str, description: str, **fields: object) -> ExperimentRecord:
    return ExperimentRecord(RUN, number, status, description, **fields)  # type: ignore[arg-type]


def write_run(root: Path, run_id: str = RUN) -> dict[str, str]:
    """A run of four experiments: 1 and 4 kept, 2 discarded, 3 failed."""
    base = commit(root, "W = 2.0\n", "baseline")
    first = commit(root, "W = 4.0\n", "W 2.0 -> 4.0")
    second = commit(root, "W = 4.0\nN = 5\n", "N = 5")
    journal = Journal(root / ".autoimprove" / "runs" / run_id)
    journal.append("start", run_id=run_id, branch=f"autoimprove/{run_id}", base_commit=base)
    journal.append("baseline", commit=base, score=0.5, samples=[0.5], guards={})
    records = [
        record(1, "kept", "W 2.0 -> 4.0", commit=first, score=0.6, delta=0.1),
        record(2, "discarded", "W 4.0 -> 8.0 | wide", score=0.55, delta=-0.05),
        record(3, "failed", "N 5 -> 0", reason="test_knobs.py::test_n failed"),
        record(4, "kept", "add N", commit=second, score=0.7, delta=0.1),
    ]
    for item in records:
        journal.append("experiment", record=item.to_json())
        journal.add_result(item)
    journal.append("stop", reason="rounds: 4 experiments run")
    journal.close()
    return {"base": base, "first": first, "second": second}


def main(root: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> int:
    return cli.main(["-C", str(root), "report", *args])


@pytest.fixture
def no_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)


def test_report_of_the_last_run(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_matplotlib: None,
) -> None:
    commits = write_run(repo)
    assert main(repo, monkeypatch=monkeypatch) == 0
    folder = repo / ".autoimprove" / "runs" / RUN
    text = (folder / "report.md").read_text(encoding="utf-8")
    assert "- score: baseline 0.5 -> best 0.7 (+40.00%, goal: higher)" in text
    assert "- 4 experiments: 2 kept, 1 discarded, 1 failed" in text
    assert f"- branch: `autoimprove/{RUN}` (best commit `{commits['second'][:12]}`)" in text
    assert "- stopped: rounds: 4 experiments run" in text
    assert "| 0 | baseline | 0.5 |  |  |" in text
    assert "| 2 | discarded | 0.55 | -0.05 | W 4.0 -> 8.0 \\| wide |" in text
    assert "| 3 | failed |  |  | N 5 -> 0 (test_knobs.py::test_n failed) |" in text
    assert "pip install 'pytest-autoimprove[plot]'" in text
    assert not (folder / "progress.png").exists()
    # Each kept diff is against the previous kept commit.
    kept = text.split("## Kept changes", 1)[1]
    first, second = kept.split("### 4: add N", 1)
    assert "### 1: W 2.0 -> 4.0 (score 0.6, +0.1)" in first
    assert "-W = 2.0\n+W = 4.0" in first
    assert "+N = 5" in second and "-W = 2.0" not in second
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"run {RUN}: baseline 0.5 -> best 0.7 (+40.00%, goal: higher)"
    assert "no progress.png: pip install 'pytest-autoimprove[plot]'" in out
    assert "discarded" in out and "W 4.0 -> 8.0 | wide" in out


def test_progress_png_when_matplotlib_is_installed(repo: Path) -> None:
    pytest.importorskip("matplotlib")
    write_run(repo)
    _, path, plotted = report.build(repo, None)
    assert plotted
    assert (path.parent / "progress.png").read_bytes().startswith(b"\x89PNG")
    assert "![score per experiment](progress.png)" in path.read_text(encoding="utf-8")


def test_a_named_run_and_the_last_one(repo: Path, no_matplotlib: None) -> None:
    write_run(repo, "20260101-000000-aaaa")
    later = repo / ".autoimprove" / "runs" / "20260102-000000-bbbb"
    later.mkdir(parents=True)
    (later / "results.tsv").write_text("\t".join(RESULTS_HEADER) + "\n", encoding="utf-8")
    data, _, _ = report.build(repo, None)
    assert data.run_id == "20260102-000000-bbbb"
    data, _, _ = report.build(repo, "20260101-000000-aaaa")
    assert len(data.rows) == 4


def test_unknown_run_is_exit_2_in_one_line(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_run(repo)
    assert main(repo, "nope", monkeypatch=monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f".autoimprove/runs/nope: no such run; name one of: {RUN}" in err


def test_no_runs_is_exit_2(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(repo, monkeypatch=monkeypatch) == 2
    assert "no runs yet; start one with `pytest --autoimprove`" in capsys.readouterr().err
    with pytest.raises(UsageError):
        report.find_run_folder(repo, "last")


def test_empty_results(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = repo / ".autoimprove" / "runs" / RUN
    folder.mkdir(parents=True)
    (folder / "results.tsv").write_text("\t".join(RESULTS_HEADER) + "\n", encoding="utf-8")
    data, path, plotted = report.build(repo, RUN)
    text = path.read_text(encoding="utf-8")
    assert not plotted and not data.rows
    assert "No experiments recorded yet." in text
    assert "- score: no baseline score recorded" in text
    assert "pip install" not in text
    assert report.render_table(data).splitlines()[1] == "0 experiments"


def test_malformed_rows_are_skipped_and_named(repo: Path, no_matplotlib: None) -> None:
    folder = repo / ".autoimprove" / "runs" / RUN
    folder.mkdir(parents=True)
    rows = [
        "\t".join(RESULTS_HEADER),
        "0\tabc\t1.0\t\tbaseline\tbaseline",
        "1\t\t1.5\t+0.5\tkept\tW 1 -> 2",
        "2\tonly three",
        "3\t\tfast\t\tdiscarded\tbad score",
        "x\t\t1.2\t\tdiscarded\tbad number",
        "4\t\t1.4\t-0.1\tdiscarded\tW 2 -> 3\twith a tab",
        "",
    ]
    (folder / "results.tsv").write_text("\n".join(rows), encoding="utf-8")
    data = report.load_run(folder)
    assert [row.number for row in data.rows] == [1, 4]
    assert data.rows[1].description == "W 2 -> 3\twith a tab"
    assert data.baseline == 1.0 and data.best == 1.5
    assert data.problems == [
        "results.tsv:4: 2 columns, expected 6; row skipped",
        "results.tsv:5: score or delta is not a number; row skipped",
        "results.tsv:6: experiment 'x' is not a number; skipped",
    ]
    _, path, _ = report.build(repo, RUN)
    text = path.read_text(encoding="utf-8")
    assert "## Skipped while reading" in text and "results.tsv:4:" in text
    assert "(no commit recorded)" in text


def test_journal_only_with_a_torn_and_a_broken_record(repo: Path, no_matplotlib: None) -> None:
    folder = repo / ".autoimprove" / "runs" / RUN
    folder.mkdir(parents=True)
    lines = [
        json.dumps({"event": "baseline", "score": 10, "commit": "f" * 40}),
        json.dumps({"event": "experiment", "record": {"status": "kept"}}),
        json.dumps(
            {
                "event": "experiment",
                "record": {"number": 1, "status": "discarded", "score": 11, "delta": 1},
            }
        ),
        '{"event": "experiment", "rec',
    ]
    (folder / "journal.jsonl").write_text("\n".join(lines), encoding="utf-8")
    data = report.load_run(folder)
    assert [(row.number, row.status, row.description) for row in data.rows] == [
        (1, "discarded", "")
    ]
    assert data.problems == ["journal.jsonl: unreadable experiment record skipped"]
    assert data.best == 10 and data.change == 0


def test_a_diff_that_git_cannot_make_is_noted(repo: Path, no_matplotlib: None) -> None:
    commit(repo, "W = 1\n", "base")
    folder = repo / ".autoimprove" / "runs" / RUN
    journal = Journal(folder)
    journal.append("baseline", commit="0" * 40, score=1.0)
    kept = record(1, "kept", "W 1 -> 2", commit="1" * 40, score=2.0, delta=1.0)
    journal.append("experiment", record=kept.to_json())
    journal.close()
    _, path, _ = report.build(repo, RUN)
    assert "(diff unavailable: " in path.read_text(encoding="utf-8")


def test_the_table_fits_the_terminal(repo: Path) -> None:
    write_run(repo)
    data = report.load_run(repo / ".autoimprove" / "runs" / RUN)
    data.rows[1] = report.Row(2, "discarded", "a very long description " * 10, 0.5, -0.1)
    table = report.render_table(data, width=60)
    assert all(len(line) <= 60 for line in table.splitlines()[2:])
    assert "..." in table


def test_a_diff_with_backticks_keeps_its_fence() -> None:
    data = report.RunData(RUN, Path("."), baseline=1.0)
    row = report.Row(1, "kept", "docs", 2.0, 1.0, "a" * 40)
    diff = "+```python\n+x = 1\n+```\n"
    text = report.render_markdown(data, [(row, diff)], None)
    assert "````diff\n+```python\n+x = 1\n+```\n````" in text


def test_the_picture_names_the_metric_its_unit_and_the_noise(repo: Path) -> None:
    pytest.importorskip("matplotlib")
    run_dir = repo / ".autoimprove" / "runs" / RUN
    journal = Journal(run_dir)
    journal.append("start", run_id=RUN, branch=f"autoimprove/{RUN}", base_commit="a" * 40)
    samples = [12.0, 12.4, 11.8, 12.2, 12.0]
    journal.append(
        "baseline", commit="a" * 40, score=12.0, samples=samples, goal="lower", metric="time",
        unit="ms",
    )  # fmt: skip
    kept = record(1, "kept", "drop the audit pass", commit="b" * 40, score=8.4, delta=-3.6)
    journal.append("experiment", record=kept.to_json())
    journal.close()
    data = report.load_run(run_dir)
    assert report.axis_label(data) == "time (ms), lower is better"
    noise = report.noise(data)
    assert noise is not None and 0.005 < noise < 0.05  # a robust sigma of the five runs
    assert report.headline(data) == "baseline 12 ms -> best 8.4 ms (-30.00%, goal: lower)"
    assert report.write_plot(data, run_dir / report.PLOT)
    assert (run_dir / report.PLOT).stat().st_size > 10_000
    # Without a recorded metric (runs of older versions), the label says what it can.
    data.metric = data.unit = data.recorded_goal = None
    assert report.axis_label(data) == "score, lower is better"
