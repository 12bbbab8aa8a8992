"""The catalog: goal family -> regressions that goal invites -> the test kind that catches each.

An agent chasing a number breaks what the number does not see. Which things it breaks
depends on the number: chasing speed or allocations invites dropped checks, wrong fast
paths, caches and in-place tricks. This module keeps that knowledge as data, so it can
grow without touching the generators, and so each generated test can name (in a comment
and in its id) the risk it guards.

Add a risk by appending a :class:`Risk` to :data:`RISKS` and naming it in
:data:`FAMILIES`; a generator that emits a test for it looks it up with :func:`risk`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FAMILIES", "RISKS", "TEST_KINDS", "Risk", "risk", "risks_for"]


@dataclass(frozen=True)
class Risk:
    """One regression an optimizer is likely to make.

    :param id: a short stable slug, used in generated test ids and comments.
    :param description: one line, printed in the comment above each test guarding it.
    :param test_kinds: the kinds of generated test that catch it (keys of :data:`TEST_KINDS`).
    """

    id: str
    description: str
    test_kinds: tuple[str, ...]


#: The kinds of generated test, and what each one does.
TEST_KINDS: dict[str, str] = {
    "baseline": "replays real inputs (the project's tests); compares output, exception, arguments",
    "edge": "replays edge inputs per inferred type with the baseline's recorded behaviour",
    "differential": "Hypothesis compares the code with a frozen copy of the baseline",
    "state": "calls in sequence: a, b, a; repeated calls; mutated results; aliasing",
    "surface": "the module's public names and signatures must stay",
}

RISKS: tuple[Risk, ...] = (
    Risk("dropped-none-check", "a None or empty check was dropped for speed", ("edge", "baseline")),
    Risk("empty-input", "a fast path is wrong on empty strings or collections", ("edge",)),
    Risk("unicode-fast-path", "an ASCII-only fast path is wrong on unicode text", ("edge",)),
    Risk(
        "special-characters",
        "special characters (-\"'*:() and the like) that query languages treat as operators",
        ("edge",),
    ),
    Risk("negative-numbers", "a fast path assumes non-negative or small numbers", ("edge",)),
    Risk("nan-and-infinity", "NaN, infinities or -0.0 take a wrong path", ("edge",)),
    Risk("huge-input", "a fast path is wrong on large collections or long strings", ("edge",)),
    Risk(
        "changed-exceptions",
        "the exception raised was narrowed, widened or changed",
        ("baseline", "edge", "differential"),
    ),
    Risk(
        "stale-cache",
        "a cache returns stale results or depends on call order",
        ("state", "differential"),
    ),
    Risk(
        "shared-mutable-result",
        "a cached or reused result is shared: mutating one result changes another",
        ("state",),
    ),
    Risk(
        "argument-mutation", "an argument is mutated in place to save a copy", ("baseline", "state")
    ),
    Risk(
        "aliased-internal-state",
        "the result aliases an internal object or an argument instead of a fresh one",
        ("state",),
    ),
    Risk(
        "changed-floats",
        "float results changed (summation order, fused or approximate math)",
        ("baseline", "differential"),
    ),
    Risk(
        "hash-order-output",
        "output order now depends on hashing (set or dict iteration)",
        ("baseline", "differential"),
    ),
    Risk(
        "changed-behaviour",
        "any other change of output on inputs the project really uses",
        ("baseline", "differential"),
    ),
    Risk(
        "removed-feature",
        "a public function, class, method or parameter was removed or renamed",
        ("surface",),
    ),
)

_BY_ID = {r.id: r for r in RISKS}

#: Goal family -> the risks generated tests must guard for it. Speed and memory agents
#: make the same kinds of mistakes; ``other`` gets the same conservative set.
FAMILIES: dict[str, tuple[str, ...]] = {
    "speed": tuple(r.id for r in RISKS),
    "memory": tuple(r.id for r in RISKS),
    "other": tuple(r.id for r in RISKS),
}


def risk(risk_id: str) -> Risk:
    """The risk named ``risk_id``; ``KeyError`` when the catalog has none."""
    return _BY_ID[risk_id]


def risks_for(kind: str) -> tuple[Risk, ...]:
    """The risks of goal family ``kind`` (empty when the family is not in the catalog)."""
    return tuple(_BY_ID[i] for i in FAMILIES.get(kind, ()))
