"""Reading files someone else wrote, without crashing on them.

The guardrails scan the code in scope and the project's data files, and read the
watcher's event log; any of them may be huge, binary, or cut off mid-line. A file
too large or unreadable reads as absent, a line that is not a JSON object is
skipped: a guardrail judges the code, it does not fail on a stray file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["json_objects", "read_text"]


def read_text(path: Path, max_bytes: int) -> str | None:
    """The file's UTF-8 text; ``None`` when it is larger than ``max_bytes``, missing,
    unreadable or not UTF-8."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def json_objects(lines: Iterable[str]) -> list[dict[str, Any]]:
    """The JSON objects of JSON lines, in order; other lines (torn, blank, arrays) skipped."""
    out: list[dict[str, Any]] = []
    for line in lines:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            out.append(value)
    return out
