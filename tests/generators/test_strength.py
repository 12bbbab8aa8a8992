"""The strength report: its JSON shape, the terminal table, STRENGTH.md, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_autoimprove.generators.strength import (
    REPORT_JSON,
    TargetStrength,
    markdown,
    read_report,
    report_json,
    summary,
    table,
)

ROWS = [
    TargetStrength("pkg.q.Parser.parse", 19, 6, 6),
    TargetStrength(
        "pkg.q.search",
        21,
        2,
        3,
        ("line 14: drop a None or empty check: `if data is None:` (possibly equivalent)",),
    ),
    TargetStrength("pkg.q.Lexer", 2, 0, 0, (), "not mutated: no mutation operator applies"),
    TargetStrength("pkg.q.connect", 0, 0, 0, (), "no constructor call built an instance"),
]


def test_json_has_exactly_the_shape_benchmarks_read(tmp_path: Path) -> None:
    data = json.loads(report_json(ROWS))
    assert list(data) == ["targets"]
    assert data["targets"][1] == {
        "target": "pkg.q.search",
        "tests": 21,
        "killed": 2,
        "total": 3,
        "survivors": [ROWS[1].survivors[0]],
        "reason": "",
    }
    (tmp_path / REPORT_JSON).write_text(report_json(ROWS), encoding="utf-8")
    assert read_report(tmp_path) == ROWS


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@given(
    st.lists(
        st.builds(
            TargetStrength,
            names,
            st.integers(0, 500),
            st.integers(0, 50),
            st.integers(0, 50),
            st.lists(names, max_size=3).map(tuple),
            names,
        ),
        max_size=5,
    )
)
def test_json_round_trips(rows: list[TargetStrength]) -> None:
    data = json.loads(report_json(rows))
    assert [TargetStrength.from_json(row) for row in data["targets"]] == rows


def test_table_lists_every_target_and_why_one_has_no_tests() -> None:
    text = table(ROWS)
    lines = text.splitlines()
    assert "tests" in lines[0] and "mutants killed" in lines[0]
    assert any(line.split() == ["pkg.q.Parser.parse", "19", "6/6"] for line in lines)
    assert any(line.split() == ["pkg.q.connect", "0", "-"] for line in lines)
    assert "pkg.q.connect: no tests: no constructor call built an instance" in text
    assert "pkg.q.Lexer: not mutated: no mutation operator applies" in text
    assert lines[-1].strip() == summary(ROWS)
    assert summary(ROWS) == (
        "4 target(s), 42 tests, 8/9 mutants killed (89%), 1 target(s) without tests"
    )


def test_a_long_table_is_cut_in_the_terminal_only() -> None:
    rows = [TargetStrength(f"pkg.m.f{i}", 1, 1, 1) for i in range(50)]
    text = table(rows, limit=10)
    assert "pkg.m.f9 " in text and "pkg.m.f10 " not in text
    assert "... 40 more in STRENGTH.md" in text
    assert "`pkg.m.f49`" in markdown(rows)


def test_markdown_lists_the_survivors() -> None:
    text = markdown(ROWS)
    assert "| `pkg.q.search` | 21 | 2/3 |  |" in text
    assert "## Surviving mutants" in text
    assert "  - line 14: drop a None or empty check" in text


def test_no_report_and_a_broken_one(tmp_path: Path) -> None:
    assert read_report(tmp_path) is None
    (tmp_path / REPORT_JSON).write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a strength report.*autoimprove-guard generate"):
        read_report(tmp_path)
