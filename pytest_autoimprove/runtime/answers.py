"""What a function made on the spot answers: a factory's closures, compared by behaviour.

``make_filter(words)`` returns ``lambda word: word.upper() in wanted``. A lambda or a
closure has no name to keep and cannot be stored, so a recorded result held only its
name, and a rewrite that dropped the ``.upper()`` returned "the same" lambda. The
baseline's answers to a few inputs (the values the call was given, in both cases, then
a few ordinary ones) are recorded beside the name
(:class:`~pytest_autoimprove.runtime.compare.Named`), and the function the changed code
returns must give the same answers.

Imported by the frozen tests: standard library only.
"""

from __future__ import annotations

import copy
import inspect
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["MAX_ANSWERS", "answer", "made_on_the_spot", "probes_from", "takes_one"]

#: Inputs a function made on the spot is asked, at most.
MAX_ANSWERS = 8
#: Ordinary inputs asked after the call's own values.
_ORDINARY: tuple[object, ...] = ("", "a", "Hello World", 0, 1, -1, 2.5, None)
_SCALARS = (str, bytes, int, float, bool, type(None))


def made_on_the_spot(obj: object) -> bool:
    """A lambda or a closure (``<locals>`` in its name): a function no module names."""
    return isinstance(obj, types.FunctionType) and (
        obj.__name__ == "<lambda>" or "<locals>" in obj.__qualname__
    )


def takes_one(func: Any) -> bool:
    """Whether ``func`` can be called with one positional argument alone."""
    try:
        inspect.signature(func).bind(None)
    except (TypeError, ValueError):
        return False
    return True


def probes_from(args: Sequence[object], kwargs: Mapping[str, object]) -> list[object]:
    """The inputs to ask a function a call returned: the scalars the call was given (the
    items of a list too), text also in the other case, then ordinary values."""
    given: list[object] = []
    for value in [*args, *kwargs.values()]:
        items: Iterable[object] = (
            value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        )
        for item in items:
            if isinstance(item, _SCALARS):
                given.append(item)
                if isinstance(item, str) and item.swapcase() != item:
                    given.append(item.swapcase())
    out: list[object] = []
    for value in [*given, *_ORDINARY]:
        if not any(type(value) is type(seen) and value == seen for seen in out):
            out.append(value)
    return out[:MAX_ANSWERS]


def answer(func: Any, value: object) -> tuple[str, Any]:
    """``("returns", result)`` or ``("raises", exception type)`` of ``func(value)``."""
    try:
        return "returns", func(copy.deepcopy(value))
    except Exception as error:  # noqa: BLE001 - an answer like any other
        return "raises", type(error)
