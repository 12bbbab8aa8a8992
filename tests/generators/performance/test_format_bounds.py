"""A format's number at the bounds the code compares with.

csscompressor shortens ``rgb(51,102,153)`` to ``#336699`` and clamps each component at
255; a rewrite without the clamp writes ``#100`` for ``rgb(256)``. The valid strings
of the module's pattern hold small numbers; only the code's bound, put into one,
shows the dropped clamp.
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.inputs import _at_bounds

COLORS = r'''
import re

_RGB = re.compile(r"rgb\((\d{1,3})\)")


def shorten(css: str) -> str:
    """Colors from rgb(51) to #33, in a stylesheet."""

    def _replace(match):
        comp = int(match.group(1))
        if comp > 255:
            comp = 255
        return "#%02x" % comp

    return _RGB.sub(_replace, css)
'''


def test_the_first_number_of_a_valid_string_meets_each_bound() -> None:
    assert _at_bounds(["rgb()", "rgb(7)"], [(255, False), (3, True), (16, False)]) == [
        ("rgb(255)", "its number at the code's bound 255"),
        ("rgb(256)", "its number one past the code's bound 255"),
        ("rgb(16)", "its number at the code's bound 16"),
        ("rgb(17)", "its number one past the code's bound 16"),
    ]
    assert _at_bounds(["no digits"], [(255, False)]) == []


def test_a_dropped_clamp_is_caught(guarded: Callable[[str, str], Guarded]) -> None:
    project = guarded("colors", COLORS)
    text = project.guard_text()
    assert "# _RGB string with its number one past the code's bound 255" in text
    project.assert_caught("        if comp > 255:\n            comp = 255\n", "")
