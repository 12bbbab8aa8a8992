"""String helpers, untyped as much real code is."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
_SPECIAL = "\\-\"'*:()"


def slugify(text, sep="-"):
    """Lowercase the words of text and join them with sep."""
    if text is None:
        return ""
    return sep.join(_WORD.findall(text.lower()))


def escape_query(term):
    """Escape characters the query language treats as operators."""
    out = []
    for ch in term:
        if ch in _SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def word_counts(text):
    """Counts of each word, in order of first appearance."""
    counts = {}
    for word in _WORD.findall(text.lower()):
        counts[word] = counts.get(word, 0) + 1
    return counts


def truncate(text, width, suffix="..."):
    if width < 0:
        raise ValueError("width must be >= 0")
    if len(text) <= width:
        return text
    keep = max(width - len(suffix), 0)
    return text[:keep] + suffix


def unique_tokens(tokens):
    seen = []
    for token in tokens:
        if token not in seen:
            seen.append(token)
    return seen


def first_word(text):
    # Latent bug: an empty or blank text raises IndexError.
    return text.split()[0]
