"""Coverage-guided exploration: text inside an argument replaced by the code's own words.

A function that validates a structure before it works on it (a list of header pairs,
a mapping of parsed fields) rejects every inferred value at its first check: the
names must be tokens, the values digits, the keys those the code reads. The words
that pass are written in the code itself: the literals it compares with
(``b"content-length"``, ``"tz_sign"``), the strings its expressions match (walked by
:mod:`.regex_walk`). The search replaces one text leaf of a planned call at a time
(a tuple item, a list item, a mapping key or value, an argument of an object the
test builds) by each such word, and by the
leaf's near values (another case, blanks around it, the next number), runs the
baseline with its module's lines traced, and keeps a call that ran a line no call ran
before as a seed for further replacements: a valid structure is reached one leaf at
a time, and each stage's call is tried against the mutant on the way.
"""

from __future__ import annotations

import inspect
import re
import sys
import types
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pytest_autoimprove.generators.performance.regex_walk import full_strings
from pytest_autoimprove.runtime.replay import Build

__all__ = ["EXPLORED_PREFIX", "Call", "Explorer", "code_texts"]

#: Ids of the calls the exploration kept and the generator freezes (``explored-0``).
EXPLORED_PREFIX = "explored-"

#: Calls explored per target, at most.
MAX_CALLS = 1200
#: Seeds (planned calls) the exploration starts from.
MAX_SEEDS = 12
#: Text leaves of one call replaced, and the depth they are looked for at.
MAX_LEAVES = 12
MAX_DEPTH = 4
#: Words taken from the code, and their longest length.
MAX_TEXTS = 24
MAX_TEXT_LENGTH = 40
#: Near values of a leaf tried (its nudges: other case, blanks around, the next number).
MAX_NUDGES = 8
#: Separators the code names that a leaf is listed with (``b"1, 1"``).
MAX_SEPARATORS = 3

Text = str | bytes
#: ("i", index) | ("v", key) | ("k", key) | a Build's ("a", index) | ("w", keyword)
Path = tuple[tuple[str, Any], ...]
Call = tuple[tuple[Any, ...], dict[str, Any], Any]
_Leaf = tuple[str, Path, Text]  # "args" or a keyword, the path, the text there


def code_texts(module: types.ModuleType, qualname: str) -> list[Text]:
    """The words the target's code names: its literals (and those of the functions it
    defines inside), then the full strings of the module's compiled expressions, then
    the other literals of the module's functions; short ones, without repeats."""
    target = _resolve(module, qualname)
    found: list[Text] = []
    own = [target] if target is not None else []
    for code in _codes(own):
        _add_consts(code, found)
    found.sort(key=len)  # the tokens a format is made of before the messages it raises
    for value in vars(module).values():
        if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
            found += full_strings(value.pattern, value.flags & ~re.UNICODE)[:3]
        elif isinstance(value, re.Pattern) and isinstance(value.pattern, bytes):
            source = value.pattern.decode("latin-1")
            found += [s.encode("latin-1") for s in full_strings(source, value.flags)[:3]]
    others = [
        v
        for v in vars(module).values()
        if isinstance(v, types.FunctionType) and v.__module__ == module.__name__
    ]
    for code in _codes(others):
        _add_consts(code, found)
    unique: list[Text] = []
    for text in found:
        template = "{" in text if isinstance(text, str) else b"{" in text
        if len(text) <= MAX_TEXT_LENGTH and not template and text not in unique:
            unique.append(text)
    return unique[:MAX_TEXTS]


def _resolve(module: types.ModuleType, qualname: str) -> Any:
    obj: Any = module
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    if isinstance(obj, type):
        obj = obj.__dict__.get("__init__")
    if isinstance(obj, property):
        obj = obj.fget
    try:
        return inspect.unwrap(obj)
    except ValueError:
        return obj


def _codes(functions: list[Any]) -> Iterator[types.CodeType]:
    stack = [f.__code__ for f in functions if hasattr(f, "__code__")]
    while stack:
        code = stack.pop(0)
        yield code
        stack += [c for c in code.co_consts if isinstance(c, types.CodeType)]


def _add_consts(code: types.CodeType, found: list[Text]) -> None:
    for const in code.co_consts:
        items = const if isinstance(const, (tuple, frozenset)) else (const,)
        found += [c for c in items if isinstance(c, (str, bytes)) and c not in found]


def leaves(value: Any, depth: int = 0) -> Iterator[tuple[Path, Text]]:
    """Paths to the text inside ``value`` (nested lists, tuples and mappings), in order."""
    if isinstance(value, (str, bytes)):
        if depth:
            yield (), value
        return
    if depth >= MAX_DEPTH:
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            for path, leaf in leaves(item, depth + 1):
                yield (("i", i), *path), leaf
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, (str, bytes)):
                yield (("k", key),), key
            for path, leaf in leaves(item, depth + 1):
                yield (("v", key), *path), leaf
    elif isinstance(value, Build):  # an object built by a factory: its arguments
        for i, item in enumerate(value.args):
            for path, leaf in leaves(item, depth + 1):
                yield (("a", i), *path), leaf
        for key, item in value.kwargs:
            for path, leaf in leaves(item, depth + 1):
                yield (("w", key), *path), leaf


def replaced(value: Any, path: Path, new: Text) -> Any:
    """``value`` with the leaf at ``path`` replaced by ``new`` (copies along the path)."""
    if not path:
        return new
    (step, where), rest = path[0], path[1:]
    if step == "i":
        items = list(value)
        items[where] = replaced(items[where], rest, new)
        return type(value)(items) if isinstance(value, tuple) else items
    if step in ("a", "w"):
        args = list(value.args)
        kwargs = dict(value.kwargs)
        if step == "a":
            args[where] = replaced(args[where], rest, new)
        else:
            kwargs[where] = replaced(kwargs[where], rest, new)
        return Build(value.path, *args, **kwargs)
    if step == "k":
        if new in value and new != where:
            return value
        return {(new if k == where else k): v for k, v in value.items()}
    return {**value, where: replaced(value[where], rest, new)}


def _fitting(text: Text, like: Text) -> Text | None:
    """``text`` as the same type as ``like`` (bytes encoded, text decoded)."""
    if isinstance(text, type(like)):
        return text
    try:
        return text.encode("ascii") if isinstance(text, str) else text.decode("ascii")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _listed(leaf: Text, sep: Text) -> Text | None:
    """``leaf, leaf`` around ``sep`` with a blank after it (``b"1, 1"``), in the leaf's
    type; ``None`` when ``sep`` has no ASCII form."""
    fitted = _fitting(sep, leaf)
    if isinstance(leaf, str) and isinstance(fitted, str):
        return f"{leaf}{fitted} {leaf}"
    if isinstance(leaf, bytes) and isinstance(fitted, bytes):
        return leaf + fitted + b" " + leaf
    return None


def _changed(call: Call, where: str, path: Path, new: Text) -> Call:
    """``call`` with the text at ``path`` of a positional argument (``where`` is
    ``"args"``) or of the keyword ``where`` replaced by ``new``."""
    args, kwargs, ctor = call
    if where == "args":
        return tuple(replaced(args, path, new)), kwargs, ctor
    return args, {**kwargs, where: replaced(kwargs[where], path, new)}, ctor


class Explorer:
    """Replacements of one target's planned calls, kept when they run new lines.

    Iterate over it for calls to try (``(args, kwargs, ctor)``); run each inside
    :meth:`tracing`, which keeps the call as a seed when it ran a new line.
    """

    def __init__(
        self,
        seeds: list[Call],
        texts: list[Text],
        filename: str,
        nudges: Callable[[Any], list[Any]],
    ) -> None:
        self.seeds = list(seeds[:MAX_SEEDS])
        self.queue: list[Call] = []
        self.texts = texts
        self.filename = filename
        self.nudges = nudges
        self.covered: set[tuple[int, int]] = set()
        self.kept: list[Call] = []
        #: Index in ``kept`` -> the baseline's payload of that call and whether it
        #: returned, when it would be frozen as ordinary (returned, or raised one of the
        #: code's own exceptions).
        self.ordinary: dict[int, tuple[bytes, bool]] = {}
        self.tried = 0

    def __iter__(self) -> Iterator[Call]:
        yield from self.seeds  # their own lines first: tracing queues those that add some
        while self.queue and self.tried < MAX_CALLS:
            args, kwargs, ctor = self.queue.pop(0)
            for where, path, leaf in self._leaves(args, kwargs):
                for new in self._words(leaf):
                    if self.tried >= MAX_CALLS:
                        return
                    self.tried += 1
                    yield _changed((args, kwargs, ctor), where, path, new)

    def _leaves(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[_Leaf]:
        found: list[_Leaf] = []
        for i, value in enumerate(args):
            found += [("args", (("i", i), *p), leaf) for p, leaf in leaves(value, 1)]
        for name, value in kwargs.items():
            found += [(name, p, leaf) for p, leaf in leaves(value, 1)]
        return found[:MAX_LEAVES]

    def variants(self, call: Call) -> Iterator[Call]:
        """``call`` with one text inside it in capitals or between blanks: where a
        normalisation (``.lower()``, ``.strip()``) a rewrite drops shows."""
        args, kwargs, ctor = call
        for where, path, leaf in self._leaves(args, kwargs):
            spaced = f" {leaf} " if isinstance(leaf, str) else b" " + leaf + b" "
            for new in (leaf.upper(), spaced):
                if new != leaf:
                    yield _changed(call, where, path, new)

    def _words(self, leaf: Text) -> list[Text]:
        out: list[Text] = []
        # The leaf twice around a separator the code names, a blank after it: a list
        # in one text, as code that splits and strips the pieces reads it.
        separators = [
            text
            for text in self.texts[:MAX_TEXTS]
            if len(text) == 1 and not text.isalnum() and not text.isspace()
        ]
        listed = [t for t in (_listed(leaf, sep) for sep in separators) if t is not None]
        for text in [*self.texts, *self.nudges(leaf)[:MAX_NUDGES], *listed[:MAX_SEPARATORS]]:
            if not isinstance(text, (str, bytes)):
                continue
            fitted = _fitting(text, leaf)
            if fitted is not None and fitted != leaf and fitted not in out:
                out.append(fitted)
        return out

    @contextmanager
    def tracing(self, call: Call) -> Iterator[None]:
        """Run the body with the module's lines traced; keep ``call`` if a line is new."""
        counts: Counter[int] = Counter()
        filename = self.filename

        def local(frame: types.FrameType, event: str, arg: object) -> Any:
            if event == "line":
                counts[frame.f_lineno] += 1
            return local

        def tracer(frame: types.FrameType, event: str, arg: object) -> Any:
            return local if frame.f_code.co_filename == filename else None

        previous = sys.gettrace()
        sys.settrace(tracer)
        try:
            yield
        finally:
            sys.settrace(previous)
            # A line run once more than before counts too (a loop that got one item
            # further): the way to a valid structure passes through such calls.
            features = {(line, min(n, 4)) for line, n in counts.items()}
            if features - self.covered:
                self.covered |= features
                self.queue.append(call)
                self.kept.append(call)
