"""Documents: one line per pattern a parser uses, then three patterns in a row.

A parser that reads a stream line by line through many expressions (a directive, a
name, a separator, a value, a comment) gets, beside random text, a text whose lines
are each expression's valid string, and lines of three expressions in a row as the
module defines them, which often make a whole statement (``name: 'value'``).
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

CONF = r'''
import re
from typing import IO, Iterator, Tuple


def pattern(text: str) -> "re.Pattern[str]":
    return re.compile(text, re.UNICODE)


_directive = pattern(r"(?:@set +)?")
_name = pattern(r"([a-z][a-z0-9_]*)")
_colon = pattern(r"(: *)")
_quoted = pattern(r"'((?:\\'|[^'])*)'")
_bare = pattern(r"([^;\r\n]*)")
_comment = pattern(r"(?: *;[^\r\n]*)?")


def read_entries(stream: IO[str]) -> Iterator[Tuple[str, str, bool]]:
    """(name, value, set by a directive) for every entry line of ``stream``."""
    for line in stream.read().splitlines():
        if _comment.fullmatch(line):
            continue
        directive = _directive.match(line)
        rest = line[directive.end():]
        name = _name.match(rest)
        if name is None:
            continue
        rest = rest[name.end():]
        colon = _colon.match(rest)
        if colon is None:
            continue
        rest = rest[colon.end():]
        quoted = _quoted.match(rest)
        if quoted:
            value = quoted.group(1).replace("\\'", "'")
        else:
            value = _bare.match(rest).group(1).strip()
        yield name.group(1), value, bool(directive.group(0))
'''


def test_a_stream_parser_gets_a_document_of_its_format(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("conf", CONF)
    text = project.guard_text()
    assert "one per pattern of the format" in text
    assert project.run_with("import re", "import re").returncode == 0
    regressions = {
        # The directive prefix is no longer recognised: '@set' lines lose their flag.
        "directive": ("bool(directive.group(0))", "False"),
        # Quoted values keep their escapes.
        "escape": ('quoted.group(1).replace("\\\\\'", "\'")', "quoted.group(1)"),
    }
    for name, (old, new) in regressions.items():
        proc = project.run_with(old, new)
        assert proc.returncode == 1, (name, proc.stdout[-1500:])
    # Honest: the escaped quote replaced only when there is one.
    project.assert_passes(
        '            value = quoted.group(1).replace("\\\\\'", "\'")\n',
        "            value = quoted.group(1)\n"
        '            if "\\\\\'" in value:\n'
        '                value = value.replace("\\\\\'", "\'")\n',
    )


DEGREES = r'''
import re
from typing import Union


def dms_to_float(dms: Union[str, float], limit: Union[float, None] = None) -> float:
    """Degrees°minutes'[N|S|E|W], or a number in a string, as a float."""
    try:
        res = float(dms)
    except (ValueError, TypeError) as exc:
        _dms_re = r"(?P<deg>\d{1,3})[°]((?P<min>\d{1,2})['])?(?P<dir>[NSEW])?"
        found = re.match(_dms_re, str(dms), flags=re.IGNORECASE)
        if not found:
            raise ValueError("not degrees") from exc
        res = float(found.group("deg")) + float(found.group("min") or 0) / 60
        if (found.group("dir") or "E").upper() in ["S", "W"]:
            res = -res
    if limit is not None:
        res = max(-limit, min(limit, res))
    return res
'''


def test_a_format_named_inside_the_function_reaches_its_parser(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # The pattern is a local name and the text reaches it through str(dms): valid
    # strings of the format still reach the parser, in both cases (re.IGNORECASE).
    project = guarded("degrees", DEGREES)
    # guards: a normalisation (.upper()) dropped from a comparison
    project.assert_caught('(found.group("dir") or "E").upper()', '(found.group("dir") or "E")')


PATTERNS = r'''
def normalize(pattern: str) -> str:
    """A gitignore line without its surrounding blanks; an escaped trailing space stays."""
    if pattern in ("#", "!", "/", "**", "***", "//"):  # many literals before the one
        return pattern
    if pattern.endswith("\\ "):
        pattern = pattern.lstrip()
    else:
        pattern = pattern.strip()
    return pattern.replace("\\ ", " ")
'''


def test_a_special_case_at_an_end_of_the_text_is_reached(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("patterns", PATTERNS)
    # The literal at the end of ordinary text: the special case met by a real pattern.
    assert "Case('affix-pattern-0', args=('Hello World_42\\\\ ',)" in project.guard_text()
    # guards: a special case for one ending dropped (the escaped space stripped too)
    project.assert_caught(
        '    if pattern.endswith("\\\\ "):\n        pattern = pattern.lstrip()\n    else:\n'
        "        pattern = pattern.strip()\n",
        "    pattern = pattern.strip()\n",
    )


def test_a_parameter_that_may_be_text_gets_the_codes_literals_too(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # pattern: Union[str, bytes] (AnyStr): text is one of its forms.
    source = "from typing import Union\n" + PATTERNS.replace(
        '(pattern: str) -> str:\n    """',
        '(pattern: Union[str, bytes]) -> str:\n    """',
    ).replace(
        "    if pattern in (",
        "    if isinstance(pattern, bytes):\n"
        "        pattern = pattern.decode()\n"
        "    if pattern in (",
    )
    project = guarded("patterns", source)
    assert "Case('affix-pattern-0', args=('Hello World_42\\\\ ',)" in project.guard_text()


ESCAPES = r'''
import re


def process_escapes(text):
    """Backslash escapes as HTML entities."""
    text = re.sub(r"\\\\", "&#92;", text)
    text = re.sub(r'\\"', "&#34;", text)
    text = re.sub(r"\\'", "&#39;", text)
    text = re.sub(r"\\\.", "&#46;", text)
    text = re.sub(r"\\-", "&#45;", text)
    text = re.sub(r"\\`", "&#96;", text)
    return text
'''


def test_a_chain_of_inline_expressions_meets_each_of_them(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # smartypants' process_escapes: six re.sub calls; only the first three expressions'
    # strings reached the function, so forgetting the last escape went unseen.
    project = guarded("escapes", ESCAPES)
    project.assert_caught('    text = re.sub(r"\\\\`", "&#96;", text)\n', "")


SUBTITLES = r'''
import re
from typing import List, Sequence

TIMING = re.compile(r"(\d{2}):(\d{2}),(\d{3}) => (\d{2}):(\d{2}),(\d{3})")


def is_cue(lines: Sequence[str]) -> bool:
    """A cue: its timing line first, or after an identifier line."""
    if len(lines) >= 2 and TIMING.match(lines[1]):
        return True
    return bool(lines) and TIMING.match(lines[0]) is not None


def cue_seconds(lines: Sequence[str]) -> List[float]:
    """The start and end of a cue's timing line, in seconds."""
    for line in lines:
        found = TIMING.match(line)
        if found:
            h1, m1, ms1, h2, m2, ms2 = map(int, found.groups())
            return [h1 * 60 + m1 + ms1 / 1000, h2 * 60 + m2 + ms2 / 1000]
    return []
'''


def test_lines_of_text_get_the_format_s_lines(guarded: Callable[[str, str], Guarded]) -> None:
    project = guarded("subtitles", SUBTITLES)
    assert "valid TIMING string" in project.guard_text()
    # A cue with an identifier line before its timing is no longer one.
    project.assert_caught(
        "    if len(lines) >= 2 and TIMING.match(lines[1]):\n        return True\n", ""
    )
    # The milliseconds dropped from the end time.
    project.assert_caught("m2 + ms2 / 1000]", "m2]")
    # Honest: the same match, its start position written out.
    project.assert_passes("found = TIMING.match(line)", "found = TIMING.match(line, 0)")
