"""The board of a parallel run: what each agent is told about the experiments in flight."""

from __future__ import annotations

import json
import time
from pathlib import Path

from pytest_autoimprove.config import parse_text
from pytest_autoimprove.loop.board import Board, describe
from pytest_autoimprove.proposers.prompt import render_program

IMPROVE_MD = """\
# autoimprove: faster
## Change
scope: a.py, b.py
## Check
run: python bench.py
goal: lower
"""


def test_the_board_follows_each_experiment_until_it_is_decided(tmp_path: Path) -> None:
    folder = tmp_path / "board"
    folder.mkdir()
    (folder / "0009.intent").write_text("left over by a killed run\n")
    board = Board(folder)
    assert not list(folder.glob("*.intent"))  # a resumed run starts with no stale intent
    board.begin(1, 1, None, "c0ffee")
    board.begin(2, 2, "ranker", "c0ffee")
    board.intent(1).write_text("cache the tokenizer\nmore words\n")
    assert [e["experiment"] for e in board.others(2)] == [1]
    assert board.others(2)[0]["intent"] == "cache the tokenizer"
    board.staged(1, ("a.py",), "cache the tokenizer")
    live = json.loads(board.path.read_text())
    assert [(e["experiment"], e["state"]) for e in live["in_flight"]] == [
        (1, "checking"),
        (2, "proposing"),
    ]
    assert live["in_flight"][0]["changed"] == ["a.py"]
    board.replaying(1, 3, "beef")
    assert board.others(2)[0]["state"] == "replaying"
    board.decided(1)
    assert not board.intent(1).exists()
    assert [e["experiment"] for e in json.loads(board.path.read_text())["in_flight"]] == [2]
    assert board.others(2) == ()


def test_each_entry_reads_as_one_line() -> None:
    now = time.time()
    proposing = {"experiment": 4, "worker": 2, "part": "ranker", "state": "proposing"}
    assert describe({**proposing, "since": now - 12}, now) == (
        "- worker 2, experiment 4 [ranker]: proposing (for 12 s)"
    )
    checking = {
        "experiment": 5,
        "worker": 3,
        "state": "checking",
        "description": "cache the tokenizer",
        "changed": ["a.py"],
        "intent": "cache it",
    }
    assert describe(checking, now) == (
        "- worker 3, experiment 5: being checked: cache the tokenizer (changed `a.py`); "
        "intends: cache it"
    )


def test_the_prompt_names_the_other_workers_only_in_a_parallel_run() -> None:
    config = parse_text(IMPROVE_MD)
    sequential = render_program(config, experiment=3, best_score=1.0)
    assert "Other workers" not in sequential and "AUTOIMPROVE_INTENT" not in sequential
    others = ({"experiment": 2, "worker": 1, "state": "proposing", "intent": "inline f"},)
    parallel = render_program(config, experiment=3, best_score=1.0, others=others, live_board=True)
    assert "## Other workers" in parallel
    assert "1 other experiment in flight" in parallel
    assert "- worker 1, experiment 2: proposing; intends: inline f" in parallel
    assert "`$AUTOIMPROVE_INTENT`" in parallel and "`$AUTOIMPROVE_BOARD_LOCK`" in parallel
    # A remote node's agent gets the snapshot, not the live board.
    remote = render_program(config, experiment=3, best_score=1.0, others=(), live_board=False)
    assert "No other experiment is in flight right now" in remote
    assert "AUTOIMPROVE_INTENT" not in remote
