"""The sandbox: every measured command starts clean, and its watcher reports what the
code in scope did to the interpreter and the file system."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from toyrepo import ToyRepo, make_repo

from pytest_autoimprove.config import load_config
from pytest_autoimprove.loop.sandbox import (
    ProcessCost,
    Sandbox,
    Session,
    cross_check,
    python_path_first,
    reading_interval,
    timed_share,
)
from pytest_autoimprove.process import run_command


@pytest.fixture
def toy(tmp_path: Path) -> ToyRepo:
    return make_repo(tmp_path)


def run(toy: ToyRepo, mod: str, bench: str, *, number: int = 1) -> tuple[str, Session, Sandbox]:
    """``bench`` run as the benchmark, with ``mod.py`` (the code in scope) replaced."""
    (toy.root / "mod.py").write_text(mod)
    (toy.root / "bench.py").write_text(bench)
    sandbox = Sandbox(load_config(toy.root), toy.root / ".autoimprove" / "runs" / "r", toy.root)
    with sandbox.session("benchmark", toy.root, key=str(number)) as session:
        env = python_path_first({"PYTHONPATH": str(toy.root)}, session.env)
        result = run_command([sys.executable, "bench.py"], cwd=toy.root, timeout=60, env=env)
    assert result.returncode == 0, result.output
    return result.output, session, sandbox


def messages(session: Session) -> list[str]:
    return [f"{f.get('where')}: {f['message']}" for f in session.findings()]


def test_each_run_gets_a_fresh_home_and_temp_folder_that_is_removed_after(
    toy: ToyRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTOIMPROVE_EXPERIMENT", "3")
    monkeypatch.setenv("PYTEST_VERSION", "8")
    bench = (
        "import os, tempfile, pathlib\n"
        "tmp, home = tempfile.gettempdir(), pathlib.Path.home()\n"
        "print(sorted(os.listdir(tmp)), sorted(os.listdir(home)))\n"
        "print(tmp); print(os.environ['HOME']); print(os.environ['XDG_CACHE_HOME'])\n"
        "print([k for k in os.environ if k.startswith(('AUTOIMPROVE', 'PYTEST_VERSION'))])\n"
        "open(os.path.join(tempfile.gettempdir(), 'left-over'), 'w').write('x')\n"
    )
    out, session, _ = run(toy, "VALUE = 1\n", bench)
    lines = out.splitlines()
    assert lines[0] == "[] []"
    run_dir = str(toy.root / ".autoimprove" / "runs" / "r" / "sandbox")
    assert all(line.startswith(run_dir) for line in lines[1:4])
    assert lines[4] == "[]"
    for _ in range(100):  # removed in the background
        if not session.folder.exists():
            break
        time.sleep(0.05)
    assert not session.folder.exists()
    assert session.findings() == []  # a write in the sandbox is no finding
    # The next run starts as empty as the first.
    out, _, _ = run(toy, "VALUE = 1\n", bench)
    assert out.splitlines()[0] == "[] []"


def test_what_the_loop_sets_on_purpose_is_not_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOIMPROVE_GOLDEN", "stale")
    session_env = {"AUTOIMPROVE_GOLDEN": None, "PYTHONPATH": "/site", "HOME": "/h"}
    merged = python_path_first({"AUTOIMPROVE_GOLDEN": "g.jsonl", "PYTHONPATH": "/w"}, session_env)
    assert merged["AUTOIMPROVE_GOLDEN"] == "g.jsonl"
    assert merged["PYTHONPATH"] == f"/site{os.pathsep}/w"
    assert merged["HOME"] == "/h"


BENCH = """\
import time
import mod
from time import perf_counter
start = perf_counter()
mod.work()
print(f"SCORE: {(perf_counter() - start) * 1000:.3f}")
"""


def test_a_patched_clock_is_pinned_and_reported(toy: ToyRepo) -> None:
    mod = (
        "import time\n"
        "_real = time.perf_counter\n"
        "time.perf_counter = lambda: _real() / 1000\n"
        "def work():\n"
        "    end = _real() + 0.05\n"
        "    while _real() < end:\n"
        "        pass\n"
    )
    out, session, sandbox = run(toy, mod, BENCH)
    score = float(out.split("SCORE: ")[1])
    assert score >= 45  # the real 50 ms, not 0.05 ms
    assert "mod.py:3: replaces time.perf_counter (by <lambda> of mod.py)" in messages(session)
    [problem] = sandbox.judge("benchmark", session.findings(), number=1)
    assert problem.startswith("mod.py:3: replaces time.perf_counter")
    share = timed_share(session.ends(), wall=0.1, cpu=0.1)
    assert share is not None and share > 0.3


def test_tests_may_fake_the_clock(toy: ToyRepo) -> None:
    """freezegun and mock.patch fake the clock in tests on purpose: only the benchmark's
    clocks are pinned, the tests' are only checked at exit."""
    (toy.root / "test_clock.py").write_text(
        "import time\n\ndef test_frozen(monkeypatch):\n"
        "    monkeypatch.setattr(time, 'time', lambda: 42.0)\n"
        "    assert time.time() == 42.0\n"
    )
    sandbox = Sandbox(load_config(toy.root), toy.root / ".autoimprove" / "runs" / "r", toy.root)
    with sandbox.session("tests", toy.root, key="1") as session:
        env = python_path_first({"PYTHONPATH": str(toy.root)}, session.env)
        result = run_command(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_clock.py"],
            cwd=toy.root,
            timeout=60,
            env=env,
        )
    assert result.returncode == 0, result.output
    assert session.findings() == []


def test_the_clock_a_dict_write_replaced_is_still_the_real_one(toy: ToyRepo) -> None:
    mod = (
        "import time, timeit\n"
        "_real = time.perf_counter\n"
        "time.__dict__['perf_counter'] = lambda: 0.0\n"
        "timeit.default_timer = lambda: 0.0\n"
        "def work():\n    pass\n"
    )
    _, session, _ = run(toy, mod, BENCH)
    found = messages(session)
    assert "mod.py:3: replaces time.perf_counter (by <lambda> of mod.py)" in found
    assert "mod.py:4: replaces timeit.default_timer (by <lambda> of mod.py)" in found


def test_builtins_sys_exit_and_the_programs_clock_are_checked_at_exit(toy: ToyRepo) -> None:
    mod = (
        "import builtins, sys\n"
        "def fake_print(*a, **k):\n    pass\n"
        "builtins.print = fake_print\n"
        "def work():\n"
        "    sys.modules['__main__'].perf_counter = lambda: 0.0\n"
    )
    _, session, _ = run(toy, mod, BENCH)
    found = messages(session)
    assert "mod.py:2: replaces the builtin print (by fake_print of mod.py)" in found
    clock = "__main__.perf_counter is not the real clock (by work.<locals>.<lambda> of mod.py)"
    assert f"mod.py:6: {clock}" in found


def test_writes_outside_and_new_files_in_the_tree_are_reported(
    toy: ToyRepo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.json"
    mod = (
        "import os, tempfile\n"
        "def work():\n"
        f"    open({str(outside)!r}, 'w').write('x')\n"
        "    open('answers.json', 'w').write('x')\n"
        "    open(os.path.join(tempfile.gettempdir(), 'fine'), 'w').write('x')\n"
    )
    bench = BENCH + "open('bench-log.txt', 'w').write('the benchmark may write its own files')\n"
    _, session, _ = run(toy, mod, bench)
    assert messages(session) == [
        f"mod.py:3: writes {outside.resolve()}, outside the tree and the sandbox (open)",
        "mod.py:4: creates answers.json in the tree under test (open)",
    ]


def test_reads_where_an_earlier_run_could_leave_state_are_reported(
    toy: ToyRepo, tmp_path: Path
) -> None:
    stash = tmp_path / "answers.json"  # in the machine's temp folder, outside the tree
    stash.write_text("{}")
    mod = f"def work():\n    open({str(stash)!r}).read()\n"
    _, session, _ = run(toy, mod, BENCH)
    assert messages(session) == [
        f"mod.py:2: reads {stash.resolve()}, where an earlier run could leave state"
    ]


def test_frames_exits_and_hooks_of_code_in_scope_are_reported(toy: ToyRepo) -> None:
    mod = (
        "import sys, os\n"
        "def work():\n"
        "    sys._getframe(1)\n"
        "    sys.setprofile(None)\n"
        "    os._exit(0)\n"
    )
    _, session, _ = run(toy, mod, BENCH.replace("print(", "0 and print("))
    assert messages(session) == [
        "mod.py:3: inspects its caller's frame (sys._getframe)",
        "mod.py:4: installs a profile function (sys.setprofile)",
        "mod.py:5: calls os._exit(0), which skips every report",
    ]
    [end] = session.ends()
    assert end["how"] == "os._exit"


def test_reading_sys_argv_and_shadowing_a_module_are_reported(toy: ToyRepo) -> None:
    (toy.root / "statistics.py").write_text("def median(values):\n    return 0\n")
    mod = "import sys\ndef work():\n    return sys.argv[0].endswith('bench.py')\n"
    bench = "import statistics, pickle, sys\n" + BENCH + "pickle.loads(pickle.dumps(sys.argv))\n"
    _, session, _ = run(toy, mod, bench)
    assert messages(session) == [
        "mod.py:3: reads sys.argv: behaves by how the process was started",
        "statistics.py:1: statistics.py was imported as the standard library's statistics",
    ]


def test_looking_for_the_harness_in_the_environment_is_reported(toy: ToyRepo) -> None:
    mod = (
        "import os\n"
        "def work():\n"
        "    os.environ.get('HOME')\n"
        "    return 'PYTEST_CURRENT_TEST' in os.environ\n"
    )
    _, session, _ = run(toy, mod, BENCH)
    assert messages(session) == [
        "mod.py:4: looks up $PYTEST_CURRENT_TEST: tells a test run from the benchmark by "
        "the environment"
    ]


def test_the_benchmark_itself_is_not_blamed(toy: ToyRepo) -> None:
    """Frozen code (the benchmark) may read frames and argv, write files, exit: only code in
    scope is blamed."""
    bench = (
        "import sys, os, mod\nsys._getframe(0)\nprint(sys.argv[0], len(sys.argv))\n"
        "open('/dev/null', 'w')\nmod.work()\nos._exit(0)\n"
    )
    _, session, _ = run(toy, "def work():\n    return [1] * 10\n", bench)
    assert session.findings() == []


def test_forked_children_are_not_counted_as_processes(toy: ToyRepo) -> None:
    mod = (
        "import os\n"
        "def work():\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        os._exit(0)\n"
        "    os.waitpid(pid, 0)\n"
    )
    _, session, _ = run(toy, mod, BENCH)
    assert session.findings() == []
    assert len(session.ends()) == 1


def test_what_the_baseline_does_is_learnt_not_blamed(toy: ToyRepo) -> None:
    mod = "import sys\ndef work():\n    sys._getframe(1)\n"
    _, session, sandbox = run(toy, mod, BENCH, number=0)
    assert session.findings()
    assert sandbox.judge("benchmark", session.findings(), number=0) == []
    assert sandbox.judge("benchmark", session.findings(), number=1) == []
    assert sandbox.judge("tests", session.findings(), number=1)  # learnt per command kind


def test_what_was_learnt_survives_a_resume_and_stays_per_file(toy: ToyRepo) -> None:
    found = [{"kind": "probe", "message": "inspects its caller's frame", "where": "mod.py:3"}]
    run_dir = toy.root / ".autoimprove" / "runs" / "r"
    sandbox = Sandbox(load_config(toy.root), run_dir, toy.root)
    sandbox.judge("benchmark", found, number=0)
    again = Sandbox(load_config(toy.root), run_dir, toy.root)  # --autoimprove-resume
    moved = [{**found[0], "where": "mod.py:9"}]
    assert again.judge("benchmark", moved, number=4) == []
    elsewhere = [{**found[0], "where": "helpers.py:1"}]
    assert again.judge("benchmark", elsewhere, number=4) == [
        "helpers.py:1: inspects its caller's frame (during the benchmark)"
    ]


def test_a_sitecustomize_planted_in_the_tree_is_not_loaded(toy: ToyRepo) -> None:
    (toy.root / "sitecustomize.py").write_text("import time\ntime.perf_counter = lambda: 0.0\n")
    out, session, _ = run(toy, "def work():\n    pass\n", BENCH)
    assert float(out.split("SCORE: ")[1]) >= 0
    assert any("a sitecustomize.py in the tree was not loaded" in m for m in messages(session))


def _costs(wall: float, cpu: float, share: float = 0.8, n: int = 3) -> list[ProcessCost]:
    return [ProcessCost(wall, cpu, share)] * n


def _spending(interval: float) -> list[ProcessCost]:
    """Three runs of a benchmark that spends a time budget, ``interval`` s a pass."""
    return [ProcessCost(1.0, 0.9, 0.9, interval)] * 3


def _scattered(spread: float = 0.5) -> list[ProcessCost]:
    """Three runs as a loaded machine gives them: the same work, times ``spread`` apart."""
    return [ProcessCost(1.0 + d, 0.9 + d, 0.9) for d in (-spread / 2, 0.0, spread / 2)]


ADAPTIVE = """\
from time import process_time
import mod
spent, fastest = 0.0, float("inf")
while spent < 0.25:  # passes until a budget is spent, as pytest-benchmark and init's do
    start = process_time()
    mod.work()
    took = process_time() - start
    spent, fastest = spent + took, min(fastest, took)
print(f"SCORE: {fastest * 1000 / CLAIM:.3f}")
"""


def _adaptive_costs(toy: ToyRepo, size: int, claim: float) -> tuple[float, list[ProcessCost]]:
    """Three runs of :data:`ADAPTIVE` on work of ``size``, the score divided by ``claim``."""
    mod = f"def work():\n    return sum(i * i for i in range({size}))\n"
    bench = ADAPTIVE.replace("CLAIM", str(claim))
    costs, scores = [], []
    for number in range(3):
        out, session, _ = run(toy, mod, bench, number=number)
        [end] = session.ends()
        share = timed_share([end], wall=end["wall"], cpu=end["cpu"])
        costs.append(ProcessCost(end["wall"], end["cpu"], share, reading_interval([end])))
        scores.append(float(out.split("SCORE: ")[1]))
    return min(scores), costs


def test_an_honest_gain_in_a_benchmark_that_spends_a_budget_is_no_fake(toy: ToyRepo) -> None:
    # Twice as fast: twice the passes in the same time, so the processes take as long.
    best_score, best = _adaptive_costs(toy, 40_000, claim=1)
    score, honest = _adaptive_costs(toy, 20_000, claim=1)
    assert best[0].interval is not None and honest[0].interval is not None
    assert honest[0].interval < best[0].interval * 0.8
    kwargs = {"goal": "lower", "best_score": best_score, "best": best}
    assert cross_check(score=score, candidate=honest, share=best[0].timed_share, **kwargs) is None


@pytest.mark.parametrize(
    ("goal", "best_score", "score", "best", "candidate", "faked"),
    [
        # 100x claimed, the processes took as long as before: faked
        ("lower", 100.0, 1.0, _costs(1.0, 0.9), _costs(1.0, 0.9), True),
        ("higher", 10.0, 1000.0, _costs(1.0, 0.9), _costs(0.99, 0.92), True),
        # 2x claimed and the processes got about 40% faster: real
        ("lower", 100.0, 50.0, _costs(1.0, 0.9), _costs(0.6, 0.55), False),
        # the wall clock was slowed by load, the CPU time shows the gain: real
        ("lower", 100.0, 50.0, _costs(1.0, 0.9), _costs(1.3, 0.55), False),
        # small claims are left to the keep rule
        ("lower", 100.0, 80.0, _costs(1.0, 0.9), _costs(1.0, 0.9), False),
        # a benchmark that spends a time budget: as long a run, half the time between
        # two clock readings: real; the same interval (a score rewritten): faked
        ("lower", 100.0, 50.0, _spending(0.02), _spending(0.01), False),
        ("lower", 100.0, 1.0, _spending(0.02), _spending(0.02), True),
        # a benchmark whose timed part is a sliver of its run cannot be checked
        ("lower", 100.0, 1.0, _costs(1.0, 0.9, 0.1), _costs(1.0, 0.9, 0.1), False),
        # 2x claimed, no visible gain, but runs that scatter more than the claim: no verdict
        ("lower", 100.0, 50.0, _scattered(), _scattered(), False),
        # ... while a claim far beyond the scatter is still judged
        ("lower", 100.0, 1.0, _scattered(0.1), _scattered(0.1), True),
    ],
)
def test_cross_check(
    goal: str,
    best_score: float,
    score: float,
    best: list[ProcessCost],
    candidate: list[ProcessCost],
    faked: bool,
) -> None:
    share = best[0].timed_share
    reason = cross_check(
        goal=goal, best_score=best_score, score=score, best=best, candidate=candidate, share=share
    )
    assert (reason is not None) == faked, reason
    if faked:
        assert reason is not None and "did not get faster" in reason
