"""A call's result as something that can be compared: a generator consumed, a
coroutine run, a context manager entered, a mapping's view listed.

Imported by the frozen tests: standard library only.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import types
from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from typing import Any

__all__ = ["MAX_ITEMS", "materialize"]

#: A generator or iterator result is consumed up to this many items.
MAX_ITEMS = 1_000


def materialize(value: Any) -> Any:
    """Consume a generator or iterator result into a list, so it can be compared.

    A coroutine (an ``async def`` target) is run to its result in a fresh event loop;
    an async generator is consumed like a generator. At most :data:`MAX_ITEMS` items.
    A ``@contextmanager`` target's result is entered and left: what it yields is the
    answer (the object itself holds a generator, different on every call). A mapping's
    view (``d.keys()``, ``d.items()``) is listed in its order: a view cannot be stored,
    and it shows the mapping as it is when read, not as the call left it.
    """
    if isinstance(value, contextlib._GeneratorContextManager):
        with value as entered:
            return materialize(entered)
    if isinstance(value, contextlib._AsyncGeneratorContextManager):
        import asyncio

        return materialize(asyncio.run(_enter_async(value)))
    if inspect.iscoroutine(value):
        import asyncio

        return materialize(asyncio.run(value))
    if inspect.isasyncgen(value):
        import asyncio

        return asyncio.run(_consume_async(value))
    view = isinstance(value, (KeysView, ValuesView, ItemsView))
    if view or isinstance(value, (types.GeneratorType, Iterator)) and not hasattr(value, "read"):
        return list(itertools.islice(value, MAX_ITEMS))
    return value


async def _enter_async(manager: Any) -> Any:
    async with manager as entered:
        return entered


async def _consume_async(agen: Any) -> list[Any]:
    items: list[Any] = []
    async for item in agen:
        items.append(item)
        if len(items) >= MAX_ITEMS:
            break
    return items
