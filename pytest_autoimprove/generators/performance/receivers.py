"""Instances at the bounds: a method's ordinary call on instances built at the edges of
its class's constructor.

An off-by-one in a method that compares an attribute (``3000 <= self.code < 4000``,
``len(self.data) < 126``) or a check on a flag (``if not self.fin``) shows only on an
instance built at that bound or with that flag, and a method's cases ran on whichever
instance its rotation picked. The constructor's ``bound-`` edges (which take the
bounds the class's methods compare its attributes with, :mod:`.facts`) and its flags
both ways become receivers of each method's ordinary calls.
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
        ]
        for number, base in enumerate(bases):
            args, kwargs, _ = pickle.loads(base.payload)  # noqa: S301 - our own data
            for edge in bounded[:MAX_BOUND_RECEIVERS]:
                made_args, made_kwargs, _ = pickle.loads(edge.payload)  # noqa: S301
                receiver = (tuple(made_args), dict(made_kwargs))
                plan.candidates.append(
                    replace(
                        edge,
                        id=f"receiver-{edge.id}" + (f"-{number}" if number else ""),
                        group="edge",
                        risk="off-by-one",
                        payload=pickle.dumps((args, kwargs, receiver), protocol=4),
                        valid=False,
                        origin="edge",
                        describe=f"on an instance built with {edge.describe}",
                        types=frozenset(),
                        check=None,
                        evidenced=False,
                    )
                )
