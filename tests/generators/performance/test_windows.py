"""A position into a text (``s[end:end + 1]``) is called only within that text."""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.facts import read_facts

SCANNER = """
def get_eol(s: str, end: int) -> int:
    while 1:
        ch = s[end:end + 1]
        if ch == '\\r' or ch == '\\n' or ch == '':
            return end
        end += 1


def tail(items: list, count: int) -> list:
    return items[-count:]
"""

LOOP = """    while 1:
        ch = s[end:end + 1]
        if ch == '\\r' or ch == '\\n' or ch == '':
            return end
        end += 1
"""

FIND = """    cr = s.find('\\r', end)
    lf = s.find('\\n', end)
    if cr < 0:
        return len(s) if lf < 0 else lf
    return cr if lf < 0 or cr < lf else lf
"""


def test_a_window_at_a_parameter_makes_it_a_position_in_the_other() -> None:
    windows = read_facts(SCANNER, "scan").windows
    assert windows == {"get_eol": {"end": "s"}}  # tail's slice has one bound only


def test_an_honest_rewrite_past_the_end_of_the_text_is_no_false_alarm(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # hjson's getEol(s, end) rewritten with str.find answers len(s) where the loop
    # answered end, for a position past the text: 20 frozen cases (a random 979768, the
    # integer edges) failed an honest rewrite.
    project = guarded("scan", SCANNER)
    assert "# end at 14 of s's 14; guards off-by-one" in project.guard_text()
    project.assert_passes(LOOP, FIND)
    # guards: a lone carriage return no longer ends the line
    project.assert_caught("if ch == '\\r' or ch == '\\n'", "if ch == '\\n'")


MATCH = """
def match(text: str, pattern: str, loc: int) -> int:
    '''The first index from ``loc`` where ``pattern`` starts in ``text``; -1 if none.
    ``loc`` is brought into the text first.'''
    loc = max(0, min(loc, len(text)))
    if text[loc:loc + len(pattern)] == pattern:
        return loc
    return text.find(pattern, loc)
"""


def test_a_position_the_code_clamps_itself_takes_any_value(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # diff-match-patch's match_main(text, pattern, loc) clamps loc: a position past
    # the text is its contract, and a rewrite that drops the clamp answers otherwise.
    assert read_facts(MATCH, "match").windows == {}
    project = guarded("match", MATCH)
    project.assert_caught("    loc = max(0, min(loc, len(text)))\n", "")
    project.assert_passes("max(0, min(loc, len(text)))", "min(max(loc, 0), len(text))")
