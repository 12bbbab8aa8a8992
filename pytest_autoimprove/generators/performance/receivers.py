"""Instances at the bounds: a method's ordinary call on instances built at the edges of
its class's constructor.

An off-by-one in a method that compares an attribute (``3000 <= self.code < 4000``,
``len(self.data) < 126``) or a check on a flag (``if not self.fin``) shows only on an
instance built at that bound or with that flag, and a method's cases ran on whichever
instance its rotation picked. The constructor's ``bound-`` edges (which take the
bounds the class's methods compare its attributes with, :mod:`.facts`) and its flags
both ways become receivers of each method's ordinary calls; then a few of its other
edges, one per risk (a date in 2100, an empty name, a negative count): a range check
a method skips shows only on an instance outside the range.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_autoimprove.generators.performance.plan import Candidate, TargetCandidates

__all__ = ["bounded_receivers"]

#: Instances built at a bound or with a flag, per method (the constructor's edges).
MAX_BOUND_RECEIVERS = 9
#: Instances built at the constructor's other edges, per method: one per risk.
MAX_EDGE_RECEIVERS = 4
#: The constructor's edges not used as receivers: long or odd-typed values say little
#: of a method, and a None the constructor refuses builds nothing.
_NOT_RECEIVERS = frozenset(
    {"huge-input", "hash-order-output", "changed-exceptions", "dropped-none-check",
     "combined-edges", "changed-floats", "int-precision", "changed-behaviour"}
)  # fmt: skip


def _flag(plan: TargetCandidates, param: str) -> bool:
    kind = plan.kinds.get(param)
    return kind is not None and kind.name == "bool"


def bounded_receivers(plans: Sequence[TargetCandidates]) -> None:
    """Each method's base call also on instances built at the bounds its class's
    methods compare the attributes with (``Close(4000)``, ``Frame(b"x" * 126)``: the
    constructor's ``bound-`` edges) and with each flag both ways (``fin=False``): an
    off-by-one or a dropped check in a method shows only there."""
    ctors = {p.target.qualname: p for p in plans if p.target.kind == "constructor"}
    for plan in plans:
        owner = ctors.get(plan.target.qualname.partition(".")[0])
        if owner is None or plan.target.kind not in ("method", "property"):
            continue
        # The base call and the second ordinary one: either may be dropped (a random
        # mask makes websockets' serialize(mask=True) differ from call to call).
        wanted = [plan.base_id, "sample-1"]
        bases: list[Candidate] = []
        for c in plan.candidates:
            if c.id in wanted and all(c.payload != b.payload for b in bases):
                bases.append(c)
        bounded = [
            c
            for c in owner.candidates
            if c.group == "edge" and c.id.startswith("bound-") or c.param and _flag(owner, c.param)
        ][:MAX_BOUND_RECEIVERS]
        bounded += _one_per_risk(owner.candidates, bounded)
        for number, base in enumerate(bases):
            args, kwargs, _ = pickle.loads(base.payload)  # noqa: S301 - our own data
            for edge in bounded:
                made_args, made_kwargs, _ = pickle.loads(edge.payload)  # noqa: S301
                receiver = (tuple(made_args), dict(made_kwargs))
                plan.candidates.append(
                    replace(
                        edge,
                        id=f"receiver-{edge.id}" + (f"-{number}" if number else ""),
                        group="edge",
                        risk="off-by-one" if edge.risk in _OWN_RISKS else edge.risk,
                        payload=pickle.dumps((args, kwargs, receiver), protocol=4),
                        valid=False,
                        origin="edge",
                        describe="on an instance built with "
                        + (edge.describe or f"an edge value of {edge.param}"),
                        types=frozenset(),
                        check=None,
                        evidenced=False,
                    )
                )


#: Receivers at a bound or a flag guard an off-by-one; the others, their edge's risk.
_OWN_RISKS = frozenset({"off-by-one", "changed-behaviour"})


def _one_per_risk(candidates: Sequence[Candidate], taken: Sequence[Candidate]) -> list[Candidate]:
    """The constructor's first edge of each risk not yet taken, in the plan's order."""
    seen = {c.risk for c in taken} | _NOT_RECEIVERS
    out: list[Candidate] = []
    for c in candidates:
        if c.group != "edge" or c.risk in seen or c in taken or len(out) >= MAX_EDGE_RECEIVERS:
            continue
        seen.add(c.risk)
        out.append(c)
    return out
