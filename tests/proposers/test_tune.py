"""The ``tune`` proposer: what it finds, how it rewrites, and how its search behaves.

The search is exercised the way the loop drives it: propose, score the tree with a
toy objective, keep the change or put the file back, and hand the outcome back
through ``context.history``.
"""

from __future__ import annotations

import tempfile
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_autoimprove.config import ImproveConfig, parse_text
from pytest_autoimprove.errors import ConfigError
from pytest_autoimprove.proposers import PastExperiment, ProposalContext, tune
from pytest_autoimprove.proposers.tune import (
    EXHAUSTED,
    STATE_FILE,
    Constant,
    apply_move,
    find_constants,
    select_constants,
)

Objective = Callable[[dict[str, float]], float]


def make_config(root: Path, agent: str = "provider: tune", change: str = "") -> ImproveConfig:
    text = f"# tuning\n\n## Change\n{change}\n\n## Check\nrun: python bench.py\ngoal: higher\n"
    text += f"\n## Agent\n{agent}\n"
    path = root / "improve.md"
    path.write_text(text, encoding="utf-8")
    return parse_text(text, path)


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def values(root: Path, name: str) -> dict[str, float]:
    return {c.name: c.value for c in find_constants((root / name).read_bytes(), name)}


def context(
    root: Path,
    config: ImproveConfig,
    run_dir: Path,
    number: int,
    history: Sequence[PastExperiment] = (),
) -> ProposalContext:
    return ProposalContext(
        worktree=root,
        config=config,
        run_dir=run_dir,
        experiment=number,
        baseline_score=0.0,
        best_score=0.0,
        history=tuple(history),
    )


class Loop:
    """The keep/discard loop in miniature: keep strictly better scores, else restore."""

    def __init__(self, root: Path, config: ImproveConfig, file: str, objective: Objective) -> None:
        self.root = root
        self.config = config
        self.file = file
        self.objective = objective
        self.run_dir = root.parent / "runs" / "run-1"
        self.history: list[PastExperiment] = []
        self.best = objective(values(root, file))
        #: (point before, description) of every proposal that changed something.
        self.proposed: list[tuple[tuple[tuple[str, float], ...], str]] = []

    def step(self, number: int | None = None) -> PastExperiment:
        number = number if number is not None else len(self.history) + 1
        before = (self.root / self.file).read_bytes()
        point = tuple(sorted(values(self.root, self.file).items()))
        proposal = tune.pytest_autoimprove_propose(
            context(self.root, self.config, self.run_dir, number, self.history)
        )
        assert proposal is not None and proposal.failed is None
        after = (self.root / self.file).read_bytes()
        if after == before:
            past = PastExperiment(number, "no-op", proposal.description)
        else:
            self.proposed.append((point, proposal.description))
            score = self.objective(values(self.root, self.file))
            delta = score - self.best
            if delta > 0:
                self.best = score
                past = PastExperiment(number, "kept", proposal.description, score, delta)
            else:
                (self.root / self.file).write_bytes(before)
                past = PastExperiment(number, "discarded", proposal.description, score, delta)
        self.history.append(past)
        return past

    def run(self, steps: int) -> list[PastExperiment]:
        return [self.step() for _ in range(steps)]


# --- finding constants -------------------------------------------------------------------


def test_find_constants_reads_every_numeric_form() -> None:
    source = textwrap.dedent(
        """\
        import os

        WEIGHT = 2.0
        TOP_K: int = 10
        RATIO: float = 2  # an int literal typed float
        OFFSET = -3
        DECAY = -0.5e-3
        BIG = 1_000
        HEX = 0x10
        NAME = "text"
        FLAG = True
        lower_case = 4
        TWICE = 1
        TWICE = 2
        A = B = 3

        def f():
            INNER = 5
        """
    )
    found = {c.name: c for c in find_constants(source, "m.py")}
    assert sorted(found) == ["BIG", "DECAY", "OFFSET", "RATIO", "TOP_K", "WEIGHT", "lower_case"]
    assert found["WEIGHT"] == Constant("m.py", "WEIGHT", 2.0, "2.0", "float")
    assert found["RATIO"].kind == "float" and found["RATIO"].text == "2"
    assert found["OFFSET"].value == -3 and found["OFFSET"].text == "-3"
    assert found["DECAY"].value == pytest.approx(-0.0005)
    assert found["BIG"].value == 1000 and found["BIG"].kind == "int"


def test_find_constants_sees_the_mark() -> None:
    source = "A = 1.0  # autoimprove: tune\nB = 2.0  # note\nC = 3  #AutoImprove:tune (0..9)\n"
    marked = {c.name: c.marked for c in find_constants(source, "m.py")}
    assert marked == {"A": True, "B": False, "C": True}


# --- rewriting ---------------------------------------------------------------------------

TRICKY = (
    "# -*- coding: utf-8 -*-\r\n"
    '"""Ranking knobs."""\r\n'
    "\r\n"
    "BM25_TEXT_WEIGHT   =   2.0   # tuned by hand in 2019, see #12\r\n"
    "TOP_K: int = 10\r\n"
    "OFFSET = -  3  # a signed int\r\n"
    "BIG = 1_000\r\n"
    "x = [1,2,   3]\r\n"
)


@pytest.mark.parametrize(
    ("name", "new", "old_text", "new_text"),
    [
        ("BM25_TEXT_WEIGHT", "4.0", "=   2.0   #", "=   4.0   #"),
        ("TOP_K", "11", "TOP_K: int = 10", "TOP_K: int = 11"),
        ("OFFSET", "-5", "-  3  #", "-  5  #"),
        ("OFFSET", "0", "OFFSET = -  3  #", "OFFSET = 0  #"),
        ("BIG", "2_000", "BIG = 1_000", "BIG = 2_000"),
    ],
)
def test_rewrite_changes_the_literal_and_nothing_else(
    tmp_path: Path, name: str, new: str, old_text: str, new_text: str
) -> None:
    path = tmp_path / "knobs.py"
    path.write_bytes(TRICKY.encode())
    constant = next(c for c in find_constants(TRICKY, "knobs.py") if c.name == name)
    apply_move(tmp_path, constant, new)
    assert path.read_bytes() == TRICKY.replace(old_text, new_text, 1).encode()


def test_positive_int_becomes_negative_with_a_minus(tmp_path: Path) -> None:
    path = write(tmp_path, "m.py", "SHIFT = 1  # x\n")
    apply_move(tmp_path, find_constants(path.read_text(), "m.py")[0], "-1")
    assert path.read_text() == "SHIFT = -1  # x\n"


@pytest.mark.parametrize(
    ("text", "kind", "level", "direction", "expected"),
    [
        ("2.0", "float", 0, 1, "4.0"),
        ("2.0", "float", 0, -1, "1.0"),
        ("2.0", "float", 3, 1, "2.2"),
        ("0.3", "float", 2, 1, "0.375"),
        ("-0.5", "float", 0, 1, "-1.0"),
        ("1e-05", "float", 0, 1, "2e-05"),
        ("0.0", "float", 0, -1, "-1.0"),
        ("2", "float", 1, -1, "1.5"),  # int literal typed float
        ("2", "float", 0, 1, "4"),
        ("3", "int", 0, 1, "4"),
        ("3", "int", 2, -1, None),  # 3 - 4 < 1
        ("256", "int", 1, 1, "276"),  # steps of 10 from 100
        ("-2", "int", 3, -1, "-10"),
        ("1e308", "float", 0, 1, None),  # would overflow
        ("5e-324", "float", 0, -1, None),  # would round to zero
    ],
)
def test_steps(text: str, kind: str, level: int, direction: int, expected: str | None) -> None:
    constant = Constant("m.py", "W", float(text), text, kind)
    floor = tune.int_floor(constant, constant.value)
    assert tune.candidate(constant, level, direction, floor) == expected


@settings(max_examples=60, deadline=None)
@given(
    value=st.one_of(
        st.integers(-10_000, 10_000).map(str),
        st.floats(1e-6, 1e6).map(lambda x: repr(round(x, 4))),
        st.floats(-1e6, -1e-6).map(lambda x: repr(round(x, 4))),
    ),
    level=st.integers(0, 3),
    direction=st.sampled_from([1, -1]),
)
def test_every_step_rewrites_only_the_literal_and_reads_back(
    value: str, level: int, direction: int
) -> None:
    source = f"# head\nKNOB = {value}  # tail\nOTHER = 1\n"
    constant = find_constants(source, "m.py")[0]
    new = tune.candidate(constant, level, direction, None)
    if new is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.py"
        path.write_text(source, encoding="utf-8")
        apply_move(Path(folder), constant, new)
        after = path.read_text(encoding="utf-8")
    assert after == source.replace(f"KNOB = {value}", f"KNOB = {new}")
    (read,) = (c for c in find_constants(after, "m.py") if c.name == "KNOB")
    assert read.text == new and read.kind == constant.kind
    assert read.value == float(new) != constant.value


def test_ints_may_reach_zero_when_the_name_allows_it() -> None:
    retries = Constant("m.py", "MAX_RETRIES", 1.0, "1", "int")
    width = Constant("m.py", "WIDTH", 1.0, "1", "int")
    assert tune.candidate(retries, 0, -1, tune.int_floor(retries, 1.0)) == "0"
    assert tune.candidate(width, 0, -1, tune.int_floor(width, 1.0)) is None


# --- selection ---------------------------------------------------------------------------


def test_all_upper_case_constants_in_scope(tmp_path: Path) -> None:
    write(tmp_path, "src/rank.py", "W = 2.0\nlow = 3\nK = 4\n")
    write(tmp_path, "src/other.py", "X = 1.5\n")
    write(tmp_path, "tests/test_rank.py", "T = 1.0\n")
    config = make_config(tmp_path, change="scope: src/rank.py")
    assert [c.key for c in select_constants(tmp_path, config)] == [
        "src/rank.py::W",
        "src/rank.py::K",
    ]
    anything = make_config(tmp_path)
    keys = [c.key for c in select_constants(tmp_path, anything)]
    assert keys == ["src/other.py::X", "src/rank.py::W", "src/rank.py::K"]


def test_frozen_files_and_conftest_are_never_tuned(tmp_path: Path) -> None:
    write(tmp_path, "src/rank.py", "W = 2.0\n")
    write(tmp_path, "src/bench.py", "REPEATS = 5\n")
    write(tmp_path, "src/conftest.py", "TIMEOUT = 3.0\n")
    text = "## Change\nscope: src/*.py\n\n## Check\nrun: x\ngoal: higher\nfrozen: src/bench.py\n"
    (tmp_path / "improve.md").write_text(text, encoding="utf-8")
    config = parse_text(text, tmp_path / "improve.md")
    assert [c.key for c in select_constants(tmp_path, config)] == ["src/rank.py::W"]


def test_marked_constants_only_when_any_is_marked(tmp_path: Path) -> None:
    write(tmp_path, "src/rank.py", "W = 2.0  # autoimprove: tune\nK = 4\n")
    write(tmp_path, "src/other.py", "X = 1.5\nY = 2  # autoimprove: tune\n")
    config = make_config(tmp_path, change="scope: src/*.py")
    keys = [c.key for c in select_constants(tmp_path, config)]
    assert keys == ["src/other.py::Y", "src/rank.py::W"]


def test_named_constants_and_files(tmp_path: Path) -> None:
    write(tmp_path, "src/rank.py", "W = 2.0\nK = 4\nlow = 0.5\n")
    write(tmp_path, "src/other.py", "X = 1.5  # autoimprove: tune\nY = 3.0\n")
    change = "scope: src/*.py"
    one = make_config(tmp_path, "provider: tune\ntune: src/rank.py::K", change)
    assert [c.key for c in select_constants(tmp_path, one)] == [
        "src/other.py::X",
        "src/rank.py::K",
    ]
    whole = make_config(tmp_path, "tune: src/rank.py", change)
    assert whole.agent.provider == "tune"
    assert [c.name for c in select_constants(tmp_path, whole)] == ["X", "W", "K", "low"]


@pytest.mark.parametrize(
    ("agent", "change", "message"),
    [
        ("tune: src/nope.py::W", "scope: src/*.py", "src/nope.py matches no Python file"),
        ("tune: src/rank.py::Q", "scope: src/*.py", "has no numeric module-level constant 'Q'"),
        ("tune: src/rank.py::W", "scope: src/other.py", "src/rank.py is not in scope"),
        ("tune: src/broken.py", "scope: src/*.py", "cannot parse src/broken.py"),
        ("provider: tune", "scope: src/other.py", "found no numeric module-level constant"),
    ],
)
def test_bad_tune_specs_name_the_line(
    tmp_path: Path, agent: str, change: str, message: str
) -> None:
    write(tmp_path, "src/rank.py", "W = 2.0\n")
    write(tmp_path, "src/other.py", "name = 'x'\n")
    write(tmp_path, "src/broken.py", "W = = 2\n")
    config = make_config(tmp_path, agent, change)
    with pytest.raises(ConfigError, match=message) as caught:
        tune.propose(context(tmp_path, config, tmp_path / "run", 1))
    assert str(caught.value).startswith("improve.md:11: ")  # the ## Agent line


def test_other_providers_are_left_alone(tmp_path: Path) -> None:
    write(tmp_path, "m.py", "W = 2.0\n")
    config = make_config(tmp_path, "provider: command\ncommand: true")
    assert tune.pytest_autoimprove_propose(context(tmp_path, config, tmp_path / "r", 1)) is None


# --- the search --------------------------------------------------------------------------


def test_converges_on_a_toy_objective(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, "knobs.py", "W = 2.0  # weight\nN = 1\n")
    config = make_config(root, change="scope: knobs.py")
    loop = Loop(root, config, "knobs.py", lambda v: -((v["W"] - 8) ** 2) - (v["N"] - 5) ** 2)
    history = loop.run(40)
    assert values(root, "knobs.py")["W"] == pytest.approx(8.0, abs=0.5)
    assert values(root, "knobs.py")["N"] == 5
    kept = [p.description for p in history if p.status == "kept"]
    assert "W 2.0 -> 4.0" in kept and "W 4.0 -> 8.0" in kept
    assert any(d.startswith("N ") for d in kept)
    # Never the same value twice from the same point.
    assert len(loop.proposed) == len(set(loop.proposed))
    # The file keeps its comment and layout.
    assert (root / "knobs.py").read_text().startswith("W = 8.0  # weight\nN = ")


def test_a_kept_int_step_grows(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, "knobs.py", "BATCH_SIZE = 1\n")
    loop = Loop(root, make_config(root), "knobs.py", lambda v: -((v["BATCH_SIZE"] - 40) ** 2))
    history = loop.run(12)
    kept = [p.description for p in history if p.status == "kept"]
    assert kept[:4] == [
        "BATCH_SIZE 1 -> 2",
        "BATCH_SIZE 2 -> 4",
        "BATCH_SIZE 4 -> 8",
        "BATCH_SIZE 8 -> 16",
    ]
    assert values(root, "knobs.py")["BATCH_SIZE"] == 40


def test_exhausts_and_then_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, "knobs.py", "W = 1.0\n")
    config = make_config(root)
    loop = Loop(root, config, "knobs.py", lambda v: -((v["W"] - 1) ** 2))
    history = loop.run(12)
    discarded = [p for p in history if p.status == "discarded"]
    assert len(discarded) == 2 * len(tune.FLOAT_FACTORS)
    assert history[-1].status == "no-op"
    assert history[-1].description.startswith(EXHAUSTED)
    assert (root / "knobs.py").read_text() == "W = 1.0\n"


def two_peaks(v: dict[str, float]) -> float:
    return -abs(v["A"] - 3) - abs(v["B"] - 7)


def three_peaks(v: dict[str, float]) -> float:
    return two_peaks(v) - abs(v["C"] - 1)


def test_the_same_seed_gives_the_same_run(tmp_path: Path) -> None:
    def descriptions(folder: Path) -> list[str]:
        write(folder, "knobs.py", "A = 1.0\nB = 3\nC = 0.25\n")
        config = make_config(folder)
        return [p.description for p in Loop(folder, config, "knobs.py", three_peaks).run(15)]

    first = descriptions(tmp_path / "one" / "repo")
    assert descriptions(tmp_path / "two" / "repo") == first


def test_state_survives_a_resume(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, "knobs.py", "A = 1.0\nB = 3\n")
    config = make_config(root)
    loop = Loop(root, config, "knobs.py", two_peaks)
    loop.run(6)
    assert (loop.run_dir / STATE_FILE).is_file()
    # A kill during experiment 7: the proposal was written, the loop then reset the
    # tree and runs experiment 7 again after the resume. The same step comes back.
    before = (root / "knobs.py").read_bytes()
    first = tune.propose(context(root, config, loop.run_dir, 7, loop.history))
    (root / "knobs.py").write_bytes(before)
    again = loop.step(7)
    assert again.description == first.description
    loop.run(20)
    assert len(loop.proposed) == len(set(loop.proposed))


def test_history_descriptions_stand_in_for_a_lost_state_file(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, "knobs.py", "A = 1.0\n")
    config = make_config(root)
    loop = Loop(root, config, "knobs.py", lambda v: -((v["A"] - 1) ** 2))
    loop.run(4)
    (loop.run_dir / STATE_FILE).unlink()
    loop.run(10)
    assert len(loop.proposed) == len(set(loop.proposed)) == 2 * len(tune.FLOAT_FACTORS)


def test_a_corrupt_state_file_is_started_over(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, "knobs.py", "A = 1.0\n")
    config = make_config(root)
    run_dir = tmp_path / "runs" / "r"
    run_dir.mkdir(parents=True)
    (run_dir / STATE_FILE).write_text("{not json", encoding="utf-8")
    proposal = tune.propose(context(root, config, run_dir, 1))
    assert proposal.description.startswith("A 1.0 -> ")


def test_same_name_in_two_files_is_described_with_its_path(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, "a.py", "W = 2.0\n")
    write(root, "b.py", "W = 3.0\n")
    config = make_config(root)
    proposal = tune.propose(context(root, config, tmp_path / "runs" / "r", 1))
    assert proposal.description.startswith(("a.py::W 2.0 -> ", "b.py::W 3.0 -> "))


# --- end to end --------------------------------------------------------------------------

LOOP_IMPROVE_MD = """\
# autoimprove: weights

## Change
scope: knobs.py

## Check
run: {python} bench.py
goal: higher
timeout: 60s
frozen: bench.py

## Stop
rounds: 3

## Agent
tune: knobs.py::WEIGHT
"""


def _real_loop(
    tmp_path: Path, knobs: str, score: str, rounds: int
) -> tuple[Path, int, str, Callable[..., str]]:
    """Run the real Loop with the tune proposer on a tiny repo: (root, code, output, git)."""
    import io
    import subprocess
    import sys

    from pytest_autoimprove import guard
    from pytest_autoimprove.config import load_config
    from pytest_autoimprove.loop.console import Console
    from pytest_autoimprove.loop.run import Loop, LoopOptions
    from pytest_autoimprove.manager import standalone_manager

    root = tmp_path / "repo"
    improve = LOOP_IMPROVE_MD.format(python=sys.executable).replace(
        "rounds: 3", f"rounds: {rounds}"
    )
    write(root, "improve.md", improve.replace("tune: knobs.py::WEIGHT\n", "provider: tune\n"))
    write(root, "knobs.py", knobs)
    write(root, "bench.py", f"import knobs\nprint(f'SCORE: {{{score}}}')\n")
    write(root, "tests/test_knobs.py", "import knobs\n\ndef test_k():\n    assert knobs\n")
    write(root, ".gitignore", "__pycache__/\n")

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@e.x", *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    git("init", "-q", "-b", "main")
    guard.freeze(root, load_config(root), guard_tests=0)
    git("add", "-A")
    git("commit", "-qm", "knobs")
    out = io.StringIO()
    options = LoopOptions(start=root)
    code = Loop(options, hook=standalone_manager().hook, console=Console(out, live=False)).run()
    return root, code, out.getvalue(), git


def test_the_real_loop_tunes_a_constant_and_reports_it(tmp_path: Path) -> None:
    from pytest_autoimprove.cli import report

    root, code, out, git = _real_loop(
        tmp_path, "WEIGHT = 2.0  # autoimprove: tune\nOTHER = 3\n", "-(knobs.WEIGHT - 8) ** 2", 3
    )
    assert code == 0, out
    run_dir = report.run_folders(root)[-1]
    assert (run_dir / STATE_FILE).is_file()
    data, path, _ = report.build(root, None)
    kept = [row.description for row in data.kept]
    assert kept[:2] == ["WEIGHT 2.0 -> 4.0", "WEIGHT 4.0 -> 8.0"]
    assert data.best == 0
    assert "+WEIGHT = 8.0  # autoimprove: tune" in path.read_text(encoding="utf-8")
    branch = f"autoimprove/{run_dir.name}"
    assert git("show", f"{branch}:knobs.py") == "WEIGHT = 8.0  # autoimprove: tune\nOTHER = 3\n"


def test_the_loop_stops_when_the_search_is_exhausted(tmp_path: Path) -> None:
    from pytest_autoimprove.cli import report

    # N = 1 is the optimum and may not go below 1: one step up loses, then nothing is left.
    _, code, out, _ = _real_loop(
        tmp_path, "N = 1  # autoimprove: tune\n", "-(knobs.N - 1) ** 2", 20
    )
    assert code == 0, out
    assert "nothing left to try" in out
    data, _, _ = report.build(tmp_path / "repo", None)
    assert [row.status for row in data.rows if row.number > 0] == ["discarded", "no-op"]
