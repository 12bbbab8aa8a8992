"""A recorded match is found again with the same groups at the same places."""

from __future__ import annotations

import re

import pytest

from pytest_autoimprove.runtime.matches import MAX_TEXT, recipe, rematch


def _again(found: re.Match[str]) -> re.Match[str]:
    made = recipe(found)
    assert made is not None
    return rematch(*made)


def test_a_scanners_search_is_repeated_from_where_it_started() -> None:
    pattern = re.compile(r"`+|\*")
    found = pattern.search("a `b` *c*", 3)
    assert found is not None
    again = _again(found)
    assert (again.span(), again.group(), again.pos) == ((4, 5), "`", 3)
    assert recipe(found) == (pattern.pattern, pattern.flags, "a `b` *c*", "search", 3, 9)


def test_a_substitution_callbacks_match_is_found_at_its_own_start() -> None:
    seen: list[re.Match[str]] = []
    re.sub(r"(\w)(\w*)", lambda m: seen.append(m) or "", "ab cd")
    second = seen[1]  # its pos is 0: a search from there finds the first word
    again = _again(second)
    assert (again.span(), again.groups()) == ((3, 5), ("c", "d"))


def test_a_full_match_keeps_its_whole_span() -> None:
    found = re.fullmatch(r"a|ab", "ab")  # a match at 0 would stop after "a"
    assert found is not None
    made = recipe(found)
    assert made is not None and made[3] == "fullmatch"
    assert rematch(*made).group() == "ab"


def test_bytes_and_flags_survive() -> None:
    found = re.compile(rb"^K(\d+)$", re.MULTILINE | re.IGNORECASE).search(b"x\nk12\n")
    assert found is not None
    assert _again(found).group(1) == b"12"


def test_a_text_too_long_to_show_is_not_recorded() -> None:
    found = re.search("b", "a" * MAX_TEXT + "b")
    assert found is not None and recipe(found) is None


def test_an_edited_text_gives_the_patterns_next_match() -> None:
    # Recorded on "a `b`" at 2; the search for a telling input put other text there.
    assert rematch("`+", 0, "x ``y``", "search", 2, 5).span() == (2, 4)
    assert rematch("`+", 0, "`y", "match", 2, 5).span() == (0, 1)


def test_a_pattern_that_no_longer_matches_says_so() -> None:
    with pytest.raises(ValueError, match="no longer finds a match in 'xyz' at 0"):
        rematch("a", 0, "xyz", "search", 0, 3)
    with pytest.raises(ValueError, match="how must be one of"):
        rematch("a", 0, "a", "scan", 0, 1)
