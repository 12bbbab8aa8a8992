"""Numbers as text: code that reads numbers from text gets them in every spelling.

``float``, ``int`` and ``Decimal`` accept exponents, blanks, underscores, signs and
non-ASCII digits; an optimizer's hand-written check ("digits and one point") that is
faster than trying the conversion rejects some of them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.facts import read_facts

AMOUNTS = '''
def parse_amount(text):
    """The amount ``text`` states, or None when it states none."""
    try:
        return _number(text)
    except ValueError:
        return None


def _number(text):
    return float(text)


def label(text):
    return text.strip().title()
'''


def test_functions_that_read_numbers_from_text_directly_or_through_helpers() -> None:
    facts = read_facts(textwrap.dedent(AMOUNTS), "amounts")
    assert facts.converts == {"parse_amount": ["float"], "_number": ["float"]}


def test_a_hand_written_number_check_is_caught_and_a_right_fast_path_passes(
    guarded: Callable[[str, str], Guarded],
) -> None:
    amounts = guarded("amounts", AMOUNTS)
    guard = amounts.guard_text()
    assert "# a number as text with an exponent; guards format-fast-path" in guard
    label = guard.split("# --- label")[1].split("# --- ")[0]
    assert "number-text-text" in guard and "number-text" not in label
    # "Digits, a sign and one point" instead of trying float(): exponents, blanks,
    # underscores and non-ASCII digits are no longer amounts.
    proc = amounts.run_with(
        "    try:\n        return _number(text)\n",
        "    stripped = text[1:] if text[:1] in '+-' else text\n"
        "    if not stripped.replace('.', '', 1).isascii() or "
        "not stripped.replace('.', '', 1).isdigit():\n"
        "        return None\n"
        "    try:\n        return _number(text)\n",
    )
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "number-text-text" in proc.stdout, proc.stdout[-2000:]
    # A right fast path: plain ASCII digits go straight to float.
    amounts.assert_passes(
        "    try:\n        return _number(text)\n",
        "    if text.isascii() and text.isdigit():\n"
        "        return float(text)\n"
        "    try:\n        return _number(text)\n",
    )


SIGNED = '''
def spoken(text):
    """A whole number written as text, read out ("-3" is "minus 3")."""
    sign = "minus " if text.lstrip().startswith("-") else ""
    return sign + str(abs(int(text)))
'''


def test_a_sign_after_blanks_is_read(guarded: Callable[[str, str], Guarded]) -> None:
    # inflect's number_to_words: the sign read before the blanks are stripped (" -5"
    # loses it), a reordering that "-5" and " 5 " alone never show.
    project = guarded("signed", SIGNED)
    assert "# a number as text with a blank before its sign" in project.guard_text()
    project.assert_caught(
        '    sign = "minus " if text.lstrip().startswith("-") else ""\n',
        '    sign = "minus " if text.startswith("-") else ""\n',
    )
