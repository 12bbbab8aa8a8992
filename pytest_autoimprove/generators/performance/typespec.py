"""A parameter's type as plain data: what an annotation means, resolved where it was written.

:func:`from_type` turns a typing object (``Optional[Dict[str, Point]]``, a ``Literal``,
an enum, a dataclass, a ``NamedTuple``, a ``TypedDict``, a ``Callable``, a user class)
into a :class:`TypeSpec` tree the generator can read without importing the code. It
runs inside the resolver subprocess (:mod:`.resolve`), where the module is imported.
A user class is described by its constructor's parameters, resolved the same way (a
few levels deep), so a value can be built by calling it; a class without a usable
constructor is left to a factory (:mod:`.factories`).
"""

from __future__ import annotations

import collections
import collections.abc as abc
import dataclasses
import enum
import inspect
import re
import sys
import types
import typing
from dataclasses import dataclass
from typing import Any

__all__ = ["FROM_BYTES", "FROM_BYTES_NAMES", "Field", "TypeSpec", "from_type", "path_in"]

#: How deep constructor parameters of classes are resolved (a class of classes...).
MAX_DEPTH = 3


@dataclass(frozen=True)
class Field:
    """A constructor parameter or a TypedDict key."""

    name: str
    spec: TypeSpec
    required: bool
    keyword: bool = True


@dataclass(frozen=True)
class TypeSpec:
    """What values a parameter takes.

    :param t: ``scalar`` (``name``: int, float, str, bool, bytes, complex), ``none``,
        ``list``/``set``/``iterator`` (``args``: the item), ``tuple`` (``args``: the
        items, ``variadic``: ``tuple[X, ...]``), ``dict`` (``args``: key, value),
        ``union`` (``args``: the options), ``literal`` (``values``: their source),
        ``enum`` (``values``: member names), ``class`` (``fields``: its constructor),
        ``typeddict`` (``fields``: its keys), ``callable`` (``arity``), ``type`` (a
        class or an annotation: ``type``, ``Type[T]``), ``any``, or ``unknown``
        (``name``: the annotation text).
    :param name: the scalar's name, or the dotted path a value is built with
        (``"Point"`` in the module, ``"decimal.Decimal"`` elsewhere).
    :param type_name: ``module.QualName`` of a class (factories are matched on it).
    :param flavor: for a class: ``dataclass``, ``namedtuple``, ``class``, or
        ``opaque`` (a protocol, an ABC, a C type: only a factory can make one).
    """

    t: str
    name: str = ""
    type_name: str = ""
    args: tuple[TypeSpec, ...] = ()
    values: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    arity: int | None = None
    variadic: bool = False
    flavor: str = ""


ANY = TypeSpec("any")
#: Subclasses of an abstract parameter type looked at for one to build.
MAX_SUBCLASSES = 20
_STR, _INT = TypeSpec("scalar", "str"), TypeSpec("scalar", "int")
#: Builtin values a protocol of the module may stand for, in the order tried.
_STAND_INS: tuple[tuple[type, TypeSpec], ...] = (
    (dict, TypeSpec("dict", args=(_STR, _INT))),
    (list, TypeSpec("list", args=(_STR,))),
    (str, _STR),
    (int, _INT),
    (float, TypeSpec("scalar", "float")),
    (bytes, TypeSpec("scalar", "bytes")),
)
#: Names a protocol class holds that are not members it asks for.
_NOT_MEMBERS = frozenset(
    {
        *("__module__", "__doc__", "__qualname__", "__dict__", "__weakref__", "__slots__"),
        *("__parameters__", "__orig_bases__", "__init__", "__subclasshook__"),
        *("__abstractmethods__", "__annotations__", "__class_getitem__", "__init_subclass__"),
        *("__protocol_attrs__", "__non_callable_proto_members__", "__type_params__"),
        *("__callable_proto_members_only__", "__static_attributes__", "__firstlineno__"),
        *("_is_protocol", "_is_runtime_protocol"),
    }
)


def _stand_in(protocol: type) -> TypeSpec | None:
    """The first builtin type having every member ``protocol`` asks for (a protocol
    with ``keys`` and ``__getitem__``: a dict): no one constructs a protocol, but
    values of that builtin are what its callers pass."""
    members: set[str] = set()
    for base in protocol.__mro__:
        if base is typing.Protocol or not getattr(base, "_is_protocol", False):
            continue
        names = {*vars(base), *vars(base).get("__annotations__", {})}
        members |= {n for n in names if n not in _NOT_MEMBERS and not n.startswith("_abc_")}
    if not members:
        return None
    return next((spec for tp, spec in _STAND_INS if all(hasattr(tp, m) for m in members)), None)


_SCALARS = {
    int: "int",
    float: "float",
    str: "str",
    bool: "bool",
    bytes: "bytes",
    complex: "complex",
}
#: Builtin types a caller makes from bytes (``data: memoryview``, ``buf: bytearray``):
#: built by that call, since no factory of the module returns one.
FROM_BYTES = (memoryview, bytearray)
#: The same types by the name a ``Build`` of the pools calls them by.
FROM_BYTES_NAMES = frozenset(tp.__name__ for tp in FROM_BYTES)
_LISTS = {
    list,
    abc.Sequence,
    abc.MutableSequence,
    abc.Iterable,
    abc.Collection,
    abc.Reversible,
    abc.Container,
    collections.deque,
}
_ITERATORS = {abc.Iterator, abc.Generator}
_SETS = {set, frozenset, abc.Set, abc.MutableSet}
_DICTS = {
    dict,
    abc.Mapping,
    abc.MutableMapping,
    collections.OrderedDict,
    collections.defaultdict,
    collections.ChainMap,
}


def path_in(module: types.ModuleType | None, obj: Any) -> str:
    """How ``obj`` (a class or function) is named from ``module``: its name there, else
    ``module.qualname`` (a dotted path the test resolves by import)."""
    qualname = getattr(obj, "__qualname__", getattr(obj, "__name__", "?"))
    if module is not None:
        namespace = vars(module)
        for name, value in namespace.items():
            if value is obj and not name.startswith("__"):
                return name
        owner = sys.modules.get(getattr(obj, "__module__", "") or "")
        for name, value in namespace.items():
            if owner is not None and value is owner:
                return f"{name}.{qualname}"
    return f"{getattr(obj, '__module__', 'builtins')}.{qualname}"


def _type_name(tp: type) -> str:
    return f"{tp.__module__}.{tp.__qualname__}"


class _Converter:
    def __init__(self, module: types.ModuleType | None, evaluate: Any) -> None:
        self.module = module
        # ``evaluate(text, module_name)`` -> a typing object, for string annotations of
        # constructor parameters written in other modules.
        self.evaluate = evaluate
        self.active: set[int] = set()

    def convert(self, tp: Any, depth: int) -> TypeSpec:
        unresolved = vars(tp).get("__autoimprove_unresolved__") if isinstance(tp, type) else None
        if unresolved is not None:  # a name only type checkers know (see .resolve)
            return TypeSpec("unknown", name=str(unresolved))
        if isinstance(tp, str):
            return self.convert(self.evaluate(tp, getattr(self.module, "__name__", "")), depth)
        if isinstance(tp, typing.ForwardRef):
            return self.convert(tp.__forward_arg__, depth)
        if tp is None or tp is type(None):
            return TypeSpec("none")
        if tp is typing.Any or tp is object:
            return ANY
        if isinstance(tp, typing.TypeVar):
            if tp.__constraints__:
                return self._union(tp.__constraints__, depth)
            return self.convert(tp.__bound__, depth) if tp.__bound__ is not None else ANY
        supertype = getattr(tp, "__supertype__", None)  # typing.NewType
        if supertype is not None:
            return self.convert(supertype, depth)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            return self.convert(args[0], depth)
        if origin is typing.Union or isinstance(tp, types.UnionType):
            return self._union(args, depth)
        if origin is typing.Literal:
            return TypeSpec("literal", values=tuple(self._literal(v) for v in args))
        if origin is not None:
            return self._generic(origin, args, depth)
        if tp is type:
            return TypeSpec("type")
        if isinstance(tp, type):
            return self._class(tp, depth)
        return TypeSpec("unknown", name=getattr(tp, "__name__", repr(tp))[:80])

    def _union(self, args: Any, depth: int) -> TypeSpec:
        options: list[TypeSpec] = []
        for arg in args:
            spec = self.convert(arg, depth)
            for option in spec.args if spec.t == "union" else (spec,):
                if option not in options:
                    options.append(option)
        return options[0] if len(options) == 1 else TypeSpec("union", args=tuple(options))

    def _literal(self, value: Any) -> str:
        if isinstance(value, enum.Enum):
            return f"Ref({path_in(self.module, type(value)) + '.' + value.name!r})"
        return repr(value)

    def _generic(self, origin: Any, args: tuple[Any, ...], depth: int) -> TypeSpec:
        def item(i: int) -> TypeSpec:
            return self.convert(args[i], depth) if len(args) > i else ANY

        if origin in _LISTS:
            return TypeSpec("list", args=(item(0),))
        if origin in _ITERATORS:
            return TypeSpec("iterator", args=(item(0),))
        if origin in _SETS:
            return TypeSpec("set", args=(item(0),))
        if origin is collections.Counter:
            return TypeSpec("dict", args=(item(0), TypeSpec("scalar", "int")))
        if origin in _DICTS:
            return TypeSpec("dict", args=(item(0), item(1)))
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return TypeSpec("tuple", args=(item(0),), variadic=True)
            if args == ((),):
                return TypeSpec("tuple", args=())
            return TypeSpec("tuple", args=tuple(self.convert(a, depth) for a in args))
        if origin is abc.Callable:
            params = args[0] if args else None
            return TypeSpec("callable", arity=len(params) if isinstance(params, list) else None)
        if origin is type:
            return TypeSpec("type")
        if origin in (re.Pattern,):
            return self._class(re.Pattern, depth)
        if origin is typing.IO and args and args[0] is bytes:
            # ``IO[bytes]``: a binary stream (an encoder writing to a StringIO only raises).
            return self._class(typing.BinaryIO, depth)
        if isinstance(origin, type):
            return self._class(origin, depth)
        return ANY

    def _class(self, tp: type, depth: int) -> TypeSpec:
        if tp in _SCALARS:
            return TypeSpec("scalar", _SCALARS[tp])
        if tp in _LISTS or tp in _SETS or tp in _DICTS or tp is tuple or tp in _ITERATORS:
            return self._generic(tp, (), depth)
        if tp is abc.Callable:  # type: ignore[comparison-overlap]
            return TypeSpec("callable")
        if tp is abc.Hashable:
            # A key or a set's element (``T = TypeVar("T", bound=Hashable)``): text and
            # numbers are what callers mostly store.
            return TypeSpec("union", args=(TypeSpec("scalar", "str"), TypeSpec("scalar", "int")))
        if tp in FROM_BYTES:
            data = Field("data", TypeSpec("scalar", "bytes"), required=True, keyword=False)
            return TypeSpec(
                "class", name=tp.__name__, type_name=_type_name(tp), fields=(data,), flavor="class"
            )
        path = path_in(self.module, tp)
        name = _type_name(tp)
        if issubclass(tp, enum.Enum):
            members = tuple(m.name for m in tp)
            return TypeSpec("enum", name=path, type_name=name, values=members)
        if typing.is_typeddict(tp):
            return TypeSpec(
                "typeddict", name=path, type_name=name, fields=self._typeddict(tp, depth)
            )
        base = TypeSpec("class", name=path, type_name=name, flavor="opaque")
        if depth >= MAX_DEPTH or id(tp) in self.active or tp.__module__ == "builtins":
            return base
        if getattr(tp, "_is_protocol", False):
            return _stand_in(tp) or base
        if inspect.isabstract(tp):
            return self._concrete(tp, depth) or base
        self.active.add(id(tp))
        try:
            fields, flavor = self._constructor(tp, depth + 1)
        finally:
            self.active.discard(id(tp))
        if fields is None:
            return base
        return TypeSpec("class", name=path, type_name=name, fields=fields, flavor=flavor)

    def _concrete(self, abstract: type, depth: int) -> TypeSpec | None:
        """A subclass of ``abstract`` (``storage: Storage``) that is loaded, concrete and
        built with no argument (``MemoryStorage()``): what a caller passes, when no one
        can construct the base. Those of the same package first, then by name; never
        one whose constructor needs arguments (a path to a file it would create)."""
        found: list[type] = []
        todo: list[type] = list(abstract.__subclasses__())
        while todo and len(found) < MAX_SUBCLASSES:
            sub = todo.pop(0)
            todo.extend(sub.__subclasses__())
            if not inspect.isabstract(sub) and sub not in found:
                found.append(sub)
        package = abstract.__module__.partition(".")[0]
        found.sort(key=lambda c: (c.__module__.partition(".")[0] != package, _type_name(c)))
        for sub in found:
            spec = self._class(sub, depth)
            built = spec.t == "class" and spec.flavor != "opaque"
            if built and not any(f.required for f in spec.fields):
                return spec
        return None

    def _hints(self, obj: Any, owner: type) -> dict[str, Any]:
        try:
            return typing.get_type_hints(obj)
        except Exception:  # noqa: BLE001 - annotations for type checkers only: one at a time
            pass
        raw = getattr(obj, "__annotations__", {}) or {}
        hints: dict[str, Any] = {}
        for key, value in raw.items():
            try:
                hints[key] = (
                    self.evaluate(value, owner.__module__) if isinstance(value, str) else value
                )
            except Exception:  # noqa: BLE001
                hints[key] = typing.Any
        return hints

    def _typeddict(self, tp: type, depth: int) -> tuple[Field, ...]:
        hints = self._hints(tp, tp)
        required = getattr(tp, "__required_keys__", frozenset(hints))
        return tuple(Field(k, self.convert(v, depth + 1), k in required) for k, v in hints.items())

    def _constructor(self, tp: type, depth: int) -> tuple[tuple[Field, ...] | None, str]:
        if dataclasses.is_dataclass(tp):
            hints = self._hints(tp, tp)
            out = []
            for f in dataclasses.fields(tp):
                if not f.init:
                    continue
                required = (
                    f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                )
                out.append(Field(f.name, self.convert(hints.get(f.name, ANY), depth), required))
            return tuple(out), "dataclass"
        if issubclass(tp, tuple) and hasattr(tp, "_fields"):
            hints = self._hints(tp, tp)
            defaults = getattr(tp, "_field_defaults", {})
            fields = tuple(
                Field(n, self.convert(hints.get(n, ANY), depth), n not in defaults)
                for n in tp._fields
            )
            return fields, "namedtuple"
        try:
            signature = inspect.signature(tp)
        except (TypeError, ValueError):
            return None, ""
        init = vars(tp).get("__init__")
        hints = self._hints(init, tp) if init is not None else {}
        out = []
        for param in signature.parameters.values():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            annotation = hints.get(param.name, param.annotation)
            spec = ANY if annotation is inspect.Parameter.empty else self.convert(annotation, depth)
            out.append(
                Field(
                    param.name,
                    spec,
                    param.default is inspect.Parameter.empty,
                    keyword=param.kind != param.POSITIONAL_ONLY,
                )
            )
        return tuple(out), "class"


def from_type(
    tp: Any, module: types.ModuleType | None, evaluate: Any, *, depth: int = 0
) -> TypeSpec:
    """The :class:`TypeSpec` of ``tp`` as seen from ``module`` (best effort, never raises).

    ``evaluate(text, module_name)`` turns a string annotation into a typing object.
    """
    try:
        return _Converter(module, evaluate).convert(tp, depth)
    except Exception:  # noqa: BLE001 - an odd annotation is simply unknown
        return TypeSpec("unknown", name=repr(tp)[:80])
