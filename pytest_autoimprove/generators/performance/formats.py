"""Valid strings for the formats a module defines with regular expressions, and near misses.

A parser only reaches the code an optimizer changes when it is fed strings of its
format; random text is rejected at the first check. When a module compiles the
expressions that define its format (``DATE_RE = re.compile(...)``) or matches text
against one, those expressions say what a valid input looks like:

- :func:`valid_strings` takes the expression's full string and its one-choice
  variants (every optional part present, :mod:`regex_walk`), then strings drawn with
  Hypothesis' ``from_regex`` run derandomized (the same strings every time), printable
  ASCII first;
- :func:`corruptions` turns a valid string into the near misses a fast path gets wrong:
  a sign, a comma decimal, a non-ASCII digit, surrounding whitespace, a trailing
  newline (which ``$`` accepts), an inner control character, a missing last character,
  swapped case, a blank then a sign.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from pytest_autoimprove.generators import drawing_settings
from pytest_autoimprove.generators.performance.regex_walk import full_strings

__all__ = ["Corruption", "corruptions", "inline_flags", "valid_strings"]

#: Strings drawn per expression before the few kept are chosen.
DRAWN = 30
#: Longest valid string kept (a guardrail case stays readable).
MAX_LENGTH = 60
#: Drawn strings kept at least beside the walked ones (the simplest, a varied one).
DRAWN_KEPT = 2
_FLAG_LETTERS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.VERBOSE, "x"))
_FLAG_LETTERS_ASCII = ((re.ASCII, "a"),)


@dataclass(frozen=True)
class Corruption:
    """A near miss of a valid string, and what was done to it."""

    value: str
    how: str


def _draw(regex: re.Pattern[str], ascii_only: bool) -> list[str]:
    from hypothesis import given
    from hypothesis import strategies as st

    alphabet = st.characters(codec="ascii", exclude_categories=["Cc"]) if ascii_only else None
    found: list[str] = []

    @drawing_settings(DRAWN)
    @given(st.from_regex(regex, fullmatch=True, alphabet=alphabet))
    def collect(text: str) -> None:
        if text not in found:
            found.append(text)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            collect()
    except Exception:  # noqa: BLE001 - an expression from_regex cannot draw from
        return found
    return found


def valid_strings(pattern: str, flags: int = 0, count: int = 8) -> list[str]:
    """Up to ``count`` strings ``pattern`` matches in full: its full string and the
    variants of it (:mod:`regex_walk`), then the simplest drawn one and varied ones.

    Deterministic for a given Hypothesis version; empty when the expression can be
    neither walked nor drawn from.
    """
    try:
        regex = re.compile(pattern, flags)
    except (re.error, TypeError, ValueError, OverflowError):
        return []
    walked = full_strings(pattern, flags)[: max(0, count - DRAWN_KEPT)]
    drawn = _draw(regex, ascii_only=True) or _draw(regex, ascii_only=False)
    usable = [s for s in drawn if len(s) <= MAX_LENGTH and regex.fullmatch(s)]
    if not usable:
        return walked
    first, rest = usable[0], sorted(set(usable[1:]) - {usable[0]}, key=lambda s: (len(s), s))
    nonempty = [s for s in rest if s.strip()]
    picks = [first]
    room = count - len(walked) - 1
    if nonempty and room > 0:
        step = max(1, len(nonempty) // room)
        picks += nonempty[step - 1 :: step][:room]
    return walked + [s for s in picks if s not in walked]


def corruptions(valid: str) -> list[Corruption]:
    """Near misses of ``valid``, each a string a careless fast path accepts or rejects."""
    out: list[Corruption] = []

    def add(value: str, how: str) -> None:
        if value != valid and value not in [c.value for c in out]:
            out.append(Corruption(value, how))

    if "\n" in valid and "\r\n" not in valid:
        add(valid.replace("\n", "\r\n"), "Windows line endings")
    add(("+" if valid.startswith("-") else "-") + valid, "a sign in front")
    if "." in valid:
        add(valid.replace(".", ",", 1), "a comma decimal")
    digit = next((i for i, ch in enumerate(valid) if ch in "0123456789"), None)
    if digit is not None:
        add(valid[:digit] + "\u0663" + valid[digit + 1 :], "a non-ASCII digit")
    else:
        letter = next((i for i, ch in enumerate(valid) if ch.isascii() and ch.isalpha()), None)
        if letter is not None:
            add(valid[:letter] + "\u00e9" + valid[letter + 1 :], "a non-ASCII letter")
    add(f" {valid} ", "surrounding whitespace")
    add(valid + "\n", "a trailing newline")
    middle = len(valid) // 2
    add(valid[:middle] + "\x01" + valid[middle:], "an inner control character")
    if valid:
        add(valid[:-1], "the last character missing")
    add(valid.swapcase(), "swapped case")
    # Two at once: code that reads the sign before it strips the blanks loses it.
    add(f" {'+' if valid.startswith('-') else '-'}{valid}", "a blank, then a sign")
    return out


def inline_flags(pattern: str, flags: int) -> str:
    """``pattern`` with its flags written inline (``(?i)...``), for a test file."""
    letters = "".join(letter for flag, letter in _FLAG_LETTERS if flags & flag)
    letters += "".join(letter for flag, letter in _FLAG_LETTERS_ASCII if flags & flag)
    return f"(?{letters}){pattern}" if letters else pattern
