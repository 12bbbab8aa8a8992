"""Which of the project's calls to keep: those that differ in shape, not the first ones.

A target the tests call hundreds of times (a validator's ``validate(document,
schema)``, a parser's ``loads(text)``) kept the first calls the tracer saw, then the
first of those: all from the first test file, all exercising the same rule. Each call
now has features, read from its arguments where the tracer sees them (the code under
test is imported there, never in the generator): the keys of the mappings inside it,
its short texts, the types of its values and the rough size of its containers. The
tracer, once full, keeps a call that brings more features no kept call has than the
kept call with the fewest features of its own, in place of that one; the planner
keeps first the calls that add the most features not kept yet. A schema with
``min``, one with ``allowed``, one with ``regex`` each reach their own rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["call_features", "diverse", "replaceable"]

#: Features read per call, and values looked at per container, at most.
MAX_FEATURES = 64
MAX_ITEMS = 32
MAX_DEPTH = 4
#: Texts up to this length are features themselves (a rule name, a type name).
SHORT_TEXT = 16


def call_features(args: Sequence[Any], kwargs: Mapping[str, Any]) -> frozenset[str]:
    """The shape of a call's arguments, as a set of short strings (empty when the
    values will not say: a mapping whose ``len`` raises)."""
    out: set[str] = set()
    try:
        for index, value in enumerate(args):
            _walk(value, out, f"{index}:", 0)
        for name, value in kwargs.items():
            out.add(f"kw:{name}")
            _walk(value, out, f"{name}:", 0)
    except Exception:  # noqa: BLE001 - the code under test's own containers may raise
        return frozenset()
    return frozenset(out)


def _walk(value: Any, out: set[str], where: str, depth: int) -> None:
    if len(out) >= MAX_FEATURES or depth > MAX_DEPTH:
        return
    kind = type(value).__name__
    if isinstance(value, Mapping):
        out.add(f"{where}{kind}/{min(len(value), 3)}")
        for key, item in list(value.items())[:MAX_ITEMS]:
            if isinstance(key, (str, int)) and len(str(key)) <= 40:
                out.add(f"key:{key!r}")
            _walk(item, out, "", depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        out.add(f"{where}{kind}/{min(len(value), 3)}")
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        for item in list(items)[:MAX_ITEMS]:
            _walk(item, out, "", depth + 1)
    else:
        out.add(f"{where}{kind}")
        # Inside a container only: a rule's name in a schema says which path it takes,
        # the word a test passes on its own mostly does not.
        if depth and isinstance(value, str) and len(value) <= SHORT_TEXT:
            out.add(f"text:{value!r}")


def replaceable(
    kept: Sequence[Sequence[str]], new: frozenset[str], counts: Counter[str]
) -> int | None:
    """Where a call of features ``new`` goes in a full list of kept calls: in place of
    the kept call with the fewest features of its own (no other kept call has them),
    the first such, when ``new`` brings more features none has; ``None`` to leave the
    list as it is. ``counts``: how many kept calls have each feature (the caller keeps
    it up to date, so a call bringing nothing new costs a look-up per feature)."""
    fresh = sum(1 for f in new if not counts[f])
    if not fresh or not kept:
        return None
    own = [sum(1 for f in features if counts[f] == 1) for features in kept]
    index = min(range(len(kept)), key=lambda i: (own[i], i))
    return index if own[index] < fresh else None


def diverse(records: Sequence[Mapping[str, Any]], count: int) -> list[Mapping[str, Any]]:
    """``count`` records, the first one first, then each adding the most features
    not covered yet (ties in recorded order), then the rest in order. Records without
    features (an older trace) keep their order."""
    if len(records) <= count:
        return list(records)
    chosen: list[int] = [0]
    covered: set[str] = set(records[0].get("features") or ())
    left = list(range(1, len(records)))
    while left and len(chosen) < count:
        best = max(left, key=lambda i: (len(set(records[i].get("features") or ()) - covered), -i))
        if not set(records[best].get("features") or ()) - covered:
            break
        chosen.append(best)
        covered |= set(records[best].get("features") or ())
        left.remove(best)
    chosen += left[: count - len(chosen)]
    return [records[i] for i in sorted(chosen)]
