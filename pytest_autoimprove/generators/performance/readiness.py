"""Receivers made ready: the set-up call a class wants before its other methods work,
and the methods that show what a call did to a receiver whose state is private.

A stateful class often has a protocol: ``enc = Encoder(); enc.start(); enc.write(1);
enc.output()``. Every ``write`` on a bare instance raises "call start() first", so
without the set-up call every case of the method froze that one error; and ``write``
returns ``None``, so even a working call shows nothing unless ``output()`` is read
afterwards. The probe finds both by trying, on the baseline:

- **set-up**: when a method's call raises, each public method of the class that takes
  no arguments (``start``, ``begin``, ``open``... first; never ``close``, ``stop``...)
  is called before it on a fresh instance, then the class's adders (below); the first
  after which the call works is the class's set-up, used for its other methods' calls
  too, wherever the call then answers otherwise (returns, or raises another error: an
  input refused by a ready receiver);
- **adders**: a method named to add (``add``, ``create_node``, ``insert``, ``push``...)
  whose ordinary call worked and left the receiver holding something (a length, a
  filled container) is remembered with its arguments: a tree's ``expand_tree()``
  raises on an empty tree and works once ``create_node(...)`` made a root;
- **readers**: when a call works and returns ``None``, or its receiver has no public
  state, the class's other public methods without arguments are called after it, twice
  on fresh instances; those that answer a value, the same both times, read the
  receiver's state (three at most; ``close``, ``clear``, ``pop``... never).

The receiver is then written with
:func:`~pytest_autoimprove.runtime.prepared.ready` (see there).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

from pytest_autoimprove.runtime.compare import difference
from pytest_autoimprove.runtime.replay import Build, Outcome, Ref, call, public_state

READY = "pytest_autoimprove.runtime.prepared.ready"
#: Set-up methods tried first, in this order; then the others, as defined.
SETUP_NAMES = ("start", "begin", "open", "init", "initialize", "setup", "set_up",
               "prepare", "reset", "connect", "enter", "activate", "load", "compile",
               "build")  # fmt: skip
#: Methods that end or empty a receiver, or run something: never readers.
NOT_READERS = frozenset({"close", "clear", "reset", "pop", "popitem", "popleft", "run",
                         "start", "stop", "wait", "serve", "join", "kill", "terminate",
                         "shutdown", "destroy", "delete", "discard", "exit",
                         "quit"})  # fmt: skip
#: Methods that end a receiver: never set-up calls (a ``close()`` before ``write`` only
#: changes the error).
NOT_SETUPS = frozenset({"close", "clear", "stop", "shutdown", "destroy", "terminate",
                        "kill", "exit", "quit", "delete"})  # fmt: skip
MAX_SETUP_TRIES = 8
#: Words a method that adds to its receiver is named with (``create_node``, ``push``).
ADDER_WORDS = ("add", "append", "insert", "push", "put", "create", "register", "extend",
               "update", "set", "feed", "load", "write")  # fmt: skip
#: Adders remembered per class (each with the arguments of a call that worked).
MAX_ADDERS = 2
#: A set-up call: a method's name, its arguments and keyword arguments.
Setup = tuple[str, tuple[Any, ...], dict[str, Any]]
#: Classes whose set-up is searched at most this many times (each try calls a few methods).
MAX_SEARCHES = 3
MAX_READERS = 3
#: Methods tried as readers, at most (each try is two calls).
MAX_READER_TRIES = 8


class Readiness:
    """What the probe learnt about each class's set-up and readers (one probe process)."""

    def __init__(self) -> None:
        self.setups: dict[str, tuple[Setup, ...]] = {}
        self.searches: dict[str, int] = {}
        self.readers: dict[str, tuple[str, ...]] = {}
        self.adders: dict[str, list[Setup]] = {}

    def note(self, module: types.ModuleType, qualname: str, args: Any, kwargs: Any,
             first: Outcome) -> None:  # fmt: skip
        """Remember ``qualname`` as an adder of its class when its call worked and left
        the receiver holding something (see the module docstring)."""
        class_path, _, method = qualname.rpartition(".")
        words = method.lower().split("_")
        if first.error is not None or not any(w in ADDER_WORDS for w in words):
            return
        key = f"{module.__name__}:{class_path}"
        known = self.adders.setdefault(key, [])
        if len(known) >= MAX_ADDERS or any(name == method for name, _, _ in known):
            return
        if _holds_something(public_state(first.instance)):
            known.append((method, tuple(args), dict(kwargs)))

    def improve(
        self,
        module: types.ModuleType,
        qualname: str,
        args: Any,
        kwargs: Any,
        ctor: Any,
        first: Outcome,
    ) -> tuple[Any, Outcome]:
        """The receiver to call a method on, and what the call did on it: ``ctor`` and
        ``first`` as they are, or prepared by a set-up call and read by readers."""
        class_path, _, method = qualname.rpartition(".")
        cls = _class(module, class_path)
        if cls is None or not _is_ctor(ctor):
            return ctor, first
        key = f"{module.__name__}:{class_path}"
        do = _Caller(module, qualname, args, kwargs, ctor, class_path)
        setup: tuple[Setup, ...] = ()
        if first.error is not None:
            setup, first = self._setup(key, cls, method, do, first)
        if first.error is not None or not (first.value is None or not public_state(first.instance)):
            return (do.ctor(setup, ()) if setup else ctor), first
        readers = self._readers(key, cls, method, setup, do)
        if not readers:
            return (do.ctor(setup, ()) if setup else ctor), first
        read = do(setup, readers)
        return do.ctor(setup, readers), read

    def _setup(
        self, key: str, cls: type, method: str, do: _Caller, first: Outcome
    ) -> tuple[tuple[Setup, ...], Outcome]:
        known = self.setups.get(key)
        if known:
            # Found on a call it made work: another error after it is the call's own
            # answer on a ready receiver (an OID the encoder refuses once started).
            out = do(known, ())
            return (known, out) if _told_apart(out, first) else ((), first)
        if self.searches.get(key, 0) >= MAX_SEARCHES:
            return (), first
        self.searches[key] = self.searches.get(key, 0) + 1
        bare: list[Setup] = [
            (name, (), {})
            for name in _no_arg_methods(cls, SETUP_NAMES)
            if name != method and name not in NOT_SETUPS
        ]
        tried = [(one,) for one in bare[:MAX_SETUP_TRIES]]
        tried += [(adder,) for adder in self.adders.get(key, []) if adder[0] != method]
        for setup in tried:
            out = do(setup, ())
            if out.error is None:  # it made the call work: the class's set-up
                self.setups[key] = setup
                return setup, out
        return (), first

    def _readers(
        self, key: str, cls: type, method: str, setup: tuple[Setup, ...], do: _Caller
    ) -> tuple[str, ...]:
        if key not in self.readers:
            found: list[str] = []
            used = {name for name, _, _ in setup}
            candidates = [
                name
                for name in _no_arg_methods(cls, ())
                if name not in used and name not in NOT_READERS
            ]
            for name in candidates[:MAX_READER_TRIES]:
                one, two = do(setup, (name,)), do(setup, (name,))
                if one.error is None and two.error is None:
                    a, b = public_state(one.instance), public_state(two.instance)
                    value = a.get(f"<{name}()>")
                    answered = value is not None and not str(value).startswith("raises ")
                    if answered and difference(a, b) is None:
                        found.append(name)
                if len(found) == MAX_READERS:
                    break
            self.readers[key] = tuple(found)
        return tuple(name for name in self.readers[key] if name != method)


class _Caller:
    """Calls of one method with one case's arguments, on a receiver prepared so."""

    def __init__(
        self,
        module: types.ModuleType,
        qualname: str,
        args: Any,
        kwargs: Any,
        ctor: Any,
        class_path: str,
    ) -> None:
        self.module, self.qualname = module, qualname
        self.args, self.kwargs, self.base, self.class_path = args, kwargs, ctor, class_path

    def ctor(self, setup: tuple[Setup, ...], read: tuple[str, ...]) -> tuple[None, Build]:
        """``(None, Build(ready, ...))``: the receiver written as the test shows it."""
        args, kwargs = self.base
        built = kwargs if args is None else Build(self.class_path, *args, **kwargs)
        options: dict[str, Any] = {}
        if setup:
            options["setup"] = setup
        if read:
            options["read"] = read
        return (None, Build(READY, built, **options))

    def __call__(self, setup: tuple[Setup, ...], read: tuple[str, ...]) -> Outcome:
        ctor = self.ctor(setup, read)
        return call(self.module, self.qualname, "method", self.args, self.kwargs, ctor)


def _holds_something(state: dict[str, Any]) -> bool:
    """A length above zero, or a public container that is not empty."""
    if isinstance(state.get("<len>"), int) and state["<len>"] > 0:
        return True
    return any(isinstance(v, (list, dict, set, tuple)) and v for v in state.values())


def _told_apart(out: Outcome, first: Outcome) -> bool:
    """Did the set-up change the call's answer (it works now, or raises otherwise)?"""
    if out.error is None:
        return True
    return type(out.error) is not type(first.error) or str(out.error) != str(first.error)


def _is_ctor(ctor: Any) -> bool:
    """A constructor's ``(args, kwargs)``, or ``(None, instance)``: not prepared yet."""
    return isinstance(ctor, tuple) and len(ctor) == 2 and not _prepared(ctor[1])


def _prepared(value: Any) -> bool:
    return isinstance(value, Build) and value.path == READY


def _class(module: types.ModuleType, path: str) -> type | None:
    try:
        obj = Ref(path).value(module)
    except Exception:  # noqa: BLE001 - not a class of the module
        return None
    return obj if isinstance(obj, type) else None


def _no_arg_methods(cls: type, first: tuple[str, ...]) -> list[str]:
    """Public methods of ``cls`` (its own code's, not ``object``'s) callable without
    arguments: those named in ``first`` first, in that order, then as defined."""
    names: list[str] = []
    for klass in cls.__mro__:
        if klass is object:
            continue
        for name, attr in vars(klass).items():
            if name.startswith("_") or name in names or not inspect.isfunction(attr):
                continue
            if _takes_nothing(attr):
                names.append(name)
    rank: Callable[[str], int] = lambda n: first.index(n) if n in first else len(first)  # noqa: E731
    return sorted(names, key=rank)


def _takes_nothing(func: Any) -> bool:
    try:
        params = list(inspect.signature(func).parameters.values())[1:]
    except (TypeError, ValueError):
        return False
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params
    )
