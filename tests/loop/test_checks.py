"""The benchmark sees only the visible golden split, even through a fixed path."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_autoimprove.loop.checks import visible_split_in_place


def test_the_golden_file_holds_the_visible_split_while_the_benchmark_runs(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    golden = tmp_path / "data" / "golden.jsonl"
    golden.write_text("visible\nholdout\n")
    split = tmp_path / "tests" / "autoimprove_guard" / "golden"
    split.mkdir(parents=True)
    (split / "visible.jsonl").write_text("visible\n")
    scored = "tests/autoimprove_guard/golden/visible.jsonl"
    with visible_split_in_place(tmp_path, "data/golden.jsonl", scored):
        assert golden.read_text() == "visible\n"
    assert golden.read_text() == "visible\nholdout\n"
    with (
        pytest.raises(KeyboardInterrupt),
        visible_split_in_place(tmp_path, "data/golden.jsonl", scored),
    ):
        raise KeyboardInterrupt
    assert golden.read_text() == "visible\nholdout\n"


@pytest.mark.parametrize("scored", [None, "data/golden.jsonl", "missing/visible.jsonl"])
def test_nothing_moves_without_a_split(tmp_path: Path, scored: str | None) -> None:
    (tmp_path / "data").mkdir()
    golden = tmp_path / "data" / "golden.jsonl"
    golden.write_text("all\n")
    with visible_split_in_place(tmp_path, "data/golden.jsonl", scored):
        assert golden.read_text() == "all\n"
    assert golden.read_text() == "all\n"
