"""A base call that works: the ordinary call every edge case varies one parameter of.

Edge cases change one parameter and keep the others at the base call's values. When
that base call raises (``dms_to_float(dms: Union[str, float], limit=...)`` planned with
text for ``dms``, which no parser accepts), every edge of every other parameter only
replays the same exception, and a regression in how ``limit`` is handled goes unseen.
After the first probe, a target whose base call raised while another ordinary call of
it returned (a second sample, a value of another type of the union, a valid string of
a format, a documented example) is planned again around that call's values.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping, Sequence
from typing import Any

from pytest_autoimprove.generators.discover import Param
from pytest_autoimprove.generators.performance.plan import TargetCandidates

__all__ = ["working_bases"]

#: Where an ordinary input that can serve as a base comes from.
_ORDINARY = {"real", "doctest", "sample", "regex", "format", "factory"}


def _chosen(params: Sequence[Param], payload: bytes) -> dict[str, object] | None:
    """Parameter -> value of a planned call (the inverse of ``plan.build_call``)."""
    try:
        args, kwargs, _ = pickle.loads(payload)  # noqa: S301 - our own plan's data
    except Exception:  # noqa: BLE001 - a recorded value that does not load here
        return None
    positional = [p for p in params if p.kind == "positional"]
    if len(args) > len(positional):
        return None  # a *args call: its values are not one per parameter
    chosen: dict[str, object] = {p.name: value for p, value in zip(positional, args, strict=False)}
    chosen.update(kwargs)
    return chosen


def working_bases(
    planned: Mapping[str, Sequence[TargetCandidates]], probed: Mapping[str, Any]
) -> dict[str, dict[str, dict[str, object]]]:
    """``module -> qualname -> param -> value`` for targets to plan around another base.

    Only the parameters the base call sets (those without a default) move, each to the
    value of the first ordinary call that returned.
    """
    out: dict[str, dict[str, dict[str, object]]] = {}
    for module, plans in planned.items():
        records = {
            (r["qualname"], r["id"]): r for r in probed["modules"].get(module, {}).get("cases", [])
        }
        for tc in plans:
            q = tc.target.qualname
            base = records.get((q, tc.base_id or ""))
            if base is None or base.get("status") != "raised":
                continue
            required = {p.name for p in tc.target.params if p.kind != "star" and p.default is None}
            for cand in tc.candidates:
                if cand.group != "recorded" or cand.origin not in _ORDINARY:
                    continue
                if records.get((q, cand.id), {}).get("status") != "ok":
                    continue
                chosen = _chosen(tc.target.params, cand.payload)
                moved = {k: v for k, v in (chosen or {}).items() if k in required}
                if moved:
                    out.setdefault(module, {})[q] = moved
                    break
    return out
