"""Scores and ``guard:`` metrics, read out of what a benchmark prints (a leaf module).

:func:`extract_score` reads the ``score:`` regex (last match wins) or a
``SCORE: <number>`` line; :func:`check_guard` checks one ``guard:`` metric.
Whether a score is a real improvement is :mod:`pytest_autoimprove.loop.keep`'s job;
running the benchmark is :mod:`pytest_autoimprove.process`'s.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

__all__ = [
    "SCORE_LINE",
    "GuardSpec",
    "check_guard",
    "extract_score",
    "fixture_score",
    "guard_name",
    "metric_name",
    "score_unit",
]

#: The score line read when improve.md has no ``score:`` regex (what follows the
#: number, such as a unit, is ignored: ``SCORE: 12.5 ms``).
SCORE_LINE = re.compile(r"^[ \t]*SCORE[ \t]*:[ \t]*(\S+)", re.MULTILINE)


def extract_score(output: str, pattern: re.Pattern[str] | None) -> float | None:
    """The score printed in ``output``, or ``None`` when there is none.

    With ``pattern`` (improve.md's ``score:``, exactly one group) the **last**
    match decides; without it, the last ``SCORE: <number>`` line does. The
    decisive value must be a finite number (``1.5``, ``-3``, ``2e-3``, ``+.5``):
    ``nan``, ``inf`` or text give ``None`` rather than an earlier, stale value.

    :raises ValueError: when ``pattern`` does not have exactly one group (the
        config module reports that to the user with the line of improve.md).
    """
    regex = SCORE_LINE if pattern is None else pattern
    if regex.groups != 1:
        raise ValueError(
            f"score pattern {regex.pattern!r} must have exactly one group, has {regex.groups}"
        )
    last: re.Match[str] | None = None
    for last in regex.finditer(output):  # noqa: B007 - only the last match matters
        pass
    if last is None:
        return None
    return _number(last.group(1))


#: What may follow the score on its line as its unit (``ms``, ``MiB``, ``%``, ``ops/s``):
#: a short word ending the line or followed by punctuation, never ``name=`` of another metric.
_UNIT = re.compile(r"[ \t]*([A-Za-z\u00b5%][\w%/\u00b5]{0,9})(?=[ \t]*(?:$|[,;)\]]))", re.MULTILINE)
_KIND_METRICS = {"speed": "time", "memory": "memory", "size": "size"}


def score_unit(output: str, pattern: re.Pattern[str] | None) -> str | None:
    """The unit printed right after the decisive score (``SCORE: 12.3 ms``: ``ms``)."""
    regex = SCORE_LINE if pattern is None else pattern
    if regex.groups != 1:
        return None
    last: re.Match[str] | None = None
    for last in regex.finditer(output):  # noqa: B007 - only the last match matters
        pass
    if last is None:
        return None
    found = _UNIT.match(output, last.end(1))
    return found.group(1) if found else None


def metric_name(pattern: re.Pattern[str] | None, kind: str) -> str:
    r"""What the score measures, for labels: the word before the ``score:`` regex's
    group (``mrr=([\d.]+)``: ``mrr``), else what the goal's kind measures."""
    if pattern is not None:
        found = re.match(r"[A-Za-z_][\w.\-]*", pattern.pattern)
        if found and found.group(0).lower() != "score":
            return found.group(0)
    return _KIND_METRICS.get(kind, "score")


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def fixture_score(path: Path) -> float | None:
    """The last value the ``autoimprove_score`` fixture reported."""
    if not path.is_file():
        return None
    value: float | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            value = float(json.loads(line)["value"])
        except (ValueError, KeyError, TypeError, json.JSONDecodeError):
            continue
    return value


class GuardSpec(Protocol):
    """What :func:`check_guard` needs of a ``guard:`` line (the config's ``GuardMetric``)."""

    @property
    def pattern(self) -> re.Pattern[str]: ...
    @property
    def op(self) -> str: ...
    @property
    def bound(self) -> float: ...
    @property
    def relative(self) -> bool: ...
    @property
    def text(self) -> str: ...


#: operator -> (test, the operator that describes a failure)
_OPS: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "<": (operator.lt, ">="),
    "<=": (operator.le, ">"),
    ">": (operator.gt, "<="),
    ">=": (operator.ge, "<"),
    "==": (operator.eq, "!="),
    "!=": (operator.ne, "=="),
}


def check_guard(metric: GuardSpec, *, baseline: float | None, value: float | None) -> str | None:
    """``None`` when the guard holds, else one line saying why it does not.

    :param metric: the parsed ``guard:`` line.
    :param baseline: the metric's value on the baseline (needed when relative).
    :param value: the metric's value on the candidate (``extract_score(output,
        metric.pattern)``); ``None`` means it was not printed, which fails.

    A failure reads ``p95_ms 12.4 > 11.0 (baseline 10.0 * 1.1)``.
    """
    if metric.op not in _OPS:
        raise ValueError(f"unknown guard operator {metric.op!r} in {metric.text!r}")
    name = guard_name(metric)
    if value is None:
        return f"{name}: no value in the output (pattern '{metric.pattern.pattern}')"
    if metric.relative:
        if baseline is None:
            return f"{name}: the baseline printed no value to compare {_fmt(value)} with"
        bound = baseline * metric.bound
        where = f" (baseline {_fmt(baseline)} * {_fmt(metric.bound)})"
    else:
        bound = metric.bound
        where = ""
    holds, negation = _OPS[metric.op]
    if holds(value, bound):
        return None
    return f"{name} {_fmt(value)} {negation} {_fmt(bound)}{where}"


def guard_name(metric: GuardSpec) -> str:
    """A short name for a guard's metric: the literal text before its group.

    ``p95_ms=([\\d.]+)`` gives ``p95_ms``; a pattern without a leading word gives
    the guard's whole text (or the pattern, when the text is empty).
    """
    found = re.match(r"[A-Za-z_][\w.\-]*", metric.pattern.pattern)
    return found.group(0) if found else (metric.text or metric.pattern.pattern)


def _fmt(x: float) -> str:
    """Short and unsurprising: ``11.0`` not ``11.000000000000002``, ``12.4``, ``1e-05``."""
    text = f"{x:.6g}"
    if text.lstrip("-").isdigit():
        text += ".0"
    return text
