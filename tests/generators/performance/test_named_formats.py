"""Well-known formats named by the code: a URL validator gets URLs, not random text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from guarded import Guarded

from pytest_autoimprove.generators.discover import Param, Target
from pytest_autoimprove.generators.performance.named_formats import named_format

VALIDATORS = r'''
import re


def _pattern(require_tld):
    # Built at call time: no expression of the module says what a URL looks like.
    tld = r"\.[a-z]{2,}" if require_tld else r"(\.[a-z]{2,})?"
    host = r"(?P<host>[a-z0-9-]+(\.[a-z0-9-]+)*" + tld + ")"
    return re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://" + host + r"(:\d+)?(/\S*)?$", re.I)


class URL:
    """Validate a URL."""

    def __init__(self, schemes=("http", "https", "ftp"), require_tld=True):
        self.schemes = set(schemes)
        self.require_tld = require_tld

    def __call__(self, value):
        match = _pattern(self.require_tld).match(value)
        if match is None:
            raise ValueError(f"not a URL: {value!r}")
        scheme = match.group("scheme").lower()
        if scheme not in self.schemes:
            raise ValueError(f"scheme not allowed: {scheme}")
        return value
'''


def _param(name: str) -> Param:
    return Param(name, "positional", None, None, False)


def _target(qualname: str, *names: str) -> Target:
    return Target(qualname, "function", tuple(_param(n) for n in names), 1, "", ())


@pytest.mark.parametrize(
    ("qualname", "param", "expected"),
    [
        ("URL.__call__", "value", "URL"),
        ("validate_email", "value", "email address"),
        ("check", "ip_address", "IP address"),
        ("IPv6Network.__init__", "text", "IP address"),
        ("parse_date", "text", "ISO date"),
        ("to_json", "obj", None),  # writes the format: its argument is no JSON text
        ("format_date", "value", None),
        ("slugify", "text", None),
        ("sanitize_filename", "value", "file name or path"),
        ("FileNameValidator.validate", "value", "file name or path"),
        ("load", "file_path", "file name or path"),
        ("validate_abspath", "value", "file name or path"),
    ],
)
def test_the_format_a_name_says(qualname: str, param: str, expected: str | None) -> None:
    target = _target(qualname, param)
    found = named_format(target, target.params[0], target.params)
    assert (found.name if found else None) == expected


def test_only_the_first_text_parameter_takes_the_format_its_function_names() -> None:
    target = _target("is_email", "text", "strict")
    assert named_format(target, target.params[1], target.params) is None


def test_a_dropped_normalisation_past_the_format_check_is_caught(
    guarded: Callable[[str, str], Guarded],
) -> None:
    validators = guarded("validators", VALIDATORS)
    guard = validators.guard_text()
    assert "# a valid URL (named by the code)" in guard, guard[-3000:]
    # The scheme compared as written: 'HTTP://EXAMPLE.COM/Up' is rejected.
    validators.assert_caught(
        'scheme = match.group("scheme").lower()', 'scheme = match.group("scheme")'
    )
    # The group read by subscript: the same behaviour.
    validators.assert_passes(
        'scheme = match.group("scheme").lower()', 'scheme = match["scheme"].lower()'
    )


SANITIZER = """
RESERVED = '<>:|?*'


def sanitize_filename(filename, replacement="_"):
    # A name safe on every platform: reserved characters replaced, blanks and dots
    # trimmed at the end (Windows drops them), a leading dot kept (a hidden file).
    for ch in RESERVED:
        filename = filename.replace(ch, replacement)
    return filename.rstrip(" .")
"""


def test_a_file_name_parameter_gets_file_names(guarded: Callable[[str, str], Guarded]) -> None:
    # pathvalidate's sanitizer: '.hidden ' keeps its leading dot; one strip(' .') for
    # both ends loses it, and random text has neither a leading dot nor a trailing blank.
    project = guarded("sanitizer", SANITIZER)
    assert "# a valid file name or path (named by the code)" in project.guard_text()
    project.assert_caught('return filename.rstrip(" .")', 'return filename.strip(" .")')
    project.assert_passes('return filename.rstrip(" .")', 'return filename.rstrip(". ")')
