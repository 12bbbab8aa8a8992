"""Targets explored without a mutant, and their ``explored-N`` cases.

Exploration (:mod:`.explore`) runs inside a surviving mutant's search; a target whose
mutants all died at the first run, or to whose code no operator applies, would never
get the valid structures it reaches. Such targets are explored on their own once per
generate, and what the exploration keeps joins their recorded cases.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from pytest_autoimprove.generators.performance.explore import EXPLORED_PREFIX
from pytest_autoimprove.generators.performance.render import ModulePlan, TargetPlan, case_text

__all__ = ["EXPLORED_COMMENT", "Explore", "freeze_explored", "unexplored"]


@dataclass
class Explore:
    """A target explored without a mutant (all killed, or none applies)."""

    plan: ModulePlan
    target: TargetPlan


EXPLORED_COMMENT = (
    "an input that runs code no planned input reached (explored); guards changed-behaviour"
)
#: Targets explored without a mutant per generate, at most (named ones come first).
MAX_EXPLORED_TARGETS = 24


def unexplored(plans: Sequence[ModulePlan], searched: Collection[tuple[str, str]]) -> list[Explore]:
    """Targets with tests no surviving mutant has the search explore (all killed, or
    none applies): explored on their own for inputs that run code no planned input
    reached, named targets first; once per generate."""
    mutated = set(searched)
    out = []
    for plan in plans:
        for t in plan.targets:
            if (plan.name, t.qualname) not in mutated and t.kind != "constructor":
                out.append(Explore(plan, t))
    return out[:MAX_EXPLORED_TARGETS]


def freeze_explored(item: Explore, records: Sequence[dict[str, Any]]) -> bool:
    """Add the explored cases of a target no mutant search saw; any added?"""
    t = item.target
    taken = {c.id for c in [*t.recorded, *t.edge]}
    added = False
    for record in records:
        cid = str(record.get("id"))
        if not cid.startswith(EXPLORED_PREFIX) or cid in taken:
            continue
        taken.add(cid)
        comment = EXPLORED_COMMENT
        t.recorded.append(case_text(t.qualname, cid, record, item.plan.data, comment))
        added = True
    return added
