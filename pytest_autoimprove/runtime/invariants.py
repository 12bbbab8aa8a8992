"""Output invariants learned from the baseline's answers, and their check at test time.

The quality generator learns them from what the system answered on the golden
queries (type, cap, sorted scores, padding, unique ids, ids from the corpus, answered
queries, answers that survive a rephrasing...); frozen guardrail tests check them
against what a candidate answers, through :func:`check_invariant`. Each is kept only
when the baseline kept it on every observation, so an honest system raises no alarm.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_autoimprove.runtime.memorization import answer_key, check_stable, learn_stable

#: Pairs of calls below this many do not establish a variant invariant.
MIN_PAIRS = 2
#: Distinct queries whose result filled the largest length seen before that length counts
#: as a cap (``at-most-n``): a result size the code never exceeds, limit parameter or not.
MIN_CAP_HITS = 3
#: Batch calls needed before "one answer per input" is an invariant.
MIN_BATCHES = 1
#: Largest corpus whose ids are spelled out in a test (``ids-from-corpus``).
MAX_CORPUS_IDS = 2000


@dataclass(frozen=True)
class Invariant:
    """A property every baseline observation of ``target`` had; ``data`` says which exactly."""

    name: str
    target: str
    data: dict[str, Any] = field(default_factory=dict)
    risk: str = "changed-output-shape"

    @property
    def id(self) -> str:
        suffix = self.data.get("variant") or self.data.get("order") or ""
        return f"{self.name}-{suffix}" if suffix else self.name


def _calls(events: Iterable[dict[str, Any]], target: str) -> list[dict[str, Any]]:
    return [e for e in events if e.get("e") == "call" and e.get("t") == target]


def _ok(calls: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in calls if c.get("ok") and isinstance(c.get("summary"), dict)]


def _seqs(calls: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c["summary"] for c in calls if "len" in c["summary"]]


def _order(scores: Sequence[float]) -> str | None:
    """``descending``/``ascending``/``constant`` or ``None`` (unsorted or not all numbers)."""
    if any(not isinstance(s, (int, float)) or math.isnan(s) for s in scores):
        return None
    desc = all(a >= b for a, b in zip(scores, scores[1:], strict=False))
    asc = all(a <= b for a, b in zip(scores, scores[1:], strict=False))
    if desc and asc:
        return "constant"
    return "descending" if desc else "ascending" if asc else None


_key = answer_key


def _empty(summary: Mapping[str, Any]) -> bool:
    """An answer that says nothing: no results, or no label."""
    if "len" in summary:
        return bool(summary["len"] == 0)
    if "value" in summary:
        return summary["value"] is None or summary["value"] == ""
    return bool(summary.get("type") == "NoneType")


def _variant_pairs(calls: list[dict[str, Any]], variant: str) -> list[tuple[Any, Any]]:
    base = {c["q"]: c for c in calls if c.get("src") == "golden"}
    pairs = []
    for c in calls:
        if c.get("src") != f"variant:{variant}" or c.get("base") not in base:
            continue
        golden = base[c["base"]]
        left = _key(golden["summary"]) if golden.get("ok") else ("raises", golden.get("error"))
        right = _key(c["summary"]) if c.get("ok") else ("raises", c.get("error"))
        pairs.append((left, right))
    return pairs


_VARIANTS = ("padded", "double-spaced", "upper-case", "lower-case")


def learn_invariants(
    events: Sequence[dict[str, Any]],
    target: str,
    labels: Sequence[str] = (),
    corpus: Iterable[str] | None = None,
) -> list[Invariant]:
    """Invariants that held on every observation of ``target`` in ``events``.

    :param labels: the golden set's class labels (a classifier's known answers).
    :param corpus: every id the system can return (read from its data files), if known.
    """
    calls = _calls(events, target)
    ok = _ok(calls)
    if not ok:
        return []
    out: list[Invariant] = []
    types = sorted({c["summary"]["type"] for c in ok})
    seqs = _seqs(ok)
    element_types = sorted({t for s in seqs for t in s.get("etypes", [])})
    if len(types) <= 2:
        data: dict[str, Any] = {"types": types}
        if seqs and len(element_types) <= 3:
            data["element_types"] = element_types
        out.append(Invariant("result-type", target, data, "changed-output-shape"))
    with_ids = [s for s in seqs if "ids" in s and None not in s["ids"]]
    if any(len(s["ids"]) >= 2 for s in with_ids) and all(
        len(set(map(repr, s["ids"]))) == len(s["ids"]) for s in with_ids
    ):
        out.append(Invariant("unique-ids", target, {}, "duplicate-results"))
    limited = [c for c in ok if "limit" in c and "len" in c["summary"]]
    if limited and all(c["summary"]["len"] <= c["limit"] for c in limited):
        out.append(Invariant("at-most-limit", target, {}, "ignored-limit"))
    elif not limited and seqs:
        # No limit parameter (a CLI's -n default, a constant): a size never exceeded
        # although many queries filled it is a cap the code keeps on purpose.
        cap = max(s["len"] for s in seqs)
        filled = {c["q"] for c in ok if c["summary"].get("len") == cap}
        if cap > 0 and len(filled) >= MIN_CAP_HITS:
            out.append(Invariant("at-most-n", target, {"n": cap}, "ignored-limit"))
    batches = [e for e in events if e.get("e") == "batch" and e.get("t") == target]
    if len(batches) >= MIN_BATCHES and all(e.get("n_in") == e.get("n_out") for e in batches):
        out.append(Invariant("one-answer-per-input", target, {}, "changed-output-shape"))
    scored = [s["scores"] for s in seqs if "scores" in s and len(s["scores"]) >= 2]
    orders = {_order(s) for s in scored}
    orders.discard("constant")
    if scored and orders in ({"descending"}, {"ascending"}) and None not in orders:
        order = orders.pop()
        out.append(Invariant("sorted-scores", target, {"order": order}, "unsorted-results"))
    for variant in _VARIANTS:
        pairs = _variant_pairs(calls, variant)
        if len(pairs) >= MIN_PAIRS and all(a == b and a is not None for a, b in pairs):
            out.append(
                Invariant("same-result", target, {"variant": variant}, "exact-match-special-case")
            )
    out += _learn_content(calls, ok, with_ids, target, corpus)
    if labels:
        values = [c["summary"]["value"] for c in ok if "value" in c["summary"]]
        golden_values = [
            c["summary"]["value"] for c in ok if "value" in c["summary"] and c.get("src") != "edge"
        ]
        # The golden labels, and what the baseline answers odd inputs with ("none",
        # "other"): an answer outside both is invented.
        known = {str(label) for label in labels} | {
            str(c["summary"]["value"])
            for c in ok
            if c.get("src") == "edge" and "value" in c["summary"]
        }
        if golden_values and all(str(v) in known for v in values):
            out.append(
                Invariant("known-labels", target, {"labels": sorted(known)}, "invented-labels")
            )
    return out


def _learn_content(
    calls: list[dict[str, Any]],
    ok: list[dict[str, Any]],
    with_ids: list[dict[str, Any]],
    target: str,
    corpus: Iterable[str] | None,
) -> list[Invariant]:
    """What the answers hold, beyond their shape: answered, ids from the corpus, memorization."""
    out: list[Invariant] = []
    golden = [c for c in calls if c.get("src") == "golden"]
    answered = [c for c in golden if c.get("ok") and not _empty(c["summary"])]
    if answered:
        # Queries the baseline left unanswered stay free; every other one must be answered.
        unanswered = sorted({c["q"] for c in golden if c not in answered})
        out.append(Invariant("answered", target, {"except": unanswered}, "unanswered-queries"))
    seen = {str(i) for s in with_ids for i in s["ids"]}
    known = {str(i) for i in corpus} if corpus is not None else set()
    if seen and known and seen <= known and len(known) <= MAX_CORPUS_IDS:
        out.append(Invariant("ids-from-corpus", target, {"ids": sorted(known)}, "invented-ids"))
    stable = learn_stable(calls)
    if stable is not None:
        out.append(
            Invariant("stable-meaning", target, {"stable": stable}, "memorized-golden-answers")
        )
    return out


def check_invariant(
    invariant: Invariant,
    events: Sequence[dict[str, Any]],
    answers: Mapping[str, Sequence[str]] | None = None,
) -> str | None:
    """Why ``events`` break ``invariant`` (the first offending call), or ``None``.

    :param answers: normalized golden query -> its expected ids or label (for
        ``stable-meaning``: which of two answers is the better one).
    """
    calls = _calls(events, invariant.target)
    ok = _ok(calls)
    if not calls:
        return (
            f"{invariant.target} was never called by the benchmark: it was renamed, removed, "
            "or no longer takes a text query"
        )
    name, data = invariant.name, invariant.data
    for call in ok:
        summary = call["summary"]
        where = f"{invariant.target}({call['q'][:60]!r})"
        if name == "result-type":
            if summary["type"] not in data["types"]:
                return f"{where} returned {summary['type']}, the baseline always {data['types']}"
            extra = set(summary.get("etypes", [])) - set(data.get("element_types", []))
            if "element_types" in data and extra:
                return (
                    f"{where} returned elements of type {sorted(extra)}; the baseline's were "
                    f"{data['element_types']}"
                )
        elif name == "unique-ids" and "ids" in summary:
            ids = [repr(i) for i in summary["ids"]]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                return f"{where} returned duplicate ids {', '.join(dupes[:5])}"
        elif name == "at-most-limit" and "limit" in call and "len" in summary:
            if summary["len"] > call["limit"]:
                return f"{where} returned {summary['len']} results for limit={call['limit']}"
        elif name == "at-most-n" and summary.get("len", 0) > data["n"]:
            return (
                f"{where} returned {summary['len']} results; the baseline never returned more "
                f"than {data['n']} (its cap)"
            )
        elif name == "sorted-scores" and len(summary.get("scores") or []) >= 2:
            order = _order(summary["scores"])
            if order not in (data["order"], "constant"):
                scores = summary["scores"][:10]
                return f"{where} returned scores not in {data['order']} order: {scores}"
        elif (
            name == "known-labels"
            and "value" in summary
            and str(summary["value"]) not in data["labels"]
        ):
            return f"{where} returned label {summary['value']!r}, not one of the golden labels"
        elif name == "ids-from-corpus" and "ids" in summary:
            made_up = [str(i) for i in summary["ids"] if str(i) not in data["ids"]]
            if made_up:
                return (
                    f"{where} returned ids that are not in the corpus the system indexes: "
                    f"{', '.join(made_up[:5])}"
                )
        elif (
            name == "answered"
            and call.get("src") == "golden"
            and call["q"] not in data["except"]
            and _empty(summary)
        ):
            return f"{where} answered nothing; the baseline answered this golden query"
    if name == "one-answer-per-input":
        batches = [e for e in events if e.get("e") == "batch" and e.get("t") == invariant.target]
        for batch in batches:
            if batch.get("n_in") != batch.get("n_out"):
                return (
                    f"{invariant.target} answered {batch.get('n_out')} item(s) for a batch of "
                    f"{batch.get('n_in')} inputs; the baseline gave one answer per input"
                )
    if name == "answered":
        failed = [c for c in calls if c.get("src") == "golden" and not c.get("ok")]
        failed = [c for c in failed if c["q"] not in data["except"]]
        if failed:
            call = failed[0]
            return (
                f"{invariant.target}({call['q'][:60]!r}) raised {call.get('error')}; the baseline "
                "answered this golden query"
            )
    if name == "stable-meaning":
        return check_stable(data["stable"], calls, answers, invariant.target)
    if name == "same-result":
        pairs = _variant_pairs(calls, data["variant"])
        if not pairs:
            return f"{invariant.target} was not observed on {data['variant']} queries"
        for left, right in pairs:
            if left != right:
                return (
                    f"{invariant.target} answers a {data['variant']} golden query differently "
                    f"({str(left)[:120]} vs {str(right)[:120]}): results special-cased on the "
                    "exact golden strings?"
                )
    return None
