"""What the loop refuses to start on, and what it says (exit codes 2, 3, 4)."""

from __future__ import annotations

from collections.abc import Callable

from toyrepo import ToyRepo, checkout_state, git, run_loop

from pytest_autoimprove.loop.run import passthrough_args


def test_broken_lock_exits_3(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1)
    (repo.root / "bench.py").write_text("print('SCORE: 99')\n")
    git(repo.root, "commit", "-qam", "edit the frozen benchmark")
    code, out = run_loop(repo)
    assert code == 3
    assert "bench.py" in out and "guard lock does not hold" in out


def test_failing_baseline_exits_4_with_the_tail(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1)
    (repo.root / "mod.py").write_text((repo.root / "mod.py").read_text() + "\nBROKEN = 1\n")
    git(repo.root, "commit", "-qam", "break it")
    code, out = run_loop(repo)
    assert code == 4
    assert "baseline fails its tests" in out and "test_value_positive" in out


def test_baseline_without_score_exits_4(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1)
    improve = repo.root / "improve.md"
    improve.write_text(
        improve.read_text().replace("goal: higher", "goal: higher\nscore: nope=(\\d+)")
    )
    from pytest_autoimprove import guard
    from pytest_autoimprove.config import load_config

    guard.freeze(repo.root, load_config(repo.root), guard_tests=1)
    git(repo.root, "commit", "-qam", "score regex that never matches")
    code, out = run_loop(repo)
    assert code == 4
    assert "yields no score" in out and "SCORE: 10" in out


def test_snapshot_flag_in_test_command_is_a_config_error(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1)
    improve = repo.root / "improve.md"
    improve.write_text(
        improve.read_text().replace("goal: higher", "goal: higher\ntest: pytest --snapshot-update")
    )
    git(repo.root, "commit", "-qam", "a test command that rewrites expectations")
    code, out = run_loop(repo)
    assert code == 2
    assert "improve.md:" in out and "--snapshot-update" in out
    code, out = run_loop(repo, pytest_args=("--force-regen",))
    assert code == 2


def test_uncommitted_improve_md_is_explained(toy: Callable[..., ToyRepo]) -> None:
    repo = toy(rounds=1)
    git(repo.root, "rm", "-q", "--cached", "improve.md")
    git(repo.root, "commit", "-qm", "untrack")
    code, out = run_loop(repo)
    assert code == 2
    assert "not committed" in out and "git add improve.md" in out


def test_dirty_checkout_is_untouched_and_not_part_of_the_run(
    toy: Callable[..., ToyRepo],
) -> None:
    repo = toy(rounds=1, plan=["improve"])
    (repo.root / "mod.py").write_text("VALUE = 500\n")  # uncommitted work
    (repo.root / "notes.txt").write_text("mine\n")
    git(repo.root, "stash", "list")
    before = checkout_state(repo.root)
    code, out = run_loop(repo)
    assert code == 0, out
    assert "uncommitted changes" in out
    assert repo.records()[0]["score"] == 11  # from HEAD's VALUE = 10, not the dirty 500
    assert checkout_state(repo.root) == before
    exclude = (repo.root / ".git" / "info" / "exclude").read_text()
    assert ".autoimprove/runs/" in exclude and ".autoimprove/worktrees/" in exclude


def test_passthrough_args_drop_our_own_options() -> None:
    args = [
        "--autoimprove",
        "-q",
        "--autoimprove-file",
        "x.md",
        "--autoimprove-budget=1h",
        "--autoimprove-resume",
        "run1",
        "-k",
        "fast",
        "--autoimprove-stale",
        "3",
    ]
    assert passthrough_args(args, "run1") == ("-q", "-k", "fast")
    assert passthrough_args(["--autoimprove-resume", "tests"], "last") == ("tests",)
