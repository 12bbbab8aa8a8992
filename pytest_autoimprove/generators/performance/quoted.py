"""Strings a docstring quotes: the author's own examples of a text parameter's input.

``Return a week from an ISO string like "2011W08" or "2011-W08".`` A parser that
rejects random text is only reached by valid input, and its docstring often shows
some. The quoted strings (in double quotes, single quotes or double backticks, one
line, short) of a function with one text parameter become that parameter's first
samples, and their near misses its edge values (see ``inputs._with_quoted``). A
quoted value with structure ('application/xhtml;q=0.5', "2011-W08") comes before a
quoted bare word ('params'), which is more often a name than an input.
Doctests (prompts and outputs) are left to :mod:`.doctests`.
"""

from __future__ import annotations

import re

__all__ = ["MAX_QUOTED", "quoted_examples"]

#: Quoted strings taken from one docstring, at most.
MAX_QUOTED = 6
_QUOTED = re.compile(r"""(?<![\w\\])(?:"([^"\n]{1,60})"|'([^'\n]{1,60})'|``([^`\n]{1,60})``)""")


def quoted_examples(docstring: str, skip: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The distinct strings ``docstring`` quotes outside its doctest lines, in order.

    :param skip: words that are names, not values (the parameters' own names).
    """
    found: list[str] = []
    in_example = False  # a doctest's prompts and the output lines under them
    for line in docstring.splitlines():
        stripped = line.strip()
        in_example = stripped.startswith(">>>") or in_example and bool(stripped)
        if in_example:
            continue
        for match in _QUOTED.finditer(line):
            text = next(g for g in match.groups() if g is not None)
            if text.strip() != text or text in skip or text in found:
                continue
            found.append(text)
    found.sort(key=str.isalpha)  # stable: values with structure first, words after
    return found[:MAX_QUOTED]
