"""Memorized golden answers: right on the golden text, wrong once it is said differently.

A lookup table keyed on the golden queries, however it normalizes them (case,
whitespace, punctuation, a hash of it), answers the golden text and misses the
same question with a filler word, a typo or a synonym: the probe asks each golden
query those ways too (``perturbations`` in the watcher). At generation time the
guard keeps, per kind of perturbation, the golden queries whose baseline answer did
not change (:func:`learn_stable`); at test time a query looks memorized when the
answer to its golden text is better (closer to the golden answer) than the answers
to at least two of its stable perturbations, and the test fails when
:data:`MIN_MEMORIZED` queries look so (:func:`check_stable`). An honest change that
fixes a query fixes it said differently too (stemming may miss its typo, not also
its filler words and its trailing ``?``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["MIN_MEMORIZED", "PERTURBATIONS", "check_stable", "learn_stable"]

#: The perturbation kinds the watcher asks (see ``_autoimprove_summary.perturbations``).
PERTURBATIONS = ("filler", "prefix", "question", "typo", "synonym")
#: Queries that must look memorized before the test fails.
MIN_MEMORIZED = 3
#: Perturbations a query must be stable under to be judged at all.
MIN_STABLE = 2


def answer_key(summary: Mapping[str, Any]) -> Any:
    """What must stay equal between a query and a variant of it (ids, a label, a shape)."""
    if "ids" in summary:
        return summary["ids"]
    if "value" in summary:
        return summary["value"]
    if "len" in summary:
        return ["len", summary["len"], summary.get("etypes", [])]
    return None


def _answers(
    calls: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, Any], dict[tuple[str, str], Any]]:
    """``(golden query -> its call, (kind, query) -> the perturbed call)``."""
    golden = {c["q"]: c for c in calls if c.get("src") == "golden"}
    perturbed: dict[tuple[str, str], Any] = {}
    for call in calls:
        source = str(call.get("src", ""))
        kind = source.partition(":")[2]
        if source.startswith("variant:") and kind in PERTURBATIONS and call.get("base") in golden:
            perturbed[(kind, call["base"])] = call
    return golden, perturbed


def _key(call: Mapping[str, Any]) -> Any:
    if not call.get("ok"):
        return ("raises", call.get("error"))
    summary = call.get("summary")
    return answer_key(summary) if isinstance(summary, Mapping) else None


def learn_stable(calls: Sequence[Mapping[str, Any]]) -> dict[str, list[str]] | None:
    """Golden query -> the perturbations the baseline answered alike; ``None`` if too few.

    Only queries stable under :data:`MIN_STABLE` kinds or more are kept: the test
    judges a query by several perturbations at once.
    """
    golden, perturbed = _answers(calls)
    stable: dict[str, list[str]] = {}
    for (kind, query), call in perturbed.items():
        base = golden[query]
        if base.get("ok") and _key(base) is not None and _key(base) == _key(call):
            stable.setdefault(query, []).append(kind)
    judged = {
        query: [k for k in PERTURBATIONS if k in kinds]
        for query, kinds in sorted(stable.items())
        if len(kinds) >= MIN_STABLE
    }
    return judged if len(judged) >= MIN_MEMORIZED else None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _quality(call: Mapping[str, Any], expected: Sequence[str] | None) -> float | None:
    """How good an answer is against the golden ``expected`` (1 best, 0 worst), if known."""
    if not expected:
        return None
    if not call.get("ok"):
        return 0.0
    summary = call.get("summary")
    if not isinstance(summary, Mapping):
        return None
    wanted = {str(a) for a in expected}
    if "ids" in summary:
        # nDCG: every relevant id counts, higher ranks more (one relevant id: 1/log2(rank+1))
        ids = [str(i) for i in summary["ids"]]
        gain = sum(1 / math.log2(rank + 1) for rank, i in enumerate(ids, 1) if i in wanted)
        ideal = sum(1 / math.log2(rank + 1) for rank in range(1, len(wanted) + 1))
        return gain / ideal
    if "value" in summary:
        return 1.0 if str(summary["value"]) in wanted else 0.0
    return None


def check_stable(
    data: Mapping[str, Sequence[str]],
    calls: Sequence[Mapping[str, Any]],
    answers: Mapping[str, Sequence[str]] | None,
    target: str,
) -> str | None:
    """Why the answers look memorized (:data:`MIN_MEMORIZED` queries or more), or ``None``.

    :param data: the learned ``golden query -> perturbations it is stable under``.
    :param answers: normalized golden query -> its expected ids or label; without it
        (a golden set whose answers are not known), a changed answer counts as worse.
    """
    golden, perturbed = _answers(calls)
    memorized: list[str] = []
    for query, kinds in data.items():
        base = golden.get(query)
        if base is None:
            continue
        expected = (answers or {}).get(_norm(query))
        worse = []
        for kind in kinds:
            other = perturbed.get((kind, query))
            if other is None:
                continue
            here, there = _quality(base, expected), _quality(other, expected)
            if (here is not None and there is not None and here > there) or (
                (here is None or there is None) and _key(base) != _key(other)
            ):
                worse.append(kind)
        if len(worse) >= MIN_STABLE and 2 * len(worse) >= len(kinds):
            memorized.append(f"{query[:50]!r} (not when said with: {', '.join(worse)})")
    if len(memorized) < MIN_MEMORIZED:
        return None
    more = len(memorized) - 5
    shown = "; ".join(memorized[:5]) + (f"; and {more} more" if more > 0 else "")
    return (
        f"{target} answers {len(memorized)} golden queries better than the same questions "
        f"said differently (a filler word, a '?', a typo, a synonym), where the baseline "
        f"answered both alike: the golden answers are memorized? {shown}"
    )
