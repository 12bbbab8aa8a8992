"""Fingerprints of the code a verdict relies on, taken before the code under test runs.

The test gate's plugin (:mod:`~pytest_autoimprove.loop.gate`) runs inside the
process that imports the code under test. What it relies on there, pytest's
outcome and report machinery, pluggy's hook calls, our guard runtime's comparator
and replay, the clocks, the builtins, ``sys.exit`` and ``os._exit``, can all be
replaced by that code. So the plugin takes a :class:`Snapshot` at its import
(before collection imports anything of the project) and compares at the end of the
session: a function that is no longer the same object, or whose code, defaults or
class attributes changed, is reported with where its replacement was defined.

:func:`digest` is the other half: a hash of the code objects of a module, the same
in every process that loaded the same file. The plugin sends the digests of the
modules it relies on, as they are at the end of the session, and the loop compares
them with its own, computed in a process that never imported the code under test.

Standard library only (and cheap): it runs in every test session of the loop.
"""

from __future__ import annotations

import builtins
import hashlib
import os
import sys
import time
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

#: Modules whose functions decide what a test outcome is, or what our runtime compares.
JUDGE_PREFIXES = ("pytest_autoimprove.runtime.", "pluggy.")
JUDGE_MODULES = (
    "pytest",
    "pluggy",
    "_pytest.runner",
    "_pytest.reports",
    "_pytest.python",
    "_pytest.outcomes",
    "_pytest.main",
    "_pytest.skipping",
    "_pytest.fixtures",
    "_pytest.nodes",
    "_pytest.unittest",
    "_pytest.python_api",
    "_pytest.raises",
    "pytest_autoimprove.compare",
    "pytest_autoimprove.generators.replay",
    "pytest_autoimprove.generators.quality_runtime",
    "pytest_autoimprove.generators.footprint_runtime",
    "pytest_autoimprove.loop.gate",
    "pytest_autoimprove.loop.fingerprint",
)
#: Modules whose code the loop digests and compares with its own copy.
DIGESTED = (
    "_pytest.runner",
    "_pytest.reports",
    "_pytest.outcomes",
    "pluggy._callers",
    "pytest_autoimprove.loop.gate",
    "pytest_autoimprove.runtime.compare",
    "pytest_autoimprove.runtime.order",
    "pytest_autoimprove.runtime.replay",
)
CLOCKS = ("perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns", "time", "process_time")
_CALLABLE_KINDS = (
    types.FunctionType,
    types.BuiltinFunctionType,
    type,
    property,
    staticmethod,
    classmethod,
)


def judged(name: str) -> bool:
    """Whether module ``name`` is part of what the gate's verdict relies on."""
    return name in JUDGE_MODULES or name.startswith(JUDGE_PREFIXES)


class Snapshot:
    """The identity of every function, class attribute and code object of some modules."""

    def __init__(self) -> None:
        #: (module name, attribute path) -> the identities it may have: the object, its
        #: code, defaults and kwdefaults, as imported and as installed plugins set them
        self.entries: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        self.modules: dict[str, types.ModuleType] = {}
        self.builtins = dict(builtins.__dict__)
        # The module's own dict: a pinned ``time`` (the sandbox's watcher) answers
        # attribute lookups with wrappers, its dict still holds the clocks.
        self.clocks = {name: vars(time)[name] for name in CLOCKS if name in vars(time)}
        self.exits = (sys.exit, os._exit)

    def add(self, module: types.ModuleType) -> None:
        """Record ``module``'s functions and the attributes of the classes it defines."""
        name = module.__name__
        self.modules[name] = module
        for attr, value in list(vars(module).items()):
            if isinstance(value, _CALLABLE_KINDS):
                self.entries[(name, attr)] = [_identity(value)]
            if isinstance(value, type) and value.__module__ == name:
                for inner, member in list(vars(value).items()):
                    if isinstance(member, _CALLABLE_KINDS) and not isinstance(member, type):
                        self.entries[(name, f"{attr}.{inner}")] = [_identity(member)]

    def accept_installed(self, root: str | None) -> None:
        """Take in what installed plugins changed while pytest configured itself.

        pytest's ``legacypath`` and Hypothesis' plugin replace a few class members at
        configure time. A change whose replacement is a function defined outside the tree
        under test (``root``) is taken as the new reference; anything else (a lambda in
        the project, a builtin, a ``functools.partial``) stays a change.
        """
        prefix = os.path.join(os.path.realpath(root), "") if root else None
        installs = tuple(
            os.path.join(os.path.realpath(p), "")
            for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}
        )
        for (module_name, path), allowed in list(self.entries.items()):
            now = _lookup(self.modules[module_name], path)
            if now is _MISSING or _same(now, allowed):
                continue
            where = _defined_at(now)
            if where is None or where.startswith("<"):
                continue
            file = os.path.realpath(where.rpartition(":")[0])
            if prefix is None or file.startswith(installs) or not file.startswith(prefix):
                allowed.append(_identity(now))

    def add_loaded(self) -> None:
        for name, module in list(sys.modules.items()):
            if module is not None and judged(name):
                self.add(module)

    def changes(self) -> list[tuple[str, str | None]]:
        """``(what changed, where the replacement was defined)`` since the snapshot."""
        found: list[tuple[str, str | None]] = []
        for (module_name, path), allowed in self.entries.items():
            module = self.modules[module_name]
            if sys.modules.get(module_name) is not module:
                found.append((f"{module_name} was replaced in sys.modules", None))
                continue
            now = _lookup(module, path)
            if now is _MISSING:
                found.append((f"{module_name}.{path} was deleted", None))
            elif not _same(now, allowed):
                found.append((f"{module_name}.{path} was replaced", _defined_at(now)))
        for name, value in self.builtins.items():
            now = builtins.__dict__.get(name, _MISSING)
            if now is not value:
                found.append((f"the builtin {name} was replaced", _defined_at(now)))
        for name, value in self.clocks.items():
            now = time.__dict__.get(name, _MISSING)
            if now is not value:
                found.append((f"time.{name} was replaced", _defined_at(now)))
        if sys.exit is not self.exits[0]:
            found.append(("sys.exit was replaced", _defined_at(sys.exit)))
        if os._exit is not self.exits[1]:
            found.append(("os._exit was replaced", _defined_at(os._exit)))
        return _unique(found)


_MISSING = object()


def _identity(value: Any) -> tuple[Any, ...]:
    """What must stay the same: the object itself.

    Not its ``__code__``: reading it raises an audit event in every audit hook of the
    process, thousands of times per session; a swap of ``__code__``, ``__defaults__`` or
    ``__kwdefaults__`` is reported as it happens by the gate's audit hook instead.
    """
    return (value,)


def _same(value: Any, allowed: list[tuple[Any, ...]]) -> bool:
    return any(value is known[0] for known in allowed)


def _lookup(module: types.ModuleType, path: str) -> Any:
    values = vars(module)
    head, _, tail = path.partition(".")
    value = values.get(head, _MISSING)
    if tail and value is not _MISSING:
        value = vars(value).get(tail, _MISSING)
    return value


def _defined_at(value: Any) -> str | None:
    function = getattr(value, "fget", value)
    function = getattr(function, "__func__", function)
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    return f"{code.co_filename}:{code.co_firstlineno}"


def _unique(items: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------------------
# Digests: comparable across processes.


def digest(module: types.ModuleType) -> str:
    """A hash of the code of the functions and methods ``module`` defines.

    Only what the module's own source defines under that name counts (a function whose
    ``__qualname__`` is its name, a method whose qualname is ``Class.name``): plugins
    legitimately add or replace members at configure time, and the loop, which runs
    under another configuration, must get the same digest from the same file.
    """
    hasher = hashlib.sha256()
    values = vars(module)
    for name in sorted(values):
        value = values[name]
        if isinstance(value, types.FunctionType):
            if value.__qualname__ == name and value.__module__ == module.__name__:
                hasher.update(name.encode() + b"=" + _code_digest(value.__code__))
        elif isinstance(value, type) and value.__module__ == module.__name__:
            members = vars(value)
            for inner in sorted(members):
                member = members[inner]
                function = getattr(member, "__func__", getattr(member, "fget", member))
                code = getattr(function, "__code__", None)
                if code is not None and function.__qualname__ == f"{name}.{inner}":
                    hasher.update(f"{name}.{inner}=".encode() + _code_digest(code))
    return hasher.hexdigest()[:32]


def _code_digest(code: types.CodeType) -> bytes:
    hasher = hashlib.sha256(code.co_code)
    hasher.update(repr((code.co_name, code.co_names, code.co_varnames, code.co_flags)).encode())
    for const in code.co_consts:
        hasher.update(_const(const))
    return hasher.digest()


def _const(value: object) -> bytes:
    """A constant's bytes, the same in every process (sets are hashed in a sorted order)."""
    if isinstance(value, types.CodeType):
        return _code_digest(value)
    if isinstance(value, frozenset | set):
        return b"{" + b",".join(sorted(_const(v) for v in value)) + b"}"
    if isinstance(value, tuple):
        return b"(" + b",".join(_const(v) for v in value) + b")"
    return repr(value).encode()


def digests(names: Iterable[str] = DIGESTED) -> dict[str, tuple[str, str]]:
    """``{module: (file, digest)}`` for the loaded modules among ``names``."""
    found = {}
    for name in names:
        module = sys.modules.get(name)
        if module is not None:
            found[name] = (str(getattr(module, "__file__", "")), digest(module))
    return found


_OWN: dict[str, tuple[str, str]] = {}


def compare_digests(reported: Mapping[str, Any]) -> list[str]:
    """Modules whose code, as reported by a test session, differs from this process's copy.

    Only modules loaded from the same file are compared (a test command may run another
    interpreter); this process imports the ones it has not loaded yet, never user code.
    """
    import importlib

    problems = []
    for name, value in reported.items():
        if name not in DIGESTED or not isinstance(value, list | tuple) or len(value) != 2:
            continue
        file, theirs = str(value[0]), str(value[1])
        if name not in _OWN:
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            _OWN[name] = (str(getattr(module, "__file__", "")), digest(module))
        own_file, own = _OWN[name]
        if own_file == file and own != theirs:
            problems.append(f"the code of {name} that ran differs from the installed {name}")
    return problems


# ---------------------------------------------------------------------------
# In the test session: swaps as they happen, and the final check.


def where(frame: Any, root: str | None) -> str | None:
    """``path:line`` of the innermost frame in the tree under test (``root``), relative."""
    if root is None:
        return None
    prefix = os.path.join(os.path.realpath(root), "")
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(prefix):
            return f"{name[len(prefix) :]}:{frame.f_lineno}"
        frame = frame.f_back
    return None


def watch(emit: Callable[[Mapping[str, Any]], None], snapshot: Snapshot, root: str | None) -> None:
    """An audit hook that reports code swaps on the judge as they happen, and a finder
    that fingerprints the judge's modules imported later (the guard runtime, when a
    guard test imports it)."""
    import importlib.abc

    busy = [False]
    getframe = sys._getframe

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if event != "object.__setattr__" or busy[0]:
            return
        target, name = args[0], args[1]
        if name not in ("__code__", "__defaults__", "__kwdefaults__", "__class__"):
            return
        if name == "__class__":
            owner = getattr(target, "__name__", "")
        else:
            owner = getattr(target, "__module__", "") or ""
        if not owner or not (judged(owner) or owner in ("time", "timeit", "builtins")):
            return
        busy[0] = True
        try:
            found = where(getframe(1), root)
        finally:
            busy[0] = False
        qualname = getattr(target, "__qualname__", owner)
        emit({"event": "audit", "message": f"sets {name} of {owner}.{qualname}", "where": found})

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if not fullname.startswith("pytest_autoimprove.") or not judged(fullname):
                return None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    break
            else:
                return None
            loader = spec.loader
            if loader is None or not hasattr(loader, "exec_module"):
                return spec
            original = loader.exec_module

            def exec_module(module: Any) -> None:
                original(module)
                snapshot.add(module)

            loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Finder())
    sys.addaudithook(audit)


def final_check(emit: Callable[[Mapping[str, Any]], None], snapshot: Snapshot, event: str) -> None:
    """Report what changed since the snapshot (``event``: ``integrity`` at the end of the
    session, with the digests; ``exit`` at interpreter exit)."""
    problems = [{"message": message, "where": found} for message, found in snapshot.changes()]
    record: dict[str, Any] = {"event": event, "problems": problems}
    if event == "integrity":
        record["digests"] = digests()
    emit(record)
