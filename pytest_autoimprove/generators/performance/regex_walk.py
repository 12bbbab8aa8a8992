"""Full strings of a format: every optional part of its expression taken, one choice at a time.

Hypothesis' ``from_regex`` draws short strings: the optional parts of an expression
(``(...){0,1}``, ``?``, ``*``) are mostly left out, so a date format yields ``'2557'``
and never the time, the fraction or the offset, the parts an optimizer rewrites. And
random digits rarely make a valid value (month ``72``). This module walks the parsed
expression instead:

- the *full* string takes every optional part once, the first alternative of every
  branch, the first character of every class, and ``1`` for a digit (a valid month,
  day, hour, count and index alike): ``'1111-11-11 11:11:11.1Z'``;
- each *variant* changes one choice: another alternative of a branch (the ``+hh:mm``
  offset instead of ``Z``) or another character of a small class (``,`` for ``.``,
  ``-`` for ``+``): the forms a fast path drops;
- an expression that ignores case gives each string in the other case too, right
  after it (``1°1's`` after ``1°1'S``).

Only strings the expression matches in full are kept (a look-ahead may refuse one).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

if sys.version_info >= (3, 11):
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_parse

__all__ = ["full_strings"]

#: Variants (one changed choice each) walked per expression, in the expression's order.
MAX_VARIANTS = 10
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
    if regex.flags & re.IGNORECASE:
        # A format that ignores case takes each string in the other case too: the form
        # a rewrite dropping the flag, or an .upper(), loses.
        both = (case for text in out for case in (text, text.swapcase()))
        out = list(dict.fromkeys(case for case in both if regex.fullmatch(case)))
    return out


class _Unwalkable(Exception):
    """A construct the walk does not write (a class nothing in the candidates fits)."""


def _choices(tree: Any) -> Iterator[dict[int, int]]:
    """No override (the full string), then each choice point's other options in turn."""
    counting = _Walk({})
    try:
        counting.sequence(tree)
    except (RecursionError, _Unwalkable):
        return
    yield {}
    made = 0
    for point, options in enumerate(counting.points):
        for option in range(1, options):
            if made == MAX_VARIANTS:
                return
            made += 1
            yield {point: option}


class _Walk:
    """One walk of a parsed expression; ``overrides`` maps a choice point to an option."""

    def __init__(self, overrides: dict[int, int]) -> None:
        self.overrides = overrides
        self.points: list[int] = []  # options at each choice point, in walk order
        self.groups: dict[int, str] = {}

    def choose(self, options: int) -> int:
        point = len(self.points)
        self.points.append(options)
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
            return "".join(self.sequence(body) for _ in range(min(times, 64)))
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
                return first
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
