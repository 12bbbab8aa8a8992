"""Scores and guard metrics read out of a benchmark's output (:mod:`pytest_autoimprove.score`)."""

from __future__ import annotations

import re

import pytest

from pytest_autoimprove.config import GuardMetric
from pytest_autoimprove.score import check_guard, extract_score

# --- scores -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("output", "pattern", "expected"),
    [
        pytest.param("mrr=0.1\nmrr=0.25\n", r"mrr=([\d.]+)", 0.25, id="last-match-wins"),
        pytest.param("mrr=0.3 and mrr=0.4", r"mrr=([\d.]+)", 0.4, id="last-on-one-line"),
        pytest.param("nothing here", r"mrr=([\d.]+)", None, id="no-match"),
        pytest.param("score=nan", r"score=(\S+)", None, id="nan"),
        pytest.param("score=inf", r"score=(\S+)", None, id="inf"),
        pytest.param("score=-Infinity", r"score=(\S+)", None, id="minus-infinity"),
        pytest.param("score=1.0\nscore=nan", r"score=(\S+)", None, id="last-is-nan-not-stale"),
        pytest.param("score=n/a", r"score=(\S+)", None, id="not-a-number"),
        pytest.param("score=", r"score=(\d+)?", None, id="group-did-not-take-part"),
        pytest.param("t = 1.5e-3 s", r"t = (\S+) s", 0.0015, id="scientific"),
        pytest.param("SCORE: 1.5\n", None, 1.5, id="score-line"),
        pytest.param("SCORE: 1\nlog\nSCORE: 2\n", None, 2.0, id="last-score-line"),
        pytest.param("   SCORE  :   -2.5E+2   \n", None, -250.0, id="whitespace-sign-exp"),
        pytest.param("SCORE:+.5", None, 0.5, id="plus-and-no-leading-digit"),
        pytest.param("SCORE: 12.5 ms", None, 12.5, id="trailing-unit"),
        pytest.param("SCORE: 3\r\n", None, 3.0, id="crlf"),
        pytest.param("SCORE: nan", None, None, id="score-nan"),
        pytest.param("SCORE: inf", None, None, id="score-inf"),
        pytest.param("MY SCORE: 3", None, None, id="not-at-line-start"),
        pytest.param("score: 3", None, None, id="case-matters"),
        pytest.param("", None, None, id="empty"),
    ],
)
def test_extract_score(output: str, pattern: str | None, expected: float | None) -> None:
    regex = re.compile(pattern) if pattern is not None else None
    assert extract_score(output, regex) == expected


@pytest.mark.parametrize("pattern", [r"mrr=[\d.]+", r"(mrr)=([\d.]+)"])
def test_extract_score_needs_exactly_one_group(pattern: str) -> None:
    with pytest.raises(ValueError, match="exactly one group"):
        extract_score("mrr=0.5", re.compile(pattern))


# --- guards -----------------------------------------------------------------------------


def _guard(op: str, bound: float, *, relative: bool = False) -> GuardMetric:
    rhs = f"baseline * {bound}" if relative else str(bound)
    return GuardMetric(re.compile(r"p95_ms=([\d.]+)"), op, bound, relative, f"p95_ms {op} {rhs}")


@pytest.mark.parametrize(
    ("op", "value", "holds"),
    [
        ("<", 9.0, True),
        ("<", 10.0, False),
        ("<=", 10.0, True),
        ("<=", 10.5, False),
        (">", 10.5, True),
        (">", 10.0, False),
        (">=", 10.0, True),
        (">=", 9.5, False),
        ("==", 10.0, True),
        ("==", 10.1, False),
        ("!=", 10.1, True),
        ("!=", 10.0, False),
    ],
)
def test_check_guard_operators(op: str, value: float, holds: bool) -> None:
    reason = check_guard(_guard(op, 10.0), baseline=None, value=value)
    assert (reason is None) == holds


def test_check_guard_absolute_reason() -> None:
    assert check_guard(_guard("<=", 10.0), baseline=None, value=12.0) == "p95_ms 12.0 > 10.0"


def test_check_guard_relative_reason() -> None:
    metric = _guard("<=", 1.10, relative=True)
    assert check_guard(metric, baseline=10.0, value=10.9) is None
    assert check_guard(metric, baseline=10.0, value=12.4) == (
        "p95_ms 12.4 > 11.0 (baseline 10.0 * 1.1)"
    )


def test_check_guard_missing_value_fails() -> None:
    reason = check_guard(_guard("<=", 10.0), baseline=None, value=None)
    assert reason is not None
    assert reason.startswith("p95_ms: no value in the output")


def test_check_guard_relative_without_baseline_fails() -> None:
    reason = check_guard(_guard("<=", 1.1, relative=True), baseline=None, value=5.0)
    assert reason is not None
    assert "baseline printed no value" in reason


def test_check_guard_unknown_operator() -> None:
    with pytest.raises(ValueError, match="unknown guard operator '=<'"):
        check_guard(_guard("=<", 1.0), baseline=None, value=1.0)


def test_guard_name_falls_back_to_the_text() -> None:
    metric = GuardMetric(re.compile(r"(\d+) ms p95"), "<", 5.0, False, "(\\d+) ms p95 < 5")
    assert check_guard(metric, baseline=None, value=7.0) == "(\\d+) ms p95 < 5 7.0 >= 5.0"


def test_guard_value_is_read_with_extract_score() -> None:
    metric = _guard(">=", 0.9, relative=True)
    output = "p95_ms=10\nmrr=0.3\np95_ms=9.5\n"
    value = extract_score(output, metric.pattern)
    assert value == 9.5
    assert check_guard(metric, baseline=10.0, value=value) is None
