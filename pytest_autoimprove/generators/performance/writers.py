"""The package's writers: text a sibling module writes, for the parsers in scope.

A parser is often scoped alone (``toml/decoder.py``) while the package writes its
format elsewhere (``toml.encoder.dumps``). Without the project's tests, random text
never gets past the parser's first check, and the README shows one document at most.
The package's own writer, given a few plain values (a table of text, numbers, a flag,
a list and a nested table), writes valid documents of the format, each reaching other
paths of the parser. :mod:`.echo` offers them to the text and bytes parameters of the
targets, as it offers what the targets in scope return.

Read in the resolver's subprocess (:mod:`.resolve`), where the modules are imported:
the public functions of the package and of its modules already imported, named as
writers (``dumps``, ``encode``, ``serialize``, ``to_string``...), defined outside the
modules in scope (those are probed as targets already), each called on
:data:`SAMPLES` in an empty working directory, under a deadline per call.
"""

from __future__ import annotations

import copy
import datetime
import inspect
import re
import sys
import types
from collections.abc import Iterator, Sequence
from typing import Any

from pytest_autoimprove.generators.performance.probe import _deadline
from pytest_autoimprove.runtime.workdir import own_directory

__all__ = ["SAMPLES", "package_writers", "written_by_package"]

#: The values a writer is given: first plain ones most formats can hold, then, one
#: kind per table (a writer refusing one value refuses the whole table), the values
#: whose writing a parser's fast path gets wrong: escapes, quotes and line breaks in
#: text, wide characters, signs, exponents and big integers, dates with fractions of
#: a second, a list mixing types, a list of tables.
SAMPLES: tuple[object, ...] = (
    {
        "title": "demo",
        "count": 3,
        "ratio": 0.5,
        "enabled": True,
        "tags": ["a", "b"],
        "owner": {"name": "Tom", "id": 7},
    },
    {"path": "C:\\new\\table", "quote": 'say "hi"', "lines": "one\ntwo\ttab"},
    {"negative": -17, "huge": 10**20, "small": 1.5e-07, "zero": -0.0},
    # 0.001009 s: a fraction float() does not hold exactly (int(0.001009 * 10**6) is 1008).
    {"when": datetime.datetime(2001, 2, 3, 4, 5, 6, 1009), "day": datetime.date(2001, 2, 3)},
    {"name": "straße ✓", "mixed": [1, "a"]},
    {"rows": [{"id": 1}, {"id": 2}], "numbers": [1, 2, 3], "empty": [], "deep": {"x": {"y": 1}}},
    {"key": "value"},
    ["x", 1, 2.5, None, True],
    "text with spaces",
    12345,
)
#: Names of writers: the whole name, or its first word.
WRITER = re.compile(
    r"(dumps?|encode|serial[iz]se|format|write|compose|render|emit|stringify|packb?|to_[a-z0-9]+)"
    r"(_[a-z0-9_]+)?$|(to|as)_?(string|str|text|bytes)$",
    re.IGNORECASE,
)
#: Writers read per package, outputs kept per writer, characters per output.
MAX_WRITERS = 6
PER_WRITER = 8
MAX_CHARS = 400
#: Seconds a writer's call may take.
CALL_SECONDS = 1.0


def package_writers(module: types.ModuleType, scope: Sequence[str]) -> list[tuple[str, Any]]:
    """``(dotted name, function)`` of the writers of ``module``'s package outside ``scope``.

    The package's own namespace first (its public API), then its modules already
    imported, in name order; each function once.
    """
    package = module.__name__.rpartition(".")[0]
    if not package or package not in sys.modules:
        return []
    owners = [sys.modules[package]] + [
        sys.modules[name]
        for name in sorted(sys.modules)
        if name.startswith(package + ".") and name not in scope
    ]
    out: list[tuple[str, Any]] = []
    seen: set[int] = set()
    for owner in owners:
        for name, value in sorted(vars(owner).items()):
            if (
                name.startswith("_")
                or not inspect.isfunction(value)
                or not WRITER.match(name)
                or id(value) in seen
                or value.__module__ in scope
                or not (value.__module__ == package or value.__module__.startswith(f"{package}."))
            ):
                continue
            seen.add(id(value))
            out.append((f"{value.__module__}.{value.__qualname__}", value))
            if len(out) >= MAX_WRITERS:
                return out
    return out


def _outputs(function: Any) -> Iterator[str | bytes]:
    """What ``function`` returns for each sample it takes: text or bytes only."""
    for sample in SAMPLES:
        try:
            with own_directory(), _deadline(CALL_SECONDS):
                value = function(copy.deepcopy(sample))
        except BaseException as error:  # noqa: BLE001 - a sample it does not take
            if isinstance(error, KeyboardInterrupt):
                raise
            continue
        if isinstance(value, (str, bytes)) and value.strip() and len(value) <= MAX_CHARS:
            yield value


def written_by_package(
    module: types.ModuleType, scope: Sequence[str]
) -> dict[str, list[str | bytes]]:
    """Writer name -> distinct outputs on :data:`SAMPLES`, for :mod:`.echo`."""
    out: dict[str, list[str | bytes]] = {}
    for name, function in package_writers(module, scope):
        values: list[str | bytes] = []
        for value in _outputs(function):
            if value not in values:
                values.append(value)
            if len(values) >= PER_WRITER:
                break
        if values:
            out[name] = values
    return out
