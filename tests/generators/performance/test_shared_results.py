"""A cache that hands every caller the same result object, caught by identity.

``glob_to_iptuple`` memoised with ``lru_cache`` returns the same two IPAddress objects
to every caller; one caller's ``low += 1`` then moves every later answer. The values
compare equal, so only the state guardrail, which calls twice and compares
identities, shows it; IPAddress has ``__slots__`` and no ``__dict__``, so what counts
as changeable decides whether the guardrail is written at all.
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

RANGES = '''
class Address:
    """A number stepped in place (``a += 1``), as netaddr's IPAddress is."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __iadd__(self, step):
        self.value += step
        return self

    def __eq__(self, other):
        return isinstance(other, Address) and self.value == other.value

    def __repr__(self):
        return f"Address({self.value})"


def bounds(text: str) -> tuple:
    """The first and last address of a range such as "10-20" or "7"."""
    low, _, high = text.partition("-")
    return Address(int(low)), Address(int(high or low))
'''


def test_a_cache_sharing_slotted_results_is_caught(guarded: Callable[[str, str], Guarded]) -> None:
    project = guarded("ranges", RANGES)
    assert "fresh=True" in project.guard_text()
    project.assert_caught(
        "def bounds(text: str) -> tuple:\n",
        "import functools\n\n\n@functools.lru_cache(maxsize=None)\n"
        "def bounds(text: str) -> tuple:\n",
    )
