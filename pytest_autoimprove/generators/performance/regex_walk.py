"""Full strings of a format: every optional part of its expression taken, one choice at a time.

Hypothesis' ``from_regex`` draws short strings: the optional parts of an expression
(``(...){0,1}``, ``?``, ``*``) are mostly left out, so a date format yields ``'2557'``
and never the time, the fraction or the offset, the parts an optimizer rewrites. And
random digits rarely make a valid value (month ``72``). This module walks the parsed
expression instead:

- the *full* string takes every optional part once, the first alternative of every
  branch, the first character of every class, and ``1`` for a digit (a valid month,
  day, hour, count and index alike): ``'1111-11-11 11:11:11.1Z'``;
- each *variant* changes one choice: an optional part that holds a group of the
  format left out (the pre-release of a version, the offset of a time), another
  alternative of a branch (the ``+hh:mm`` offset instead of ``Z``), another character
  of a small class (``,`` for ``.``, ``-`` for ``+``), a letter where a class takes
  letters or digits (``+abc`` for ``+111``), another optional part left out (a
  prefix, a separator): the forms a fast path drops, or takes for another;
- the kinds of change take turns (a prefix or separator left out waits for the
  others), and each choice point changes once before any changes twice, so the last
  parts of a long expression vary too, not only its first;
- an expression that ignores case gives its full string in the other case right
  after it, and every other variant in the other case (``1°1's`` after ``1°1'S``).

Only strings the expression matches in full are kept (a look-ahead may refuse one).
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

if sys.version_info >= (3, 11):
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_parse

__all__ = ["full_strings"]

#: Variants (one changed choice each) walked per expression.
MAX_VARIANTS = 16
#: A character class of at most this many characters offers each as a variant.
SMALL_CLASS = 4
#: Longest full string kept (a guardrail case stays readable).
MAX_LENGTH = 80
#: Characters tried, in order, for a class given by ranges, categories or a negation.
_CANDIDATES = "1aA _-.:/,+0xT"
_CATEGORY_CHAR = {
    "DIGIT": "1",
    "NOT_DIGIT": "a",
    "WORD": "a",
    "NOT_WORD": " ",
    "SPACE": " ",
    "NOT_SPACE": "a",
    "LINEBREAK": "\n",
    "NOT_LINEBREAK": "a",
}

Choose = Callable[[int], int]  # number of options -> the option taken

#: Kinds of choice point, in the order their variants take turns.
_GROUP_LEFT_OUT, _ALTERNATIVE, _LETTER, _PART_LEFT_OUT = range(4)


def full_strings(pattern: str, flags: int = 0) -> list[str]:
    """The full string of ``pattern``, then its one-choice variants; only those it
    matches in full, without repeats. Empty when the expression cannot be parsed."""
    try:
        regex = re.compile(pattern, flags)
        tree = sre_parse.parse(pattern, flags)
    except (re.error, TypeError, ValueError, OverflowError, RecursionError):
        return []
    out: list[str] = []
    for overrides in _choices(tree):
        try:
            text = _Walk(overrides).sequence(tree)
        except (RecursionError, _Unwalkable):
            continue
        if text not in out and len(text) <= MAX_LENGTH and regex.fullmatch(text):
            out.append(text)
    if regex.flags & re.IGNORECASE and out:
        # A format that ignores case takes the other case too: the form a rewrite
        # dropping the flag, or an .upper(), loses. Every other variant is written in
        # it, so both cases reach each part of the format without doubling the count.
        cased = [out[0], out[0].swapcase()]
        cased += [t.swapcase() if i % 2 == 0 else t for i, t in enumerate(out[1:])]
        out = list(dict.fromkeys(t for t in cased if regex.fullmatch(t)))
    return out


class _Unwalkable(Exception):
    """A construct the walk does not write (a class nothing in the candidates fits)."""


def _choices(tree: Any) -> Iterator[dict[int, int]]:
    """No override (the full string), then one other option of one choice point at a
    time: the kinds of point take turns (parts left out that hold no group last), and
    every point's second option comes before any point's third (walk order within a
    kind)."""
    counting = _Walk({})
    try:
        counting.sequence(tree)
    except (RecursionError, _Unwalkable):
        return
    yield {}
    queues: list[list[dict[int, int]]] = []
    for kind in range(_PART_LEFT_OUT + 1):
        points = [(i, n) for i, (n, k) in enumerate(counting.points) if k == kind]
        widest = max((n for _, n in points), default=0)
        queues.append([{i: o} for o in range(1, widest) for i, n in points if o < n])
    # A prefix or a separator left out matters least: it waits for the others.
    first, last = queues[:_PART_LEFT_OUT], queues[_PART_LEFT_OUT]
    turns = (q[t] for t in range(max(map(len, first))) for q in first if t < len(q))
    yield from itertools.islice(itertools.chain(turns, last), MAX_VARIANTS)


class _Walk:
    """One walk of a parsed expression; ``overrides`` maps a choice point to an option."""

    def __init__(self, overrides: dict[int, int]) -> None:
        self.overrides = overrides
        self.points: list[tuple[int, int]] = []  # (options, kind) of each point, in walk order
        self.groups: dict[int, str] = {}

    def choose(self, options: int, kind: int = _ALTERNATIVE) -> int:
        point = len(self.points)
        self.points.append((options, kind))
        return min(self.overrides.get(point, 0), options - 1)

    def sequence(self, items: Any) -> str:
        return "".join(self.item(str(op), av) for op, av in items)

    def item(self, op: str, av: Any) -> str:
        if op in ("LITERAL", "LITERAL_IGNORE", "LITERAL_UNI_IGNORE"):
            return chr(av)
        if op.startswith("NOT_LITERAL"):
            return "a" if av != ord("a") else "b"
        if op == "ANY":
            return "a"
        if op.startswith("IN"):
            return self.char_class(av)
        if op == "BRANCH":
            alternatives = av[1]
            return self.sequence(alternatives[self.choose(len(alternatives))])
        if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = av
            times = max(low, 1) if high else 0
            if low == 0 and high:
                kind = _GROUP_LEFT_OUT if _holds_group(body) else _PART_LEFT_OUT
                times = 0 if self.choose(2, kind) else times
            # Walked once and repeated: one choice point per repeat, not one per copy.
            return self.sequence(body) * min(times, 64) if times else ""
        if op == "SUBPATTERN":
            group, body = av[0], av[-1]
            text = self.sequence(body)
            if group is not None:
                self.groups[group] = text
            return text
        if op == "ATOMIC_GROUP":
            return self.sequence(av)
        if op.startswith("GROUPREF_EXISTS"):
            group, yes, no = av
            return self.sequence(yes if group in self.groups else (no or []))
        if op.startswith("GROUPREF"):
            return self.groups.get(av, "")
        return ""  # AT anchors, look-arounds: they write nothing

    def char_class(self, items: Any) -> str:
        negated = bool(items) and str(items[0][0]) == "NEGATE"
        members = items[1:] if negated else items
        if not negated:
            literals = [chr(av) for op, av in members if str(op) == "LITERAL"]
            if len(literals) == len(members) and 1 < len(literals) <= SMALL_CLASS:
                return literals[self.choose(len(literals))]
            first = _first_member(members)
            if first is not None:
                other = _letter_for_digit(first, members)
                return first if other is None else (first, other)[self.choose(2, _LETTER)]
        for ch in _CANDIDATES:
            if _in_class(ch, members) != negated:
                return ch
        raise _Unwalkable


def _first_member(members: Any) -> str | None:
    """A character of a (not negated) class: ``1`` where a digit fits, else its first."""
    for op, av in members:
        name = str(op)
        if name == "RANGE" and av[0] <= ord("1") <= av[1]:
            return "1"
        if name == "CATEGORY" and str(av).endswith("DIGIT") and "NOT" not in str(av):
            return "1"
    if not members:
        return None
    op, av = members[0]
    if str(op) == "LITERAL":
        return chr(av)
    if str(op) == "RANGE":
        return chr(av[0])
    if str(op) == "CATEGORY":
        return _CATEGORY_CHAR.get(str(av).replace("CATEGORY_", "").replace("UNI_", ""))
    return None


def _letter_for_digit(first: str, members: Any) -> str | None:
    """A letter of a class whose first character is a digit (``[a-z0-9]``, ``\\w``)."""
    if not first.isdigit():
        return None
    return next((ch for ch in "aA" if _in_class(ch, members)), None)


def _holds_group(body: Any) -> bool:
    """Whether a parsed part holds a capturing group (a named part of the format)."""
    for op, av in body:
        name = str(op)
        if name == "SUBPATTERN" and (av[0] is not None or _holds_group(av[-1])):
            return True
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and _holds_group(av[2]):
            return True
        if name == "BRANCH" and any(_holds_group(alt) for alt in av[1]):
            return True
        if name == "ATOMIC_GROUP" and _holds_group(av):
            return True
    return False


def _in_class(ch: str, members: Any) -> bool:
    code = ord(ch)
    for op, av in members:
        name = str(op)
        if name == "LITERAL" and av == code:
            return True
        if name == "RANGE" and av[0] <= code <= av[1]:
            return True
        if name == "CATEGORY":
            kind = str(av).replace("CATEGORY_", "").replace("UNI_", "")
            probe = {"DIGIT": r"\d", "WORD": r"\w", "SPACE": r"\s"}.get(kind.replace("NOT_", ""))
            if probe is not None and bool(re.fullmatch(probe, ch)) != kind.startswith("NOT_"):
                return True
    return False
