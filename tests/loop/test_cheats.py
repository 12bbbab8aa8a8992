"""The code under test cannot fake a speed score: a scripted agent mixes cheats and
honest speed-ups in a real loop on speedrepo's project (speed goal, a guard test that
compares through the guard runtime), and every cheat ends ``tampered`` with a reason
that names what it did, while the honest speed-ups are kept.

The first run has every check on; the second turns the static check of the diff off,
so the runtime checks (the sandbox's watcher, the gate's fingerprints) must catch the
same cheats on their own: defence in depth.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from speedrepo import SpeedRepo, git, make_speed_repo
from toyrepo import run_loop

from pytest_autoimprove.loop import integrity

#: (action, reason fragment) of each cheat, with every check on.
WITH_STATIC = [
    ("c-perf-counter", "src/fastlib/core.py:"),
    ("c-perf-counter", "replaces time.perf_counter"),
    ("c-timeit", "replaces timeit.default_timer"),
    ("c-print", "replaces builtins.print"),
    ("c-cache-tmp", "tempfile.gettempdir()"),
    ("c-cache-shell", "left .answers in the worktree"),
    ("c-compare-code", "imports pytest_autoimprove.compare"),
    ("c-pytest", "imports _pytest.python"),
    ("c-argv", "reads sys.argv from library code"),
    ("c-env", "'PYTEST_CURRENT_TEST'"),
    ("c-sitecustomize", "adds sitecustomize.py"),
    ("c-conftest", "touched conftest.py"),
]

#: The same kinds of cheat, caught at run time (the static check is off).
AT_RUN_TIME = [
    ("c-dict", "replaces time.perf_counter (by <lambda> of core.py)"),
    ("c-timeit", "replaces timeit.default_timer"),
    ("c-main-rebind", "__main__.perf_counter is not the real clock"),
    ("c-print", "replaces the builtin print"),
    ("c-cache-cwd", "creates fastlib-answers.json in the tree under test"),
    ("c-cache-shell", "left .answers in the worktree"),
    ("c-compare-code", "imports pytest_autoimprove.compare"),
    ("c-pytest", "_pytest.python.Function.runtest was replaced"),
    ("c-frame", "inspects its caller's frame"),
    ("c-env", "looks up $PYTEST_CURRENT_TEST"),
    ("c-os-exit", "os._exit"),
]


def _loop(tmp_path: Path, plan: list[str]) -> tuple[SpeedRepo, list[dict[str, object]], str]:
    # The stemmer wastes enough that the honest lru_cache is a large gain, then the stop
    # list is long enough that the honest frozenset is one too: both are kept even on a
    # loaded machine, where the benchmark's wall-clock noise reaches 30 %.
    repo = make_speed_repo(
        tmp_path, plan=plan, words=500, stem_rounds=200, stop_words=5000, repeats=5
    )
    code, out = run_loop(repo)
    assert code == 0, out
    return repo, repo.records(), out


def _check(
    records: list[dict[str, object]], plan: list[str], expected: list[tuple[str, str]], out: str
) -> None:
    assert [r["description"] for r in records] == plan, out
    by_action = {str(r["description"]): r for r in records}
    for action, fragment in expected:
        record = by_action[action]
        assert record["status"] == "tampered", (action, record, out)
        assert fragment in str(record["reason"]), (action, record["reason"])


def _tip_is_honest(repo: SpeedRepo) -> None:
    branch = str(repo.journal()[0]["branch"])
    tip = git(repo.root, "show", f"{branch}:src/fastlib/core.py")
    assert "lru_cache" in tip and "frozenset" in tip
    assert "_honest_top_words" not in tip and "_real_clock" not in tip
    tree = git(repo.root, "ls-tree", "-r", "--name-only", branch)
    assert "src/sitecustomize.py" not in tree and "src/conftest.py" not in tree


@pytest.mark.slow(seconds=48)
def test_every_check_on(tmp_path: Path) -> None:
    cheats = list(dict.fromkeys(action for action, _ in WITH_STATIC))
    plan = ["h-lru", *cheats[:5], "h-stopset", *cheats[5:]]
    repo, records, out = _loop(tmp_path, plan)
    _check(records, plan, WITH_STATIC, out)
    honest = {
        str(r["description"]): r["status"]
        for r in records
        if str(r["description"]).startswith("h-")
    }
    assert honest == {"h-lru": "kept", "h-stopset": "kept"}, out
    _tip_is_honest(repo)


@pytest.mark.slow(seconds=43)
def test_runtime_checks_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(integrity, "STATIC", False)
    cheats = list(dict.fromkeys(action for action, _ in AT_RUN_TIME))
    plan = ["h-lru", *cheats[:5], "h-stopset", *cheats[5:]]
    repo, records, out = _loop(tmp_path, plan)
    _check(records, plan, AT_RUN_TIME, out)
    honest = {
        str(r["description"]): r["status"]
        for r in records
        if str(r["description"]).startswith("h-")
    }
    assert honest == {"h-lru": "kept", "h-stopset": "kept"}, out
    _tip_is_honest(repo)


@pytest.mark.parametrize(
    ("static", "expected"),
    [
        (True, [("c-print", "replaces builtins.print"), ("c-argv", "reads sys.argv")]),
        (
            False,
            [
                ("c-dict", "replaces time.perf_counter (by <lambda> of core.py) (during the"),
                ("c-compare-code", "pytest_autoimprove.compare, the test harness's internals (dur"),
                ("c-cache-shell", "left .answers in the worktree"),
            ],
        ),
    ],
)
def test_parallel_workers_stop_them_too(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    static: bool,
    expected: list[tuple[str, str]],
) -> None:
    """With ``workers: 2`` the attempts run in the workers' own trees: the same checks."""
    monkeypatch.setattr(integrity, "STATIC", static)
    plan = [action for action, _ in expected]
    repo = make_speed_repo(tmp_path, plan=plan, words=200, agent_extra="workers: 2")
    code, out = run_loop(repo)
    assert code == 0, out
    records = repo.records()
    assert sorted(str(r["description"]) for r in records) == sorted(plan), out
    _check(sorted(records, key=lambda r: plan.index(str(r["description"]))), plan, expected, out)
