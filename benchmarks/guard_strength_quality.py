"""Guard strength for quality goals: cheats caught and honest changes passed, per family.

Runs on the small systems of ``benchmarks/corpus_quality/`` (a TF-IDF search engine,
a keyword intent classifier, a BM25 FAQ matcher with a class API, a batch naive-Bayes
ticket router reading its golden CSV from a fixed path, a product ranker returning
dataclasses; golden sets of 30-48 rows). For each system it generates the quality
guardrails once on a scratch copy, then applies each experiment of
``quality_experiments.py`` to a fresh copy of that generated tree and runs the guard
tests. A cheat is caught when any guard test fails; an honest change passes when all
pass. Beside each row: the visible and holdout scores before -> after (the honest
changes' gains must hold on the holdout), and the loop's generalization check on a
keep (``-`` when the visible score did not rise, so the loop would not keep it).

``design`` systems are the ones the checks were tuned on; the others were written
before the checks and are reported apart: their figures are the honest ones.

    python benchmarks/guard_strength_quality.py [--system NAME ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality_experiments import SYSTEMS, Experiment, System, experiments  # noqa: E402

from pytest_autoimprove.config import load_config  # noqa: E402
from pytest_autoimprove.generators import GenerateRequest  # noqa: E402
from pytest_autoimprove.generators.driver import modules_in_scope  # noqa: E402
from pytest_autoimprove.generators.quality import generate  # noqa: E402
from pytest_autoimprove.runtime.harness import run_harness  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus_quality"
GUARD = "tests/autoimprove_guard"


@dataclass
class Row:
    system: System
    experiment: Experiment
    good: bool
    failed: list[str]
    scores: tuple[float | None, float | None]
    loop: str


def _guard(root: Path) -> tuple[bool, list[str]]:
    """Whether every guard test passes, and the failing ones (test name, parameter id)."""
    proc = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
            "-W", "ignore::DeprecationWarning", GUARD,
        ],
        cwd=root, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    failed = [
        line.split("::", 1)[1].split(" ")[0]
        for line in proc.stdout.splitlines()
        if line.startswith("FAILED")
    ]
    return proc.returncode == 0, failed


#: What each generated test (or invariant) is called in the "caught by" table.
CHECKS = (
    ("stable-meaning", "rephrased golden queries"),
    ("test_code_in_scope_adds_no_golden_table", "golden-shaped tables"),
    ("test_visible_gain_carries_over_to_holdout", "gain carries to holdout"),
    ("test_holdout_score_did_not_drop", "holdout score dropped"),
    ("test_code_in_scope_does_not_embed_golden_set", "golden strings in code"),
    ("test_code_in_scope_does_not_read_golden_files", "golden files read"),
    ("same-result", "padded / re-cased queries"),
    ("unique-ids", "unique ids"),
    ("at-most", "at most limit / cap"),
    ("sorted-scores", "sorted scores"),
    ("ids-from-corpus", "ids from the corpus"),
    ("answered", "answered queries"),
    ("test_entry_point_handles_input", "edge inputs handled"),
    ("known-labels", "known labels"),
)


def _check_names(failed: list[str]) -> list[str]:
    """The checks among ``failed`` test names, as named in :data:`CHECKS`."""
    return [name for key, name in CHECKS if any(key in f for f in failed)]


def _harness(root: Path) -> Any:
    """The ``HARNESS`` the generated test file spells, for this copy of the project."""
    path = root / GUARD / "test_guard_quality.py"
    spec = importlib.util.spec_from_file_location(f"guard_{abs(hash(root))}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.HARNESS


def _scores(root: Path) -> tuple[float | None, float | None]:
    """The benchmark's score on the visible split and on the holdout."""
    harness = _harness(root)
    folder = root / GUARD / "golden"
    out = []
    for stem in ("visible", "holdout"):
        split = next(p for p in sorted(folder.iterdir()) if p.stem == stem)
        run = run_harness(harness, split.read_text(encoding="utf-8"), split_name=stem)
        out.append(run.score if run.failure() is None else None)
    return out[0], out[1]


def _missed(root: Path) -> set[str]:
    """The visible golden queries the baseline does not answer perfectly (one run per row)."""
    from pytest_autoimprove.runtime.golden import read_golden, render_records

    harness = _harness(root)
    folder = root / GUARD / "golden"
    split = next(p for p in sorted(folder.iterdir()) if p.stem == "visible")
    golden = read_golden(split)
    missed = set()
    for record in golden.records:
        run = run_harness(harness, render_records(golden, [record]), split_name="visible")
        if record.query and (run.score is None or run.score < 1.0):
            missed.add(record.query)
    return missed


def _loop_verdict(
    root: Path, before: tuple[float | None, float | None], after: tuple[float | None, float | None]
) -> str:
    """What the loop's generalization check says of a keep (``-``: no visible gain, no keep)."""
    try:
        from pytest_autoimprove.runtime.generalization import Split, generalization_problem
    except ImportError:
        return "n/a"
    if None in before or None in after:
        return "-"
    assert before[0] is not None and after[0] is not None
    if after[0] <= before[0]:
        return "-"
    from pytest_autoimprove.runtime.golden import read_golden

    folder = root / GUARD / "golden"
    sizes = {
        p.stem: len(read_golden(p).records)
        for p in folder.iterdir()
        if p.stem in ("visible", "holdout")
    }
    problem = generalization_problem(
        Split(before[0], after[0], sizes["visible"]),
        Split(before[1], after[1], sizes["holdout"]),  # type: ignore[arg-type]
        goal="higher",
    )
    return "ok" if problem is None else "REFUSED"


def run_system(system: System, tmp: Path) -> list[Row]:
    base = Path(
        shutil.copytree(CORPUS / system.name, tmp / system.name / "baseline",
                        ignore=shutil.ignore_patterns("__pycache__", "autoimprove_guard"))
    )  # fmt: skip
    config = load_config(base)
    start = time.perf_counter()
    result = generate(
        GenerateRequest(base, modules_in_scope(base, config), "quality", config=config)
    )
    took = time.perf_counter() - start
    for file in result.files:
        file.write(base)
    ok, failed = _guard(base)
    tag = "design" if system.design else "unseen"
    print(
        f"\n== {system.name} ({tag}): generated {len(result.files)} files in {took:.1f}s; "
        f"baseline passes its guard tests: {ok} {', '.join(failed)}"
    )
    for finding in result.findings:
        print(f"  finding: {str(finding)[:140]}")
    before = _scores(base)
    rows = []
    for number, experiment in enumerate(experiments(system, base, _missed(base))):
        work = Path(shutil.copytree(base, tmp / system.name / f"exp{number}"))
        module = work / system.module
        module.write_text(experiment.edit(module.read_text(encoding="utf-8")), encoding="utf-8")
        passed, failed = _guard(work)
        after = _scores(work)
        good = (not passed) if experiment.cheat else passed
        rows.append(
            Row(system, experiment, good, failed, after, _loop_verdict(work, before, after))
        )
        _print_row(rows[-1], before)
        shutil.rmtree(work)
    return rows


def _fmt(value: float | None) -> str:
    return "crash" if value is None else f"{value:.3f}"


def _print_row(row: Row, before: tuple[float | None, float | None]) -> None:
    e = row.experiment
    outcome = (
        ("caught" if row.good else "MISSED") if e.cheat else ("passed" if row.good else "BLOCKED")
    )
    scores = (
        f"vis {_fmt(before[0])}->{_fmt(row.scores[0])} "
        f"hold {_fmt(before[1])}->{_fmt(row.scores[1])}"
    )
    caught_by = "; ".join(_check_names(row.failed))
    print(f"  {e.name[:46]:<46} {outcome:<7} {scores}  loop {row.loop:<7} {caught_by}")


def _summary(rows: list[Row], title: str) -> None:
    if not rows:
        return
    families: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        families[row.experiment.family].append(row)
    print(f"\n{title}")
    for family in sorted(families, key=lambda f: (f == "honest", f)):
        group = families[family]
        verb = "passed" if family == "honest" else "caught"
        print(f"  {family:<22} {verb} {sum(r.good for r in group)}/{len(group)}")
    cheats = [r for r in rows if r.experiment.cheat]
    honest = [r for r in rows if not r.experiment.cheat]
    print(
        f"  cheats caught: {sum(r.good for r in cheats)}/{len(cheats)}; "
        f"honest passed: {sum(r.good for r in honest)}/{len(honest)} "
        f"(systems: {', '.join(sorted({r.system.name for r in rows}))})"
    )
    refused = [r for r in cheats if r.loop == "REFUSED"]
    print(
        f"  cheats the loop's generalization check refuses on a keep: {len(refused)}/{len(cheats)}"
    )


def _caught_by(rows: list[Row]) -> None:
    """How many cheats each check catches, and how many only it catches."""
    cheats = [r for r in rows if r.experiment.cheat]
    if not cheats:
        return
    print("\ncaught by (cheats each check fails on / cheats only that check fails on):")
    for _key, name in CHECKS:
        hits = [r for r in cheats if name in _check_names(r.failed)]
        alone = [r for r in hits if _check_names(r.failed) == [name]]
        if hits:
            print(f"  {name:<28} {len(hits):>3} / {len(alone)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--system", action="append", help="only these systems (repeatable)")
    args = parser.parse_args()
    systems = [s for s in SYSTEMS if not args.system or s.name in args.system]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="guard-strength-quality-") as tmp:
        for system in systems:
            rows += run_system(system, Path(tmp))
    _summary([r for r in rows if r.system.design], "systems the checks were tuned on:")
    _summary([r for r in rows if not r.system.design], "systems written before the checks:")
    _summary(rows, "all systems:")
    _caught_by(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
