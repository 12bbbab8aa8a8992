"""The values improve.md's fields hold: durations, percentages, guard expressions, regexes.

Pure parsers from text to typed values, each raising ``ValueError`` whose message
reads ``problem; fix``; the file parser (:mod:`pytest_autoimprove.config`) adds the
file name and line. Kept apart so the CLI's argument types and the file share them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MinDelta:
    """The smallest change that counts: a fraction of the baseline (``0.5%``) or absolute."""

    value: float = 0.0
    relative: bool = True

    def threshold(self, baseline: float) -> float:
        """The absolute change needed from ``baseline``."""
        return abs(baseline) * self.value if self.relative else self.value

    def __str__(self) -> str:
        return f"{_number(self.value * 100)}%" if self.relative else _number(self.value)


@dataclass(frozen=True)
class GuardMetric:
    """A secondary metric that must hold for a keep: ``p95_ms=([\\d.]+) <= baseline * 1.10``."""

    pattern: re.Pattern[str]
    op: str
    bound: float
    relative: bool
    text: str = field(compare=False, default="")

    def limit(self, baseline: float | None) -> float | None:
        """The bound in absolute terms (``None`` when relative and no baseline is known)."""
        if not self.relative:
            return self.bound
        return None if baseline is None else baseline * self.bound

    def __str__(self) -> str:
        bound = f"baseline * {_number(self.bound)}" if self.relative else _number(self.bound)
        return f"{self.pattern.pattern} {self.op} {bound}"


# ---------------------------------------------------------------------------
# Scalar parsers: pure functions raising ValueError with the fix in the message.


_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)(d|h|ms|m|s))")
_DURATION_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_duration(text: str) -> float:
    """``90s``, ``3m``, ``4h``, ``1h30m``, ``500ms`` or bare seconds -> seconds (> 0)."""
    value = text.strip().lower().replace(" ", "")
    if not value:
        raise ValueError("empty duration; write it like 90s, 3m, 4h or 1h30m")
    if value.startswith("-"):
        raise ValueError(f"negative duration '{text.strip()}'; use a positive one like 3m")
    try:
        seconds = float(value)
    except ValueError:
        if _DURATION.sub("", value):
            raise ValueError(
                f"cannot read duration '{text.strip()}'; write it like 90s, 3m, 4h or 1h30m"
            ) from None
        seconds = sum(
            float(amount) * _DURATION_SECONDS[unit] for amount, unit in _DURATION.findall(value)
        )
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"duration '{text.strip()}' is not positive; use one like 90s or 3m")
    return seconds


def format_duration(seconds: float) -> str:
    """The inverse of :func:`parse_duration` for whole seconds (``5400`` -> ``1h30m``)."""
    if seconds != int(seconds):
        return f"{_number(seconds)}s"
    rest = int(seconds)
    out = ""
    for unit, size in (("h", 3600), ("m", 60), ("s", 1)):
        amount, rest = divmod(rest, size)
        if amount:
            out += f"{amount}{unit}"
    return out or "0s"


def parse_min_delta(text: str) -> MinDelta:
    """``0.5%`` (of the baseline) or an absolute number like ``0.01``."""
    value = text.strip()
    relative = value.endswith("%")
    number = _float(value[:-1] if relative else value, "min_delta", "like 0.5% or 0.01")
    if number < 0:
        raise ValueError(f"min_delta '{value}' is negative; use a size like 0.5% or 0.01")
    return MinDelta(number / 100 if relative else number, relative)


_GUARD = re.compile(
    r"^(?P<regex>.+?)\s+(?P<op><=|>=|==|!=|<|>)\s+"
    r"(?:(?P<base>baseline)\s*(?:\*\s*(?P<factor>\S+))?|(?P<number>\S+))\s*$"
)


def parse_guard(text: str) -> GuardMetric:
    """``REGEX OP BOUND`` with BOUND a number, ``baseline`` or ``baseline * F``."""
    match = _GUARD.match(text.strip())
    if not match:
        raise ValueError(
            f"cannot read guard '{text.strip()}'; write `REGEX OP BOUND`, "
            "e.g. `p95_ms=([\\d.]+) <= baseline * 1.10`"
        )
    pattern = parse_regex(match["regex"], "guard")
    if match["base"]:
        factor = match["factor"]
        bound = 1.0 if factor is None else _float(factor, "guard factor", "like 1.10")
        relative = True
    else:
        bound = _float(match["number"], "guard bound", "a number or `baseline * F`")
        relative = False
    return GuardMetric(pattern, match["op"], bound, relative, text.strip())


def parse_regex(text: str, what: str = "score") -> re.Pattern[str]:
    """A regex with exactly one capturing group (the number)."""
    try:
        pattern = re.compile(text.strip())
    except re.error as exc:
        raise ValueError(
            f"{what} regex '{text.strip()}' is invalid ({exc}); fix the regex, e.g. `mrr=([\\d.]+)`"
        ) from None
    if pattern.groups != 1:
        raise ValueError(
            f"{what} regex '{text.strip()}' has {pattern.groups} groups, it needs exactly one; "
            "wrap the number in one group and make others non-capturing `(?:...)`, "
            "e.g. `mrr=([\\d.]+)`"
        )
    return pattern


def parse_max_table(text: str) -> float:
    """``20%`` (of the golden rows), ``8`` (entries) or ``off`` (0: no table check)."""
    value = text.strip().lower()
    if value in ("off", "none", "no", "false"):
        return 0.0
    if value.endswith("%"):
        number = _float(value[:-1], "max_table", "like 20% or 8")
        if not 0 < number < 100:
            raise ValueError(f"max_table {value!r} must be between 0% and 100%; write one like 20%")
        return number / 100
    number = _float(value, "max_table", "like 20% or 8")
    if number < 1 or number != int(number):
        raise ValueError(
            f"max_table {value!r} is not a count of entries; write a whole number like 8, "
            "a share like 20%, or off"
        )
    return number


def format_max_table(value: float) -> str:
    """The inverse of :func:`parse_max_table`."""
    if value == 0:
        return "off"
    return _number(value) if value >= 1 else f"{_number(value * 100)}%"


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_sealed_holdout(text: str) -> str:
    """``env:NAME`` (a variable holding the file's path) or a path outside the repository."""
    value = text.strip()
    if not value:
        raise ValueError(
            "the value is empty; write `env:AUTOIMPROVE_HOLDOUT` or the path of a file "
            "outside the repository"
        )
    if value.lower().startswith("env:"):
        name = value[4:].strip()
        if not _ENV_NAME.match(name):
            raise ValueError(
                f"holdout {value!r} does not name an environment variable; write one like "
                "env:AUTOIMPROVE_HOLDOUT"
            )
        return f"env:{name}"
    if not (value.startswith(("/", "~")) or re.match(r"^[A-Za-z]:[\\/]", value)):
        raise ValueError(
            f"holdout {value!r} is a relative path: a sealed holdout lives outside the "
            "repository (an agent reads anything in it, through git too); give an absolute "
            "path or env:NAME"
        )
    return value


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    raise ValueError(f"'{text.strip()}' is not a boolean; write true or false")


def parse_positive_int(text: str) -> int:
    value = text.strip()
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a whole number; write one like 5") from None
    if number <= 0:
        raise ValueError(f"'{value}' must be at least 1")
    return number


def parse_list(text: str) -> tuple[str, ...]:
    """Comma-separated entries, stripped, empty ones dropped."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _float(text: str, what: str, example: str) -> float:
    try:
        number = float(text.strip())
    except ValueError:
        raise ValueError(f"{what} '{text.strip()}' is not a number; write one {example}") from None
    if not math.isfinite(number):
        raise ValueError(f"{what} '{text.strip()}' is not finite; write a number {example}")
    return number


def _number(value: float) -> str:
    return repr(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


# ---------------------------------------------------------------------------
