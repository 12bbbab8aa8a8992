"""What an instance shows through its class's own protocols is guarded like its state."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from guarded import Guarded

PRIORITIES = """
class Priorities:
    def __init__(self, pairs=()):
        self.heap = []
        for key, priority in pairs:
            self.push(key, priority)

    def push(self, key, priority):
        self.heap.append((priority, key))
        self.heap.sort()

    def __len__(self):
        return len(self.heap)

    def __iter__(self):
        return (key for _, key in self.heap)

    def __str__(self):
        return "{" + ", ".join(f"{k!r}: {p!r}" for p, k in self.heap) + "}"
"""


@pytest.mark.slow(seconds=34)
def test_iteration_length_and_text_of_an_instance_are_guarded(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # heapdict's __iter__ rewritten to walk the heap list: the keys in another order,
    # and no attribute of the instance changed.
    project = guarded("priorities", PRIORITIES)
    text = project.guard_text()
    assert "'<iter>': [" in text and "'<len>': " in text
    # guards: the keys in insertion order, not by priority
    project.assert_caught("        self.heap.sort()\n", "")
    project.assert_caught(
        "return (key for _, key in self.heap)", "return iter(sorted(k for _, k in self.heap))"
    )
    project.assert_caught('", ".join(', '",".join(')
    # a rewrite keeping what every protocol shows passes
    project.assert_passes(
        "return (key for _, key in self.heap)", "return iter([k for _, k in self.heap])"
    )


def test_a_subclass_of_a_builtin_value_shows_what_it_holds() -> None:
    from collections import namedtuple

    from pytest_autoimprove.runtime.views import views

    class Tokens(list):  # type: ignore[type-arg]
        pass

    class Week(namedtuple("Week", "year week")):  # noqa: PYI024 - as isoweek writes it
        pass

    class Meters(float):
        pass

    # Kept in no attribute: a rewrite splitting a string into characters changes only this.
    assert views(Tokens("ab")) == {"<value>": ["a", "b"]}
    assert views(Week(2011, 8)) == {"<value>": [2011, 8]}
    assert views(Meters(2.5)) == {"<value>": 2.5}
    assert views(["a"]) == {}  # a builtin value is compared as itself
