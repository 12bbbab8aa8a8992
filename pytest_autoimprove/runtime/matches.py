"""A regular expression's match, found again for a frozen call.

Parsers built on regular expressions hand each match to the method that handles it:
mistune's ``InlineParser.parse_codespan(m, state)``, a tokenizer's ``re.sub``
callback. A match can neither be pickled nor written as a literal, so no call of such
a method was recorded, and the methods an optimizer rewrites first had no guardrail.
A recorded match is written as the call that finds it again::

    Build('pytest_autoimprove.runtime.matches.rematch', '`+', 32, 'a `b`', 'search', 0, 5)

:func:`recipe` picks, when the call is recorded, the way of finding it that gives the
same groups at the same places; :func:`rematch` repeats it at call time.

Imported by the frozen tests: standard library only.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MAX_TEXT", "recipe", "rematch"]

#: Longest searched text a recorded match may carry (the test file shows it whole).
MAX_TEXT = 4000

#: How a match is found again, tried in this order: the search that found it (a
#: scanner's ``search(text, pos)``), a match at its start, a full match of its span.
_WAYS = ("search", "match", "fullmatch")


def rematch(
    pattern: str | bytes, flags: int, text: str | bytes, how: str, pos: int, endpos: int
) -> re.Match[Any]:
    """The match ``re.compile(pattern, flags).<how>(text, pos, endpos)`` finds.

    Where it finds none, the text was edited (the search for an input that tells a
    mutant from the baseline replaces the texts of a recorded call): the handler gets
    the pattern's first match in the new text from ``pos`` on, else from its start.
    """
    if how not in _WAYS:
        raise ValueError(f"rematch: how must be one of {', '.join(_WAYS)}, not {how!r}")
    compiled: Any = re.compile(pattern, flags)
    found = getattr(compiled, how)(text, pos, endpos)
    if found is None:
        found = compiled.search(text, min(pos, len(text))) or compiled.search(text)
    if found is None:
        raise ValueError(f"rematch: {pattern!r} no longer finds a match in {text!r} at {pos}")
    return found  # type: ignore[no-any-return]


def recipe(found: re.Match[Any]) -> tuple[Any, ...] | None:
    """The arguments of :func:`rematch` that find ``found`` again with the same groups
    at the same places, or ``None`` (no way does, or the text is too long to show)."""
    text = found.string
    if len(text) > MAX_TEXT:
        return None
    compiled = found.re
    starts = (
        (found.pos, found.endpos),
        (found.start(), found.endpos),
        (found.start(), found.end()),
    )
    for how, (pos, endpos) in zip(_WAYS, starts, strict=True):
        again = getattr(compiled, how)(text, pos, endpos)
        if again is not None and again.regs == found.regs:
            return (compiled.pattern, compiled.flags, text, how, pos, endpos)
    return None
