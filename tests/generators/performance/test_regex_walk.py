"""regex_walk.py: the full string of an expression and its one-choice variants."""

from __future__ import annotations

import datetime
import re

import pytest

from pytest_autoimprove.generators.performance.regex_walk import full_strings

# The shape of a real ISO 8601 parser's expression: nearly everything optional.
ISO = r"""
    (?P<year>[0-9]{4})
    (
        (-(?P<month>[0-9]{1,2}))
        (
            (-(?P<day>[0-9]{1,2}))
            (
                (?P<separator>[ T])
                (?P<hour>[0-9]{2})
                (:(?P<minute>[0-9]{2}))?
                (:(?P<second>[0-9]{2})([.,](?P<fraction>[0-9]+))?)?
                (?P<timezone>Z|(?P<sign>[-+])(?P<tz_hour>[0-9]{2}):?(?P<tz_minute>[0-9]{2})?)?
            )?
        )?
    )?
    $
"""


def _parse(text: str) -> datetime.datetime:
    m = re.match(ISO, text, re.VERBOSE)
    assert m is not None
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    return datetime.datetime(int(g["year"]), int(g.get("month", 1)), int(g.get("day", 1)))


def test_the_full_string_takes_every_optional_part_with_values_a_parser_accepts() -> None:
    # from_regex draws '2557' or '4244-72': the time, the fraction and the offset never
    # reach the parser, and month 72 is rejected anyway.
    strings = full_strings(ISO, re.VERBOSE)
    assert strings[0] == "1111-1-1 11:11:11.1Z"
    assert all(re.fullmatch(ISO, s, re.VERBOSE) for s in strings)
    assert all(_parse(s).year == 1111 for s in strings)


def test_each_variant_changes_one_choice() -> None:
    strings = full_strings(ISO, re.VERBOSE)
    assert "1111-1-1T11:11:11.1Z" in strings  # the other separator
    assert "1111-1-1 11:11:11,1Z" in strings  # a comma decimal
    assert "1111-1-1 11:11:11.1-11:11" in strings  # an offset instead of Z
    assert len(strings) == len(set(strings))
    assert full_strings(ISO, re.VERBOSE) == strings  # the same every time


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # A class of letters and digits takes a letter once; a repeat is one choice.
        (r"[a-z][a-z0-9_]*", ["a1", "aa", "a"]),
        (r"#[0-9a-fA-F]{6}", ["#111111", "#aaaaaa"]),
        # Kinds of change take turns: a group left out, another alternative, then a
        # prefix or separator left out.
        (
            r"\d+(\.\d*)?([eE][-+]?\d+)?",
            ["1.1e-1", "1e-1", "1.1E-1", "1.1", "1.1e+1", "1.e-1", "1.1e1"],
        ),
        (r"(?:(\d+)d)?(?:(\d+)h)?", ["1d1h", "1h", "1d"]),
        (r"(?P<q>['\"])\w+(?P=q)", ["'a'", '"a"']),  # a back-reference repeats its group
        (r"[^a-z\d]\S", ["Aa"]),  # a negated class takes a character outside it
        (r"ab(?!$)", []),  # a look-ahead the full string fails: nothing kept
        (r"(?<=a)b", []),
        (r"(unclosed", []),
        # Case ignored: the full string in the other case right after it, then every
        # other variant in the other case.
        (r"(?i)\d[°](?P<dir>[NS])?", ["1°N", "1°n", "1°", "1°S"]),
        (r"(?i)(?P<a>x)?(?P<b>y)?(?P<c>z)?", ["xyz", "XYZ", "YZ", "xz", "XY"]),
    ],
)
def test_expressions(pattern: str, expected: list[str]) -> None:
    assert full_strings(pattern) == expected


# A version format: many choice points; its last parts (the dev release, the local
# label) are what an optimizer's fast path for "no pre-release" or a lower-casing gets
# wrong, and they sit after a branch of eight alternatives.
VERSION = r"""
    v?
    (?:(?P<epoch>[0-9]+)!)?
    (?P<release>[0-9]+(?:\.[0-9]+)*)
    (?P<pre>[-_\.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_\.]?(?P<pre_n>[0-9]+)?)?
    (?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_\.]?(?P<post_l>post|rev|r)[-_\.]?(?P<post_n2>[0-9]+)?))?
    (?P<dev>[-_\.]?(?P<dev_l>dev)[-_\.]?(?P<dev_n>[0-9]+)?)?
    (?:\+(?P<local>[a-z0-9]+(?:[-_\.][a-z0-9]+)*))?
"""


def test_every_part_of_a_long_expression_varies_before_any_varies_twice() -> None:
    strings = full_strings(VERSION, re.VERBOSE | re.IGNORECASE)
    groups = [re.fullmatch(VERSION, s, re.VERBOSE | re.IGNORECASE) for s in strings]
    assert all(groups)
    # Each named part is left out once (a post and a dev release without a pre-release).
    assert any(g["pre"] is None and g["post"] and g["dev"] for g in groups if g)
    assert any(g["local"] is None for g in groups if g)
    # The local label takes a letter, in upper case once (the format ignores case).
    assert any(g["local"] and any(c.isupper() for c in g["local"]) for g in groups if g)
    assert len(strings) <= 2 + 16
