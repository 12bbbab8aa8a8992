"""An ordinary text with other blanks, and in swapped case: where a normalisation looks.

A tokenizer that skips ``' \\t\\n\\r'`` and a rewrite that skips ``str.isspace()`` agree
on every text but one with a vertical tab or a no-break space in it; a keyword lookup
that lowercases first and one that does not agree on every lowercase text. Edge values
made from scratch are refused before the normalisation is reached; the text the code
accepts, changed only there, is not.
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.values import OTHER_BLANKS, text_variants

TOKENS = '''
def tokens(text: str) -> list[str]:
    """The words and parentheses of ``text``; blanks are spaces, tabs and line ends."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch in " \\t\\r\\n" or ch in "()":
            if word:
                out.append(word)
            word = ""
            if ch in "()":
                out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    return out
'''

KEYWORDS = '''
_KEYWORDS = {"and": "AND", "or": "OR", "not": "NOT"}


def classify(word: str) -> str:
    """The token kind of ``word``: a keyword in any case, else a name.

    >>> classify("and")
    'AND'
    >>> classify("apple")
    'NAME'
    """
    return _KEYWORDS.get(word.lower(), "NAME")
'''


def test_the_first_text_with_words_gets_other_blanks_and_the_first_cased_one_swaps() -> None:
    assert text_variants(["", "not a", 3]) == [
        (f"not{OTHER_BLANKS[0]}a", "an ordinary text with other blanks between its words"),
        ("NOT A", "an ordinary text in swapped case"),
    ]
    blanks = text_variants(["a b c d e"])[0][0]
    assert blanks.split() == ["a", "b", "c", "d", "e"] and blanks.count(" ") == 2
    assert text_variants([" ", "42", b"a b"]) == []
    assert text_variants(["42 7"]) == [(f"42{OTHER_BLANKS[0]}7", text_variants(["x y"])[0][1])]


def test_a_blank_test_widened_to_isspace_is_caught(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("tokens", TOKENS)
    assert "an ordinary text with other blanks between its words" in project.guard_text()
    project.assert_caught('        if ch in " \\t\\r\\n" or', "        if ch.isspace() or")
    project.assert_passes('        if ch in " \\t\\r\\n" or', '        if ch in "\\n\\r \\t" or')


def test_a_skipped_lowercasing_is_caught(guarded: Callable[[str, str], Guarded]) -> None:
    project = guarded("keywords", KEYWORDS)
    assert "guards skipped-normalisation" in project.guard_text()
    project.assert_caught("_KEYWORDS.get(word.lower(),", "_KEYWORDS.get(word,")
    project.assert_passes("_KEYWORDS.get(word.lower(),", "_KEYWORDS.get(word.casefold(),")
