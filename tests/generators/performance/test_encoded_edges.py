"""A text as bytes in the encoding its ``encoding`` parameter names.

json5's ``loads(s, encoding=None)`` decodes bytes with the encoding it is given, UTF-8
when none is. Edge values vary one parameter at a time, so the bytes were never in the
encoding named beside them, and a rewrite that always decodes UTF-8 passed.
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

LOADER = '''
def loads(s: str | bytes, *, encoding: str | None = None) -> list[str]:
    """The words of ``s``; bytes are decoded with ``encoding`` (UTF-8 by default)."""
    if isinstance(s, bytes):
        s = s.decode(encoding or "utf-8")
    return s.split()
'''


def test_a_loader_that_ignores_the_encoding_it_is_given_is_caught(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("loader", LOADER)
    assert "s as bytes in utf-16, which encoding names" in project.guard_text()
    project.assert_caught('s.decode(encoding or "utf-8")', 's.decode("utf-8")')
    project.assert_passes('s.decode(encoding or "utf-8")', 'str(s, encoding or "utf-8")')
