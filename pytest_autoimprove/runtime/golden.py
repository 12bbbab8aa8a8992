"""Golden sets: reading and writing them in the formats people use.

A quality goal is scored on a golden set (``golden:`` in improve.md). An agent that
sees its score on every query of that set learns the set, not the task; so
``generate`` splits it once, seeded and stratified by label where records carry one,
into the *visible* part the loop scores and a *holdout* only the guard scores.

Formats: JSON lines (``.jsonl``, ``.ndjson``, the default), a JSON list (``.json``,
also ``{"data": [...]}`` and similar wrappers) and CSV/TSV with a header row. Each
split is written in the format of the original (JSON lines byte for byte), so the
user's eval harness reads it unchanged. Which field is the query and which the
expected answer is guessed from common names (``query``/``question``/``text``...,
``relevant``/``label``/``expected``...); only the leakage scan needs them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pytest_autoimprove.errors import UsageError

__all__ = [
    "HOLDOUT_FRACTION",
    "ID_LIST_KEYS",
    "MIN_RECORDS_FOR_HOLDOUT",
    "SEED",
    "GoldenRecord",
    "GoldenSet",
    "normalize_query",
    "read_golden",
    "render_records",
]

#: Share of the golden set kept back for the holdout.
HOLDOUT_FRACTION = 0.3
#: Below this many distinct queries no holdout is split off (too few to score both parts).
MIN_RECORDS_FOR_HOLDOUT = 4
#: The split's seed: the same golden set always gives the same split.
SEED = "pytest-autoimprove holdout v1"

QUERY_KEYS = (
    "query",
    "question",
    "q",
    "text",
    "input",
    "prompt",
    "search",
    "term",
    "sentence",
    "utterance",
    "document",
    "title",
)
LIST_ANSWER_KEYS = (
    "relevant",
    "relevant_ids",
    "relevant_docs",
    "ids",
    "doc_ids",
    "docs",
    "answers",
    "expected",
    "positives",
    "gold",
    "targets",
    "labels",
)
#: Answer fields that hold ids even as one string (CSV cells), split on ``;``, ``|`` or spaces.
ID_LIST_KEYS = ("relevant", "relevant_ids", "relevant_docs", "ids", "doc_ids", "docs", "positives")
_ID_SEPARATORS = re.compile(r"[;|\s]+")
LABEL_KEYS = (
    "label",
    "class",
    "category",
    "intent",
    "expected",
    "answer",
    "target",
    "y",
    "gold",
    "output",
)
_WRAPPERS = ("data", "examples", "items", "queries", "records", "golden", "rows")


@dataclass(frozen=True)
class GoldenRecord:
    """One entry: its raw form (to write back), the query and the expected answers.

    :param raw: the JSON line, the JSON value or the CSV row, as read.
    :param query: the input text, or ``None`` when no field looks like one.
    :param answers: expected ids or labels, as strings.
    :param label: a scalar class label (for stratification), when the record has one.
    :param answer_ids: whether ``answers`` are retrieval ids (a list field) rather than labels.
    """

    raw: object
    query: str | None
    answers: tuple[str, ...]
    label: str | None
    answer_ids: bool


@dataclass(frozen=True)
class GoldenSet:
    """A parsed golden file; ``fmt`` is ``jsonl``, ``json``, ``json-map`` or ``csv``.

    ``json-map`` is an object mapping each query to its answers
    (``{"how to bake": ["d1"]}``); ``envelope`` holds the other keys of an object
    wrapping the records (``{"version": 2, "data": [...]}``), written back around each split.
    """

    path: Path
    fmt: str
    records: tuple[GoldenRecord, ...]
    wrapper: str | None = None
    fieldnames: tuple[str, ...] = ()
    delimiter: str = ","
    envelope: tuple[tuple[str, object], ...] = ()

    @property
    def queries(self) -> list[str]:
        return [r.query for r in self.records if r.query]


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    return "jsonl"


def read_golden(path: Path) -> GoldenSet:
    """Parse the golden file at ``path``; a missing or unreadable one is a :class:`UsageError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            f"{path}: cannot read the golden set ({exc.strerror or exc}); "
            "fix `golden:` in improve.md"
        ) from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: the golden set is not UTF-8 text; save it as UTF-8") from None
    fmt = _format_of(path)
    if fmt == "json":
        return _read_json(path, text)
    if fmt == "csv":
        return _read_csv(path, text)
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            raise UsageError(
                f"{path}:{number}: not a JSON line; write one JSON object per line, "
                'e.g. {"query": "...", "relevant": ["id"]}'
            ) from None
        records.append(_record(line, value))
    return GoldenSet(path, "jsonl", _guess_labels(records))


def _read_json(path: Path, text: str) -> GoldenSet:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{path}: invalid JSON ({exc}); fix the file") from None
    wrapper = None
    envelope: tuple[tuple[str, object], ...] = ()
    if isinstance(value, dict):
        wrapper = next((k for k in _WRAPPERS if isinstance(value.get(k), list)), None)
        if wrapper is None and value and all(_is_answer(v) for v in value.values()):
            records = tuple(
                GoldenRecord((k, v), str(k), tuple(str(i) for i in v), None, True)
                if isinstance(v, list)
                else GoldenRecord((k, v), str(k), (str(v),), str(v), False)
                for k, v in value.items()
            )
            return GoldenSet(path, "json-map", records)
        if wrapper is None:
            raise UsageError(
                f'{path}: expected a JSON list of records (or {{"data": [...]}}, or '
                '{"query": ["answer", ...]}); write the golden set as a list or as JSON lines'
            )
        envelope = tuple((str(k), v) for k, v in value.items())
        value = value[wrapper]
    if not isinstance(value, list):
        raise UsageError(f"{path}: expected a JSON list of records; write one")
    records = _guess_labels([_record(v, v) for v in value])
    return GoldenSet(path, "json", records, wrapper=wrapper, envelope=envelope)


def _is_answer(value: object) -> bool:
    """A value of a query -> answers map: a label, or a list of ids."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return True
    return isinstance(value, list) and all(
        isinstance(v, (str, int)) and not isinstance(v, bool) for v in value
    )


def _read_csv(path: Path, text: str) -> GoldenSet:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    fields = tuple(reader.fieldnames or ())
    return GoldenSet(
        path,
        "csv",
        _guess_labels([_record(row, dict(row)) for row in rows]),
        fieldnames=fields,
        delimiter=delimiter,
    )


def _guess_labels(records: list[GoldenRecord]) -> tuple[GoldenRecord, ...]:
    """Labels under a field name no rule knows (``{"msg": ..., "team": "billing"}``).

    When no record has an answer, a field other than the query holding a string in
    every record, with few distinct values (a class, not free text), is the label.
    """
    if not records or any(r.answers for r in records):
        return tuple(records)
    rows: list[dict[str, object]] = []
    for record in records:
        row = record.raw if isinstance(record.raw, dict) else _json_object(record.raw)
        if row is None:
            return tuple(records)
        rows.append(row)
    fields = [
        key
        for key in rows[0]
        if all(isinstance(row.get(key), str) for row in rows)
        and all(row.get(key) != r.query for row, r in zip(rows, records, strict=True))
    ]
    for key in fields:
        values = [str(row[key]) for row in rows]
        if len(set(values)) <= max(2, len(values) // 2):
            return tuple(
                GoldenRecord(r.raw, r.query, (v,), v, False)
                for r, v in zip(records, values, strict=True)
            )
    return tuple(records)


def _json_object(raw: object) -> dict[str, object] | None:
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None
    return None


def _record(raw: object, value: object) -> GoldenRecord:
    if isinstance(value, str):
        return GoldenRecord(raw, value, (), None, False)
    if isinstance(value, list) and value and isinstance(value[0], str):
        # [query, answer, ...] rows
        rest = tuple(str(v) for v in value[1:] if isinstance(v, (str, int)))
        return GoldenRecord(raw, value[0], rest, rest[0] if len(rest) == 1 else None, False)
    if not isinstance(value, dict):
        return GoldenRecord(raw, None, (), None, False)
    lowered = {str(k).lower(): v for k, v in value.items()}
    query = next(
        (lowered[k] for k in QUERY_KEYS if isinstance(lowered.get(k), str)),
        None,
    )
    if query is None:
        query = next((v for v in value.values() if isinstance(v, str)), None)
    answers: tuple[str, ...] = ()
    answer_ids = False
    for key in LIST_ANSWER_KEYS:
        field_value = lowered.get(key)
        if isinstance(field_value, list):
            answers = tuple(_flat_ids(field_value))
            answer_ids = True
            break
        if isinstance(field_value, str) and key in ID_LIST_KEYS and field_value.strip():
            # a CSV cell "doc-1;doc-7" (or "doc-1|doc-7", "doc-1 doc-7")
            answers = tuple(i for i in _ID_SEPARATORS.split(field_value.strip()) if i)
            answer_ids = True
            break
    label = None
    for key in LABEL_KEYS:
        field_value = lowered.get(key)
        if isinstance(field_value, (str, int, bool)) and not isinstance(field_value, float):
            label = str(field_value)
            if not answers:
                answers = (label,)
            break
    return GoldenRecord(raw, query, answers, label, answer_ids)


def _flat_ids(values: Sequence[object]) -> list[str]:
    out: list[str] = []
    for value in values:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            out.append(str(value))
        elif isinstance(value, dict):
            # [{"id": "doc-3", "grade": 2}, ...]
            for key in ("id", "doc_id", "docid", "pid", "key"):
                if isinstance(value.get(key), (str, int)):
                    out.append(str(value[key]))
                    break
    return out


_SPACE = re.compile(r"\s+")


def normalize_query(text: str) -> str:
    """Case-folded, whitespace-collapsed text: how queries are compared."""
    return _SPACE.sub(" ", text).strip().casefold()


def render_records(golden: GoldenSet, records: Sequence[GoldenRecord]) -> str:
    """File text holding ``records`` in the format of ``golden``."""
    if golden.fmt == "jsonl":
        return "".join(f"{r.raw}\n" for r in records)
    if golden.fmt == "json-map":
        mapping: dict[str, object] = {}
        for record in records:
            pair = record.raw  # (query, answers)
            assert isinstance(pair, tuple)
            mapping[str(pair[0])] = pair[1]
        return json.dumps(mapping, indent=2, ensure_ascii=False) + "\n"
    if golden.fmt == "json":
        values = [r.raw for r in records]
        data: object = values
        if golden.wrapper:
            # the other keys of the object, in their place, around the split's records
            data = {k: (values if k == golden.wrapper else v) for k, v in golden.envelope}
            data = data or {golden.wrapper: values}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(golden.fieldnames), delimiter=golden.delimiter, lineterminator="\n"
    )
    writer.writeheader()
    for record in records:
        writer.writerow(record.raw)  # type: ignore[arg-type]
    return out.getvalue()
