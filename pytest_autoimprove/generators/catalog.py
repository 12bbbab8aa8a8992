"""The catalog: goal family -> regressions that goal invites -> the test kind that catches each.

An agent chasing a number breaks what the number does not see. Which things it breaks
depends on the number: chasing speed or allocations invites dropped checks, wrong fast
paths, caches and in-place tricks. This module keeps that knowledge as data, so it can
grow without touching the generators, and so each generated test can name (in a comment
and in its id) the risk it guards.

Add a risk by appending a :class:`Risk` to :data:`RISKS` and naming it in a
:class:`GoalFamily` of :data:`BUILTIN_FAMILIES`; a generator that emits a test for it
looks it up with :func:`risk`. A plugin adds a whole goal family (a new ``kind:``)
without touching this file: it returns :class:`GoalFamily` objects, carrying their own
risks, from the ``pytest_autoimprove_goal_families`` hook (collected by
:func:`pytest_autoimprove.manager.plugin_families`), and a generator for that kind
from ``pytest_autoimprove_generate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BUILTIN_FAMILIES",
    "FAMILIES",
    "RISKS",
    "TEST_KINDS",
    "GoalFamily",
    "Risk",
    "risk",
    "risks_for",
]


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
    "holdout": "scores the golden set's holdout, which the loop never scores",
    "leakage": "no golden path, query or answer in the code; no golden file opened at run time",
    "robustness": "query-like entry points still handle empty, long, unicode and operator input",
    "invariant": "output invariants the baseline always kept (ids, limit, order, types)",
    "generalization": "a gain on the visible golden split must show on the holdout too",
    "tables": "no new literal table as large as a sizeable share of the golden set",
    "sealed": "scores a holdout kept outside the repository (CI reads it from a secret)",
    "footprint": "modules import, console scripts answer --help, dependencies and data stay",
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
    Risk("bool-input", "a number fast path mishandles True and False (bool is an int)", ("edge",)),
    Risk(
        "int-precision",
        "an int beyond float precision or range goes through float (2**53 + 1, 10**20)",
        ("edge",),
    ),
    Risk("exact-decimals", "a Decimal goes through float and loses its exact value", ("edge",)),
    Risk(
        "digit-boundaries",
        "a number fast path is wrong where its digits change shape: the teens (11, 12, 13), "
        "a round hundred or thousand and one past it, 1010",
        ("edge",),
    ),
    Risk(
        "byte-boundaries",
        "a number fast path is wrong where its bytes change width: 127 and 128, 255 and "
        "256, -128 and -129, 2**31 (a sign byte, a length byte, a two's complement)",
        ("edge",),
    ),
    Risk(
        "calendar-boundaries",
        "a date fast path is wrong on century years (1900 and 2100 are not leap years, "
        "2000 is), on 29 February or at the stroke of midnight",
        ("edge",),
    ),
    Risk(
        "skipped-normalisation",
        "a normalisation was skipped or widened (.lower(), a blank test, isspace or \\s): "
        "the same text in other case or with other blanks now reads differently",
        ("edge",),
    ),
    Risk(
        "repeated-object",
        "the same object twice in one input (not inside itself) is taken for a cycle, "
        "or a result memoised by its id is handed to both",
        ("edge",),
    ),
    Risk(
        "off-by-one",
        "a bound the code compares with moved by one (< for <=, a limit or length off by one)",
        ("edge",),
    ),
    Risk(
        "format-fast-path",
        "a parser's fast path accepts or rejects near misses of its format "
        "(a sign, a comma decimal, a non-ASCII digit, whitespace, a control character)",
        ("edge",),
    ),
    Risk(
        "combined-edges",
        "a fast path is wrong only when two parameters take odd values together",
        ("edge",),
    ),
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
    # Quality goals: the score is a metric over a golden set.
    Risk(
        "holdout-overfit",
        "tuned to the visible golden queries: the score on unseen queries drops",
        ("holdout",),
    ),
    Risk(
        "overfit-gain",
        "the visible golden score jumps and the holdout's does not follow (or turns perfect)",
        ("generalization",),
    ),
    Risk(
        "memorized-golden-answers",
        "golden answers memorized in a table (keyed on the text, a hash of it, or call order)",
        ("invariant", "tables", "generalization", "sealed"),
    ),
    Risk(
        "golden-read",
        "the system reads the golden answers at run time (file, env var, git)",
        ("leakage",),
    ),
    Risk(
        "golden-embedded",
        "golden queries, answers or file paths hard-coded in the code",
        ("leakage",),
    ),
    Risk(
        "exact-match-special-case",
        "results special-cased on the exact golden query strings",
        ("invariant", "holdout"),
    ),
    Risk(
        "changed-output-shape",
        "the result type or the type of its elements changed",
        ("invariant",),
    ),
    Risk(
        "duplicate-results", "the same id is returned twice (merged result lists)", ("invariant",)
    ),
    Risk("ignored-limit", "more results are returned than the limit asks for", ("invariant",)),
    Risk("unsorted-results", "results are no longer sorted by their score", ("invariant",)),
    Risk("invented-labels", "a label outside the golden set's labels is returned", ("invariant",)),
    Risk("invented-ids", "an id outside the corpus the system indexes is returned", ("invariant",)),
    Risk(
        "unanswered-queries",
        "a golden query the baseline answered gets an empty answer",
        ("invariant",),
    ),
    # Footprint goals: image, wheel or bundle size, dependency count.
    Risk("removed-module", "a module of the package was deleted to shrink it", ("footprint",)),
    Risk(
        "broken-console-script",
        "a console script no longer starts (its module or dependency is gone)",
        ("footprint",),
    ),
    Risk(
        "dropped-dependency",
        "a runtime dependency was removed from the metadata or no longer imports",
        ("footprint",),
    ),
    Risk("removed-data-file", "a package data file was deleted", ("footprint",)),
)

_BY_ID = {r.id: r for r in RISKS}

_CODE_RISKS = tuple(
    r.id
    for r in RISKS
    if set(r.test_kinds) & {"baseline", "edge", "differential", "state", "surface"}
)


@dataclass(frozen=True)
class GoalFamily:
    """A goal family: a value of ``kind:`` in improve.md and the regressions it invites.

    :param kind: the word users write in ``kind:`` (lower case).
    :param risks: what its generated tests guard, most likely first.
    :param description: one line for ``--help`` and error messages.
    :param needs_python_scope: generation needs Python modules in ``scope``.
    """

    kind: str
    risks: tuple[Risk, ...]
    description: str = ""
    needs_python_scope: bool = False


def _family(kind: str, ids: Sequence[str], description: str, python: bool) -> GoalFamily:
    return GoalFamily(kind, tuple(_BY_ID[i] for i in ids), description, python)


_QUALITY_RISKS = (
    "holdout-overfit",
    "overfit-gain",
    "memorized-golden-answers",
    "golden-read",
    "golden-embedded",
    "exact-match-special-case",
    "changed-output-shape",
    "duplicate-results",
    "ignored-limit",
    "unsorted-results",
    "invented-labels",
    "invented-ids",
    "unanswered-queries",
    "empty-input",
    "huge-input",
    "unicode-fast-path",
    "special-characters",
)
_SIZE_RISKS = (
    "removed-module",
    "broken-console-script",
    "dropped-dependency",
    "removed-data-file",
    "removed-feature",
)

#: The goal families this package serves. Speed and memory agents make the same kinds
#: of mistakes; ``other`` gets the same conservative set.
BUILTIN_FAMILIES: tuple[GoalFamily, ...] = (
    _family("speed", _CODE_RISKS, "faster, same behaviour", True),
    _family("memory", _CODE_RISKS, "less memory, same behaviour", True),
    _family("quality", _QUALITY_RISKS, "a better score on a golden set, honestly", False),
    _family("size", _SIZE_RISKS, "smaller, nothing users import or run removed", False),
    _family("other", _CODE_RISKS, "any other score, same behaviour", True),
)

#: Goal family -> the ids of the risks generated tests must guard for it (built-ins).
FAMILIES: dict[str, tuple[str, ...]] = {
    family.kind: tuple(r.id for r in family.risks) for family in BUILTIN_FAMILIES
}


def risk(risk_id: str) -> Risk:
    """The risk named ``risk_id``; ``KeyError`` when the catalog has none."""
    return _BY_ID[risk_id]


def risks_for(kind: str) -> tuple[Risk, ...]:
    """The risks of built-in goal family ``kind`` (empty when it is not built in)."""
    return tuple(_BY_ID[i] for i in FAMILIES.get(kind, ()))
