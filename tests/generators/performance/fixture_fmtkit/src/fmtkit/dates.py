"""ISO dates."""

from __future__ import annotations

import re

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(text: str) -> tuple[int, int, int]:
    match = ISO_DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"not an ISO date: {text!r}")
    return int(match[1]), int(match[2]), int(match[3])
