"""Golden sets: formats, the seeded stratified holdout split, and bad files."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.generators.quality.split import split_golden
from pytest_autoimprove.runtime.golden import (
    MIN_RECORDS_FOR_HOLDOUT,
    read_golden,
    render_records,
)


def _jsonl(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_fields_are_guessed(tmp_path: Path) -> None:
    golden = read_golden(
        _jsonl(tmp_path / "g.jsonl", [{"query": "rotate keys", "relevant": ["eng-01", 7]}])
    )
    (record,) = golden.records
    assert record.query == "rotate keys"
    assert record.answers == ("eng-01", "7")
    assert record.answer_ids


def test_classification_labels_are_labels(tmp_path: Path) -> None:
    golden = read_golden(_jsonl(tmp_path / "g.jsonl", [{"text": "great", "label": "pos"}]))
    assert golden.records[0].label == "pos"
    assert not golden.records[0].answer_ids


def test_json_list_and_csv(tmp_path: Path) -> None:
    (tmp_path / "g.json").write_text(
        json.dumps({"data": [{"question": "a b", "answer": "x"}]}), encoding="utf-8"
    )
    golden = read_golden(tmp_path / "g.json")
    assert golden.queries == ["a b"]
    assert json.loads(render_records(golden, golden.records)) == {
        "data": [{"question": "a b", "answer": "x"}]
    }
    (tmp_path / "g.csv").write_text("query,label\nhello world,greet\n", encoding="utf-8")
    csv_set = read_golden(tmp_path / "g.csv")
    assert csv_set.records[0].label == "greet"
    assert render_records(csv_set, csv_set.records) == "query,label\nhello world,greet\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("g.jsonl", "{not json\n", "g.jsonl:1: not a JSON line"),
        ("g.json", "{}", "expected a JSON list"),
        ("g.json", "[1,", "invalid JSON"),
    ],
)
def test_bad_golden_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        read_golden(tmp_path / name)


def test_missing_golden_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the golden set"):
        read_golden(tmp_path / "nope.jsonl")


def test_split_is_seeded_stratified_and_keeps_lines(tmp_path: Path) -> None:
    rows = [{"text": f"text {i}", "label": "a" if i % 3 else "b"} for i in range(30)]
    golden = read_golden(_jsonl(tmp_path / "g.jsonl", rows))
    visible, holdout = split_golden(golden)
    again = split_golden(read_golden(tmp_path / "g.jsonl"))
    assert (visible, holdout) == again
    assert len(holdout) == 9
    assert {r.label for r in holdout} == {"a", "b"}
    original = (tmp_path / "g.jsonl").read_text(encoding="utf-8").splitlines()
    assert render_records(golden, holdout).splitlines() == [
        line for line in original if any(line == r.raw for r in holdout)
    ]


def test_tiny_golden_set_has_no_holdout(tmp_path: Path) -> None:
    rows = [{"query": f"q {i}", "relevant": [str(i)]} for i in range(MIN_RECORDS_FOR_HOLDOUT - 1)]
    visible, holdout = split_golden(read_golden(_jsonl(tmp_path / "g.jsonl", rows)))
    assert holdout == [] and len(visible) == len(rows)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["a b", "c", "d e f", "g", "h", "i j"]), min_size=0, max_size=25))
def test_split_partitions_and_never_splits_a_query(queries: list[str]) -> None:
    from pytest_autoimprove.runtime.golden import GoldenRecord, GoldenSet

    golden = GoldenSet(
        Path("g.jsonl"), "jsonl", tuple(GoldenRecord(q, q, (), None, False) for q in queries)
    )
    visible, holdout = split_golden(golden)
    assert len(visible) + len(holdout) == len(queries)
    assert not {r.query for r in visible} & {r.query for r in holdout}
