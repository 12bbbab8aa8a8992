"""What an instance shows through its class's own protocols is guarded like its state."""

from __future__ import annotations

import types
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
    assert views(Week(2011, 8)) == {"<value>": [2011, 8], "<repr>": "Week(year=2011, week=8)"}
    assert views(Meters(2.5)) == {"<value>": 2.5}
    assert views(["a"]) == {}  # a builtin value is compared as itself


SPAN = '''
class Span:
    """Integers from ``lower`` up to, not including, ``upper``; equal bounds: empty."""

    __slots__ = ("_bounds",)

    def __init__(self, lower: int = 0, upper: int = 0) -> None:
        if lower == upper:
            self._bounds = None
            return
        self._bounds = (lower, upper)

    @property
    def lower(self):
        return None if self._bounds is None else self._bounds[0]

    @property
    def upper(self):
        return None if self._bounds is None else self._bounds[1]

    def __bool__(self) -> bool:
        return self._bounds is not None

    def __repr__(self) -> str:
        return "Span(empty)" if self._bounds is None else f"Span{self._bounds}"
'''


def test_an_instance_keeping_its_state_private_shows_it_through_properties_repr_and_bool(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # Spans keeps a range in a private slot; a constructor compared by its public
    # attributes alone compared nothing, and a dropped "equal bounds are empty" passed.
    from pytest_autoimprove.runtime.views import views

    module = types.ModuleType("span")
    exec(SPAN, module.__dict__)  # noqa: S102 - the class under test
    span = module.Span
    assert views(span(1, 1)) == {  # type: ignore[operator]
        "<repr>": "Span(empty)", "<bool>": False, "<.lower>": None, "<.upper>": None,
    }  # fmt: skip
    assert views(span(1, 4))["<.upper>"] == 4  # type: ignore[operator]
    project = guarded("span", SPAN)
    project.assert_caught("        if lower == upper:\n", "        if False:\n")
    project.assert_passes(
        "        self._bounds = (lower, upper)\n", "        self._bounds = lower, upper\n"
    )
