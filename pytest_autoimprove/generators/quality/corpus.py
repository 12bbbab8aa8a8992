"""The corpus a retrieval system indexes: the ids it may return, read from its data files.

The watcher notes the data files of the repository that code in scope reads while the
benchmark runs (``{"e": "data"}`` events). The ids the baseline returned are values
of one field of those files (``id``, ``sku``, ``doc_id``...): every value of that field
is an id the system may return, and any other id is invented (a made-up result, a
golden answer that is not in the corpus, an id with a suffix to dodge the duplicate
check). Found only when one field of the files holds every id seen; else nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pytest_autoimprove.runtime.textfiles import json_objects, read_text

__all__ = ["corpus_ids"]

#: Data files larger than this are not read.
MAX_BYTES = 20_000_000


def _rows(path: Path) -> list[Mapping[str, Any]]:
    """The records of a JSON lines, JSON or CSV/TSV file (objects only)."""
    text = read_text(path, MAX_BYTES)
    if text is None:
        return []
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        delimiter = "\t" if suffix == ".tsv" else ","
        return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    if suffix == ".json":
        try:
            value = json.loads(text)
        except ValueError:
            return []
        if isinstance(value, dict):
            value = next((v for v in value.values() if isinstance(v, list)), [])
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
    return [*json_objects(text.splitlines())]


def _fields(rows: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                out.setdefault(str(key), set()).add(str(value))
    return out


def corpus_ids(root: Path, events: Iterable[Mapping[str, Any]], seen: set[str]) -> set[str] | None:
    """Every id of the field that holds all of ``seen`` in the data files read, or ``None``."""
    if not seen:
        return None
    files = sorted({str(e["path"]) for e in events if e.get("e") == "data" and e.get("path")})
    found: set[str] = set()
    for rel in files:
        fields = _fields(_rows(root / rel))
        # the field holding most of the ids seen, and the fewest other values
        best = max(
            fields.items(),
            key=lambda item: (len(item[1] & seen), -len(item[1])),
            default=None,
        )
        if best is not None and best[1] & seen:
            found |= best[1]
    return found if seen <= found else None
