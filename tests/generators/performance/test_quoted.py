"""Strings a docstring quotes are a text parameter's first inputs."""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.quoted import MAX_QUOTED, quoted_examples


def test_quoted_strings_are_read_outside_doctest_lines() -> None:
    doc = """Return a week from an ISO string like "2011W08" or '2011-W08'.

    The ``text`` is stripped first; `` padded `` is not an example.
    >>> fromstring("2011W09")
    Week(year=2011, week="09")

    Or "2011W10"; a doctest's prompts and outputs are the doctests' own.
    """
    assert quoted_examples(doc, {"text"}) == ["2011W08", "2011-W08", "2011W10"]
    many = " ".join(f'"v{i}"' for i in range(MAX_QUOTED + 3))
    assert len(quoted_examples(many)) == MAX_QUOTED
    assert quoted_examples("it's the caller's \"own\" word") == ["own"]
    # A value with structure leads; a quoted word is more often a name than an input.
    doc = "a tuple whose 'params' is a dict: 'application/xhtml;q=0.5' gives ('q', '0.5')"
    assert quoted_examples(doc) == ["application/xhtml;q=0.5", "0.5", "params", "q"]


WEEKS = '''
def week_number(isostring):
    """The week of an ISO week string, "2011W08" or "2011-W08"."""
    if isinstance(isostring, str) and len(isostring) == 7 and isostring[4] == "W":
        return int(isostring[5:7])
    if isinstance(isostring, str) and len(isostring) == 8 and isostring[4:6] == "-W":
        return int(isostring[6:8])
    raise ValueError(f"not an ISO week: {isostring!r}")
'''


def test_a_parser_that_refuses_random_text_gets_its_docstring_examples(
    guarded: Callable[[str, str], Guarded],
) -> None:
    weeks = guarded("weeks", WEEKS)
    assert "# a string the docstring quotes" in weeks.guard_text()
    # The dashed form dropped by a fast path: only the quoted example reaches it.
    weeks.assert_caught(
        'if isinstance(isostring, str) and len(isostring) == 8 and isostring[4:6] == "-W":',
        "if False:",
    )
    # Slicing once: the same behaviour.
    weeks.assert_passes("return int(isostring[6:8])", "return int(isostring[-2:])")
