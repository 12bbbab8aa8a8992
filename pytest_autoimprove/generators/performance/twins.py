"""The other side of a comparison: values a comparison method's instance may equal.

``__eq__`` called with unrelated values answers ``False`` every time, and so does a
rewrite that compares case-sensitively or skips a normalisation: the cases that tell
them apart are the equal ones. So each comparison method of a class in scope is also
called, on an instance from one of its constructor's calls (the project's or a
doctest's first), with a twin of that instance (the same constructor call again) and
with the constructor's text arguments as they are, in capitals, in lower case and
with blanks around them: what the author's ``__eq__`` may well call equal.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pytest_autoimprove.runtime.replay import Build

if TYPE_CHECKING:
    from pytest_autoimprove.generators.performance.plan import Candidate, TargetCandidates

__all__ = ["COMPARISONS", "equal_others"]

#: The methods called with a value their instance may equal.
COMPARISONS = frozenset({"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"})
#: Constructor calls whose instances are compared, and text arguments varied per call.
MAX_CALLS = 2
MAX_TEXTS = 2


def equal_others(plans: Sequence[TargetCandidates]) -> None:
    """Add to each comparison method's candidates its calls with an equal-looking
    other side (see the module's docstring)."""
    ctors = {p.target.qualname: p for p in plans if p.target.kind == "constructor"}
    for plan in plans:
        cls, _, name = plan.target.qualname.rpartition(".")
        owner = ctors.get(cls)
        method = plan.target.kind == "method" and name in COMPARISONS
        if owner is None or not method or not plan.target.params:
            continue
        param = plan.target.params[0].name
        number = 0
        for call in _calls(owner):
            args, kwargs, _ = pickle.loads(call.payload)  # noqa: S301 - our own data
            receiver = (tuple(args), dict(kwargs))
            for other, how in _others(cls, receiver):
                plan.candidates.append(
                    replace(
                        call,
                        id=f"twin-{param}-{number}",
                        group="edge",
                        risk="changed-behaviour",
                        payload=pickle.dumps(((other,), {}, receiver), protocol=4),
                        valid=False,
                        origin="edge",
                        describe=how,
                        param=param,
                        types=frozenset(),
                        check=None,
                        evidenced=False,
                    )
                )
                number += 1


def _calls(owner: TargetCandidates) -> list[Candidate]:
    """The constructor's calls to compare instances of: real and doctest calls first,
    then recorded calls with text to vary, then its ordinary call."""

    def rank(call: Candidate) -> int:
        if call.origin in ("real", "doctest"):
            return 0
        if call.group == "recorded" and _texts(pickle.loads(call.payload)):  # noqa: S301
            return 1
        return 2 if call.id == owner.base_id else 3

    ranks = [(rank(c), c) for c in owner.candidates]
    ranked = [c for r, c in sorted(ranks, key=lambda pair: pair[0]) if r < 3]
    out: list[Candidate] = []
    for call in ranked:
        if all(call.payload != c.payload for c in out):
            out.append(call)
    return out[:MAX_CALLS]


def _texts(call: tuple[Any, ...]) -> list[str]:
    """The non-blank text arguments of a call's ``(args, kwargs, ...)``."""
    args, kwargs = call[0], call[1]
    return [v for v in (*args, *kwargs.values()) if isinstance(v, str) and v.strip()]


def _others(cls: str, receiver: tuple[tuple[Any, ...], dict[str, Any]]) -> list[tuple[Any, str]]:
    args, kwargs = receiver
    others: list[tuple[Any, str]] = [
        (Build(cls, *args, **kwargs), "a twin of the instance (the same constructor call)")
    ]
    for text in _texts((args, kwargs))[:MAX_TEXTS]:
        variants = [
            (text, "the instance's constructor text"),
            (text.upper(), "the instance's constructor text in capitals"),
            (text.lower(), "the instance's constructor text in lower case"),
            (f" {text} ", "the instance's constructor text with blanks around it"),
        ]
        for value, how in variants:
            if all(value != o for o, _ in others if isinstance(o, str)):
                others.append((value, how))
    return others
