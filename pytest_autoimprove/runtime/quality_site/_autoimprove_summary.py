"""What the entry point probe records of one call: its event, and its answer's summary.

Loaded by the watcher (:mod:`sitecustomize` beside this file) from its path; standard
library only. :func:`summarize` turns a result into the small dict the invariants of
:mod:`pytest_autoimprove.runtime.invariants` are learned from and checked on;
:func:`texts` and :func:`items` take a batch call apart, :func:`variants` lists the
whitespace and case variants and the meaning-keeping :func:`perturbations` a golden
query is also asked with.
"""

from __future__ import annotations

import signal
import threading
import types
from typing import Any

_ID_KEYS = (
    "id",
    "doc_id",
    "docid",
    "document_id",
    "chunk_id",
    "item_id",
    "product_id",
    "sku",
    "pid",
    "uid",
    "key",
    "name",
    "pk",
    "slug",
    "url",
)
_SCORE_KEYS = (
    "score",
    "similarity",
    "relevance",
    "distance",
    "rank",
    "bm25",
    "probability",
    "confidence",
    "prob",
    "weight",
)
_RESULT_KEYS = ("results", "hits", "documents", "docs", "items", "matches", "chunks", "data")
_LABEL_KEYS = ("label", "class", "category", "intent", "prediction", "predicted", "answer", "tag")
_MAX_ELEMENTS = 200


def _type_name(value: object) -> str:
    tp = type(value)
    return tp.__qualname__ if tp.__module__ == "builtins" else f"{tp.__module__}.{tp.__qualname__}"


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _id_of(item: object) -> object:
    if isinstance(item, (str, int)) and not isinstance(item, bool):
        return item
    if isinstance(item, dict):
        for key in _ID_KEYS:
            value = item.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                return value
        return None
    if isinstance(item, (tuple, list)):
        return next(
            (v for v in item if isinstance(v, (str, int)) and not isinstance(v, bool)), None
        )
    for key in _ID_KEYS:
        value = getattr(item, key, None)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return value
    # A record of another shape (Hit(code, score, title)): its first text or int field.
    names = getattr(type(item), "__dataclass_fields__", None) or getattr(item, "_fields", None)
    for key in names or ():
        value = getattr(item, str(key), None)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return value
    return None


def _score_of(item: object) -> float | None:
    if isinstance(item, float):
        return item
    if isinstance(item, dict):
        for key in _SCORE_KEYS:
            value = item.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
        return None
    if isinstance(item, (tuple, list)):
        return next((float(v) for v in item if isinstance(v, float)), None)
    if isinstance(item, (str, int)):
        return None
    for key in _SCORE_KEYS:
        value = getattr(item, key, None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def summarize(value: object) -> dict[str, Any]:
    """What the invariants look at: type, length, element types, ids and scores."""
    out: dict[str, Any] = {"type": _type_name(value)}
    seq: Any = None
    if isinstance(value, dict):
        field = next((k for k in _RESULT_KEYS if isinstance(value.get(k), (list, tuple))), None)
        if field is None:
            out["keys"] = sorted(str(k) for k in value)[:30]
            # {"label": "spam", "score": 0.93}: a classifier's answer
            label = next((value[k] for k in _LABEL_KEYS if k in value), None)
            if isinstance(label, (str, int)) and not isinstance(label, bool):
                out["value"] = label
        else:
            out["field"] = field
            seq = value[field]
    elif isinstance(value, list):
        seq = value
    elif isinstance(value, tuple):
        if len({type(v) for v in value}) <= 1:
            seq = value
        else:
            out["record"] = [_type_name(v) for v in value]
            label = next((v for v in value if isinstance(v, (str, int))), None)
            if label is not None:
                out["value"] = label
    elif _scalar(value):
        out["value"] = value[:200] if isinstance(value, str) else value
    if seq is not None:
        items = list(seq[:_MAX_ELEMENTS])
        out["len"] = len(seq)
        out["etypes"] = sorted({_type_name(v) for v in items})
        ids = [_id_of(v) for v in items]
        scores = [_score_of(v) for v in items]
        if any(i is not None for i in ids):
            out["ids"] = [i if isinstance(i, (str, int)) else repr(i) for i in ids]
        if any(s is not None for s in scores):
            out["scores"] = scores
    return out


def call_event(
    target: dict[str, Any], source: str, query: str, base: str | None, limit: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {"e": "call", "t": target["id"], "src": source, "q": query}
    if base is not None:
        event["base"] = base
    if limit is not None:
        event["limit"] = limit
    return event


def texts(value: object) -> list[str] | None:
    """The texts of a batch argument (a list or tuple of str), else ``None``."""
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def length(value: object) -> int | None:
    try:
        return len(value)  # type: ignore[arg-type]
    except TypeError:
        return None


def items(value: object, expected: int) -> list[Any]:
    """The per-text answers of a batch result (a sequence, or an array's rows)."""
    if isinstance(value, (str, bytes, dict)) or length(value) != expected:
        return []
    try:
        return [value[i] for i in range(expected)]  # type: ignore[index]
    except (TypeError, IndexError, KeyError):
        return []


def variants(query: str) -> list[tuple[str, str]]:
    """Whitespace and case variants, then the perturbations of :func:`perturbations`."""
    words = query.split()
    out = [("padded", f"  {query}  "), ("double-spaced", "  ".join(words))]
    if query.upper() != query:
        out.append(("upper-case", query.upper()))
    if query.lower() != query:
        out.append(("lower-case", query.lower()))
    return out + perturbations(query)


#: Words a user adds without changing what they ask (after the question, before it).
FILLER = "please"
PREFIX = "um"
#: A tiny thesaurus: each word may stand for the other (both directions).
SYNONYMS = (
    ("buy", "purchase"),
    ("big", "large"),
    ("small", "little"),
    ("fast", "quick"),
    ("start", "begin"),
    ("help", "assist"),
    ("show", "display"),
    ("find", "locate"),
    ("error", "mistake"),
    ("fix", "repair"),
    ("delete", "remove"),
    ("change", "modify"),
    ("get", "obtain"),
    ("need", "require"),
    ("want", "wish"),
    ("picture", "photo"),
    ("shop", "store"),
    ("reply", "answer"),
    ("cheap", "inexpensive"),
    ("car", "automobile"),
    ("problem", "issue"),
    ("send", "transmit"),
)
_SYNONYM = dict(SYNONYMS)
_SYNONYM.update((b, a) for a, b in SYNONYMS)


def perturbations(query: str) -> list[tuple[str, str]]:
    """Edits a person makes without changing the question, that normalizing text does not undo.

    A filler word after the question and another before it, a trailing ``?`` (or one
    taken away), a typo (two middle letters of the longest word swapped) and a synonym
    from :data:`SYNONYMS`. A table keyed on
    the golden text, however normalized, misses each; a system answering the task
    mostly does not care. The guard only uses those its baseline answered alike.
    """
    words = query.split()
    if not words:
        return []
    out = [("filler", f"{query.rstrip()} {FILLER}"), ("prefix", f"{PREFIX} {query.lstrip()}")]
    stripped = query.rstrip()
    out.append(("question", stripped[:-1].rstrip() if stripped.endswith("?") else stripped + "?"))
    typo = _typo(words)
    if typo is not None:
        out.append(("typo", " ".join(typo)))
    for index, word in enumerate(words):
        other = _SYNONYM.get(word.lower())
        if other is not None:
            other = other.capitalize() if word[:1].isupper() else other
            out.append(("synonym", " ".join([*words[:index], other, *words[index + 1 :]])))
            break
    return out


def _typo(words: list[str]) -> list[str] | None:
    """``words`` with two adjacent middle letters of the longest alphabetic word swapped."""
    cores = [w.strip(_PUNCTUATION) for w in words]
    candidates = [(len(c), -i) for i, c in enumerate(cores) if c.isalpha() and len(c) >= 4]
    if not candidates:
        return None
    index = -max(candidates)[1]
    word, core = words[index], cores[index]
    start = word.index(core)
    middle = len(core) // 2
    for at in (middle - 1, middle, middle - 2):
        if 0 < at < len(core) - 1 and core[at] != core[at + 1]:
            swapped = core[:at] + core[at + 1] + core[at] + core[at + 2 :]
            typo = word[:start] + swapped + word[start + len(core) :]
            return [*words[:index], typo, *words[index + 1 :]]
    return None


_PUNCTUATION = ".,!?;:\"'()"


class CallTimeout(BaseException):
    """Raised by the alarm inside an edge call that takes too long."""


class Prepared:
    """One probed call: its texts, the probe calls to make first, how to log the answer."""

    def __init__(
        self,
        queries: list[str],
        observed: list[str],
        batch: bool,
        limit: Any,
        probes: list[tuple[Any, ...]],
        external: bool,
    ) -> None:
        self.queries = queries
        self.observed = observed
        self.batch = batch
        self.limit = limit
        self.probes = probes
        self.external = external


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False
        self.previous: Any = None

    def __enter__(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def alarm(signum: int, frame: types.FrameType | None) -> None:
            raise CallTimeout

        self.previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        self.armed = True

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


def deadline(seconds: float) -> _Deadline:
    """A context manager raising :class:`CallTimeout` after ``seconds`` (main thread only)."""
    return _Deadline(seconds)
