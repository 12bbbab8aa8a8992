"""Discovery calls: which kinds of value the baseline takes where nothing says.

A parameter that is untyped, unused by the project's tests and uninformatively named
gets one call per kind in :data:`DISCOVERY_KINDS` (a float, an int, a string, lists, a
dict); the first the baseline answers types it for the real plan. Discovery calls are
probed, never frozen. When the ordinary call fails, parameters typed by their names
alone are rediscovered the same way: the names misled.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from pytest_autoimprove.generators.discover import Param
from pytest_autoimprove.generators.performance.code_edges import Add
from pytest_autoimprove.generators.performance.values import Kind, sample_values

if TYPE_CHECKING:
    from pytest_autoimprove.generators.performance.plan import TargetCandidates

__all__ = ["DISCOVERY_KINDS", "discovered_kinds", "discovery_calls", "guessed", "unknown"]


#: Kinds tried, in order, on parameters nothing is known about (untyped, unused by the
#: project's tests, uninformative names): the first the baseline accepts is used.
DISCOVERY_KINDS: tuple[Kind, ...] = (
    Kind("float"),
    Kind("int"),
    Kind("str"),
    Kind("list", Kind("float")),
    Kind("list", Kind("str")),
    Kind("dict", Kind("int")),
)


def unknown(kind: Kind) -> bool:
    """Nothing is known (untyped, unused by the tests), or only that it is iterated."""
    if kind.traced:
        return False
    return kind.name == "unknown" or (
        kind.name == "list" and kind.item is not None and kind.item.name == "unknown"
    )


def guessed(kind: Kind) -> bool:
    """Typed from the parameter's name alone, which can mislead (``base``: a number base
    in one module, a mapping in another)."""
    return not kind.traced and kind.evidence == "name"


def as_found(kind: Kind, found: Kind) -> Kind:
    """``found`` for an unknown parameter; a list of ``found``'s scalars for an iterated one."""
    if kind.name == "unknown" or guessed(kind):
        return Kind(found.name, found.item, evidence="discovery")
    return Kind(
        "list", found.item or Kind(found.name), optional=kind.optional, evidence="discovery"
    )


def discovered_kinds(plan: TargetCandidates, ok_ids: set[str]) -> dict[str, Kind]:
    """Kinds for the unknown parameters of ``plan``, from the discovery calls that worked.

    ``ok_ids``: the ids of the plan's candidates the baseline answered. When the
    ordinary call failed, parameters typed by their names alone are rediscovered too.
    """
    for kind in DISCOVERY_KINDS:
        if f"discover-{_kind_id(kind)}" in ok_ids:
            return {name: as_found(k, kind) for name, k in plan.kinds.items() if unknown(k)}
    if plan.base_id in ok_ids:
        return {}
    for kind in DISCOVERY_KINDS:
        if f"rediscover-{_kind_id(kind)}" in ok_ids:
            return {
                name: as_found(k, kind)
                for name, k in plan.kinds.items()
                if unknown(k) or guessed(k)
            }
    return {}


def _kind_id(kind: Kind) -> str:
    """The part of a discovery call's id that names the kind: ``list-float``."""
    return kind.name if kind.item is None else f"{kind.name}-{kind.item.name}"


def discovery_calls(
    usable: Sequence[Param],
    star: Param | None,
    kinds: Mapping[str, Kind],
    pooled: Collection[str],
    base: Mapping[str, object],
    add: Add,
) -> None:
    """Calls that tell which kinds the baseline takes where nothing typed a parameter
    (never frozen); and, used only if the ordinary call fails, the same for parameters
    typed by their names alone (then the names misled). ``pooled``: parameters whose
    values come from a pool (an annotation, a format, a factory), never guessed."""
    untyped = [p.name for p in [*usable, *([star] if star else [])] if unknown(kinds[p.name])]
    by_name = [p.name for p in usable if guessed(kinds[p.name]) and p.name not in pooled]
    for prefix, names in (("discover", untyped), ("rediscover", [*untyped, *by_name])):
        if not (untyped if prefix == "discover" else by_name):
            continue
        for kind in DISCOVERY_KINDS:
            chosen = dict(base)
            for name in names:
                chosen[name] = sample_values(as_found(kinds[name], kind))[0]
            cid = f"{prefix}-{_kind_id(kind)}"
            add(cid, "discovery", "changed-behaviour", chosen, False, "discovery")
