"""The resolver: what the annotations of the targets mean, in the module's own namespace.

Runs as ``python -m pytest_autoimprove.generators.performance.resolve IN OUT`` in a
subprocess of its own (the generator never imports the code it guards). For each
module it imports the module, runs the statements of its ``if TYPE_CHECKING:`` blocks
in a copy of its namespace (the imports and aliases written for type checkers only),
and evaluates every parameter and return annotation there. A name still missing is
looked up among the aliases read from the source (:mod:`.facts`), and failing that
stands for an unknown type, so one odd name never loses the rest of an annotation.
It also reads the module's compiled regular expressions (their text, whatever built it).

It reads the keys of the tables the targets look their parameters up in, too, and
what the package's writers outside the scope write (:mod:`.writers`).

The answer, per module: ``params`` (qualname -> parameter -> :class:`TypeSpec`),
``returns`` (qualname -> :class:`TypeSpec`), ``patterns`` (name -> (text, flags)),
``keys`` (table name -> keys), ``written`` (writer -> text or bytes it wrote) and
``error`` (the import failed).
"""

from __future__ import annotations

import builtins
import importlib
import re
import sys
import types
import typing
from collections import Counter
from collections.abc import Mapping
from typing import Any

from pytest_autoimprove.generators.performance.typespec import TypeSpec, from_type
from pytest_autoimprove.generators.performance.writers import written_by_package

__all__ = ["resolve_all"]


class _UnresolvedMeta(type):
    """A stand-in class for a name that exists for type checkers only."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _unresolved(f"{cls.__name__}.{name}")

    def __getitem__(cls, item: Any) -> Any:
        return cls


def _unresolved(name: str) -> type:
    return _UnresolvedMeta(name, (), {"__autoimprove_unresolved__": name})


class _Names(dict[str, Any]):
    """Eval's local namespace: the module's names, then aliases, builtins, ``typing``,
    and stand-ins."""

    def __init__(self, namespace: Mapping[str, Any], aliases: Mapping[str, str]) -> None:
        super().__init__()
        self.namespace = namespace
        self.aliases = aliases
        self.resolving: set[str] = set()

    def __missing__(self, key: str) -> Any:
        if key in self.namespace:
            return self.namespace[key]
        if key in self.aliases and key not in self.resolving:
            self.resolving.add(key)
            try:
                value = _eval(self.aliases[key], self.namespace, self)
            finally:
                self.resolving.discard(key)
            self[key] = value
            return value
        if hasattr(builtins, key):
            return getattr(builtins, key)
        if hasattr(typing, key):  # ``Union`` in an alias whose module imported it elsewhere
            return getattr(typing, key)
        return _unresolved(key)


def _eval(text: str, namespace: Mapping[str, Any], names: _Names) -> Any:
    value = eval(text, dict(namespace), names)  # noqa: S307 - annotations of the code in scope
    if isinstance(value, str):  # a quoted annotation: ``x: "Point"``
        value = eval(value, dict(namespace), names)  # noqa: S307
    return value


def _namespace(module: types.ModuleType, checking: list[str]) -> dict[str, Any]:
    """The module's names plus those its ``if TYPE_CHECKING:`` blocks define."""
    namespace = dict(vars(module))
    for statement in checking:
        try:
            exec(statement, namespace)  # noqa: S102 - imports and aliases of the code in scope
        except BaseException as error:  # noqa: BLE001 - a stub-only import: the aliases remain
            if isinstance(error, KeyboardInterrupt):
                raise
    return namespace


#: Members of a container of patterns read at most.
MAX_MEMBERS = 8


def _lookup(module: types.ModuleType, name: str) -> Any:
    """``module.NAME`` or ``module.Class.NAME``; ``None`` when reading it fails in any way
    (a module ``__getattr__`` or a class property may raise anything)."""
    obj: Any = module
    try:
        for part in name.split("."):
            obj = getattr(obj, part, None)
    except Exception:  # noqa: BLE001 - code in scope; one odd name must not lose the rest
        return None
    return obj


def _patterns(module: types.ModuleType, names: list[str]) -> dict[str, tuple[str, int]]:
    """name -> (text, flags) of the compiled patterns ``names`` hold; a list or dict of
    them gives its members as ``NAME[0]`` or ``NAME['key']`` (an expression on the module)."""
    out: dict[str, tuple[str, int]] = {}
    for name in names:
        obj = _lookup(module, name)
        members: list[tuple[str, Any]] = [(name, obj)]
        if isinstance(obj, (list, tuple)):
            members = [(f"{name}[{i}]", item) for i, item in enumerate(obj[:MAX_MEMBERS])]
        elif isinstance(obj, dict):
            members = [
                (f"{name}[{key!r}]", item)
                for key, item in list(obj.items())[:MAX_MEMBERS]
                if isinstance(key, (str, int))
            ]
        for member, item in members:
            if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                out[member] = (item.pattern, int(item.flags))
    return out


#: Keys read from one lookup table, spread over it; the longest key kept.
MAX_KEYS = 8
MAX_KEY_CHARS = 60
#: Keys of a table that no other table of the module holds, added to the spread.
MAX_OWN_KEYS = 2


def _keys(module: types.ModuleType, names: list[str]) -> dict[str, list[object]]:
    """name -> the keys (of a dict) or members (of a list, tuple or set) of the tables
    ``names`` hold, strings and ints only: at most :data:`MAX_KEYS` spread evenly, and
    :data:`MAX_OWN_KEYS` no other of those tables holds. Indexes of one set of records
    share most keys (``by_name``, ``by_apolitical_name``); the few only one holds
    (``'TAIWAN'``) are what reach the lookup a rewrite may drop."""
    every = _all_keys(module, names)
    tables_holding = Counter(k for keys in every.values() for k in keys)
    several = sum(1 for keys in every.values() if keys) > 1
    out: dict[str, list[object]] = {}
    for name, keys in every.items():
        spread = _spread(keys, MAX_KEYS)
        own = [k for k in keys if several and tables_holding[k] == 1 and k not in spread]
        if spread:
            out[name] = [*spread, *_spread(own, MAX_OWN_KEYS)]
    return out


def _spread(items: list[object], count: int) -> list[object]:
    """At most ``count`` of ``items``, spread evenly over them."""
    if len(items) <= count:
        return items
    return [items[i * len(items) // count] for i in range(count)]


def _all_keys(module: types.ModuleType, names: list[str]) -> dict[str, list[object]]:
    """name -> every key or member (strings and ints, not too long) of those tables."""
    out: dict[str, list[object]] = {}
    for name in names:
        obj = _lookup(module, name)
        if isinstance(obj, (set, frozenset)):
            try:
                members: list[object] = sorted(obj, key=repr)
            except Exception:  # noqa: BLE001 - a member whose repr raises
                continue
        elif isinstance(obj, (dict, list, tuple)):
            members = list(obj)
        else:
            continue
        out[name] = [
            k
            for k in dict.fromkeys(m for m in members if type(m) in (str, int))
            if len(repr(k)) <= MAX_KEY_CHARS
        ]
    return out


def _module(spec: dict[str, Any], scope: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "params": {}, "returns": {}, "patterns": {}, "keys": {}, "written": {}, "error": None
    }  # fmt: skip
    try:
        module = importlib.import_module(spec["name"])
    except BaseException as error:  # noqa: BLE001 - reported; the generator falls back
        if isinstance(error, KeyboardInterrupt):
            raise
        record["error"] = f"{type(error).__name__}: {error}"[:300]
        return record
    namespace = _namespace(module, spec.get("checking", []))
    aliases = spec.get("aliases", {})

    def evaluate(text: str, module_name: str) -> Any:
        owner = sys.modules.get(module_name)
        if owner is None or owner is module:
            return _eval(text, namespace, _Names(namespace, aliases))
        return _eval(text, vars(owner), _Names(vars(owner), {}))

    def spec_of(text: str) -> TypeSpec:
        try:
            value = evaluate(text, spec["name"])
        except BaseException as error:  # noqa: BLE001 - not an expression we can evaluate
            if isinstance(error, KeyboardInterrupt):
                raise
            return TypeSpec("unknown", name=text[:80])
        return from_type(value, module, evaluate)

    for target in spec.get("targets", []):
        params = {name: spec_of(text) for name, text in target["params"] if text}
        record["params"][target["qualname"]] = params
        if target.get("returns"):
            record["returns"][target["qualname"]] = spec_of(target["returns"])
    record["patterns"] = _patterns(module, spec.get("pattern_names", []))
    record["keys"] = _keys(module, spec.get("table_names", []))
    record["written"] = written_by_package(module, scope)
    return record


def resolve_all(request: dict[str, Any]) -> dict[str, Any]:
    """Resolve every module of ``request`` (see the module docstring for the shapes)."""
    for entry in reversed(request["sys_path"]):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    scope = [m["name"] for m in request["modules"]]
    return {"modules": {m["name"]: _module(m, scope) for m in request["modules"]}}


if __name__ == "__main__":
    from pytest_autoimprove.generators.performance.probe import serve

    sys.exit(serve(resolve_all, sys.argv[1:]))
