"""Find what to guard in a module: its public functions, methods and constructors.

Read with libcst, never imported here (the probe subprocess imports the code). For each
target we keep what input inference needs (parameters, annotations and defaults as
source text, the docstring, which parameters the body checks against ``None``) and
what the findings heuristic needs (the exception names the module raises on purpose
or documents).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from pytest_autoimprove.generators.usage import Callees, NoneChecks, Usage

__all__ = [
    "ModuleInfo",
    "Param",
    "Target",
    "aliases",
    "discover",
    "is_generator",
    "module_name",
]


@dataclass(frozen=True)
class Param:
    """One parameter of a target (``self``/``cls`` excluded).

    :param kind: ``positional`` (positional-or-keyword or positional-only),
        ``keyword`` (keyword-only), ``star`` (``*args``) or ``double_star`` (``**kw``).
    :param none_checked: the body compares this name with ``None`` (so None is a
        valid input the code means to handle).
    :param usage: what the body does with it, when that tells its type (see
        :class:`~pytest_autoimprove.generators.usage.Usage`): ``callable``, ``stream``,
        ``dict``, ``bytes``, ``str``, ``list``, ``iterable``, ``int`` or ``float``;
        ``None`` when nothing telling was seen.
    :param arity: for a ``callable``, how many arguments the body calls it with.
    """

    name: str
    kind: str
    annotation: str | None
    default: str | None
    none_checked: bool
    usage: str | None = None
    arity: int | None = None

    @property
    def internal(self) -> bool:
        """A private parameter with a default (``_w=WHITESPACE.match``, ``_len=len``):
        a global cached as a local for speed, which no caller passes."""
        return self.name.startswith("_") and self.default is not None


@dataclass(frozen=True)
class Target:
    """A callable to guard: ``func``, ``Class`` (its constructor) or ``Class.method``.

    :param kind: ``function``, ``constructor``, ``method``, ``staticmethod`` or ``classmethod``.
    """

    qualname: str
    kind: str
    params: tuple[Param, ...]
    line: int
    docstring: str
    raises: tuple[str, ...]

    @property
    def class_name(self) -> str | None:
        if self.kind == "function":
            return None
        return self.qualname.split(".")[0]

    @property
    def slug(self) -> str:
        return self.qualname.replace(".", "_")


@dataclass(frozen=True)
class ModuleInfo:
    """The targets of one module in scope.

    :param path: the file, relative to the repo root.
    :param name: its dotted import name.
    :param import_root: the folder (relative to the repo root) to put on ``sys.path``.
    :param expected_exceptions: exception names raised on purpose (``raise X``) anywhere
        in the module or named in a docstring; others raised by the baseline are findings.
    :param aliases: module names bound to a function or class of the module under
        another name (``packb -> ("_packb3",)``), see :func:`aliases`.
    """

    path: Path
    name: str
    import_root: Path
    targets: tuple[Target, ...]
    expected_exceptions: frozenset[str]
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def module_name(root: Path, path: Path) -> tuple[str, Path]:
    """The dotted name of ``path`` (relative to ``root``) and its import root.

    The import root is the first folder upwards without an ``__init__.py``, which is
    how a ``src/`` layout and a flat layout both resolve.
    """
    rel = Path(path)
    parts = [rel.stem] if rel.stem != "__init__" else []
    folder = rel.parent
    while folder != Path(".") and (root / folder / "__init__.py").exists():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts), folder


_DOC_RAISES = re.compile(
    r"(?::raises?\s+([A-Za-z_][\w.]*)\s*:)|(?:^\s*([A-Z][A-Za-z_]*(?:Error|Exception|Warning))\b)"
    r"|(?:\braises?\s+(?:an?\s+)?`*([A-Z][A-Za-z_]*(?:Error|Exception))`*)",
    re.MULTILINE,
)


def _doc_exceptions(doc: str) -> set[str]:
    found: set[str] = set()
    for match in _DOC_RAISES.finditer(doc):
        name = next(g for g in match.groups() if g)
        found.add(name.rsplit(".", 1)[-1])
    return found


class _RaiseCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Raise(self, node: cst.Raise) -> None:
        exc = node.exc
        if isinstance(exc, cst.Call):
            exc = exc.func
        if isinstance(exc, cst.Name):
            self.names.append(exc.value)
        elif isinstance(exc, cst.Attribute):
            self.names.append(exc.attr.value)


def _source(module: cst.Module, node: cst.CSTNode | None) -> str | None:
    return None if node is None else module.code_for_node(node)


def is_generator(function: cst.FunctionDef) -> bool:
    """``function`` yields (a generator): a ``yield`` in its own body, not a nested one's."""

    class _Yield(cst.CSTVisitor):
        found = False

        def visit_Yield(self, node: cst.Yield) -> None:
            self.found = True

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False  # nested functions' yields are theirs

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

    visitor = _Yield()
    for stmt in function.body.children:
        stmt.visit(visitor)
    return visitor.found


def _decorators(node: cst.FunctionDef) -> set[str]:
    names = set()
    for dec in node.decorators:
        expr = dec.decorator
        if isinstance(expr, cst.Call):
            expr = expr.func
        if isinstance(expr, cst.Name):
            names.add(expr.value)
        elif isinstance(expr, cst.Attribute):
            names.add(expr.attr.value)
    return names


def _params(
    module: cst.Module,
    node: cst.FunctionDef,
    drop_first: bool,
    callees: Callees | None = None,
    cls: str | None = None,
) -> tuple[Param, ...]:
    """The parameters of ``node``; an untyped one the body only passes on takes the
    use the function it is passed to makes of it (see :class:`.usage.Callees`)."""
    checks = NoneChecks()
    node.body.visit(checks)
    usage = Usage()
    node.body.visit(usage)
    out: list[Param] = []

    def add(param: cst.Param, kind: str) -> None:
        annotation = param.annotation.annotation if param.annotation else None
        name = param.name.value
        used = usage.usage(name, typed=annotation is not None)
        if used is None and annotation is None and callees is not None:
            used = callees.usage(usage.passed.get(name, []), cls)
        out.append(
            Param(
                name=name,
                kind=kind,
                annotation=_source(module, annotation),
                default=_source(module, param.default),
                none_checked=name in checks.names,
                usage=used,
                arity=usage.arity.get(name) if used == "callable" else None,
            )
        )

    p = node.params
    positional = list(p.posonly_params) + list(p.params)
    if drop_first and positional:
        positional = positional[1:]
    for param in positional:
        add(param, "positional")
    if isinstance(p.star_arg, cst.Param):
        add(p.star_arg, "star")
    for param in p.kwonly_params:
        add(param, "keyword")
    if p.star_kwarg is not None:
        add(p.star_kwarg, "double_star")
    return tuple(out)


def _target(
    module: cst.Module,
    wrapper_positions: dict[cst.CSTNode, int],
    node: cst.FunctionDef,
    qualname: str,
    kind: str,
    callees: Callees | None = None,
) -> Target:
    collector = _RaiseCollector()
    node.visit(collector)
    doc = node.get_docstring() or ""
    return Target(
        qualname=qualname,
        kind=kind,
        params=_params(
            module,
            node,
            drop_first=kind in ("method", "constructor", "classmethod", "property"),
            callees=callees,
            cls=qualname.split(".")[0] if kind != "function" else None,
        ),
        line=wrapper_positions.get(node, 0),
        docstring=doc,
        raises=tuple(dict.fromkeys(collector.names)),
    )


def _public(name: str) -> bool:
    return not name.startswith("_")


#: Special methods that are a class's public API (a container's, a callable's): guarded
#: like public methods. ``obj[k]`` is ``obj.__getitem__(k)``.
PROTOCOL_METHODS = frozenset(
    {"__getitem__", "__setitem__", "__delitem__", "__contains__", "__len__", "__iter__", "__call__"}
)


def discover(
    root: Path, path: Path, *, all_kinds: bool = False, also: frozenset[str] = frozenset()
) -> ModuleInfo:
    """Parse ``root / path`` and list its public targets, in source order.

    :param all_kinds: also generator functions, ``async def`` functions and methods,
        and properties (kind ``property``); the speed generator guards them all, by
        consuming what they yield (bounded) and awaiting what they return.
    :param also: names of private functions, classes or methods (``_build_value``,
        ``Parser._scan``) that are targets too: improve.md names them.
    """
    source = (root / path).read_text(encoding="utf-8")
    wrapper = MetadataWrapper(cst.parse_module(source))
    module = wrapper.module
    positions = {node: pos.start.line for node, pos in wrapper.resolve(PositionProvider).items()}
    name, import_root = module_name(root, path)
    targets: list[Target] = []
    expected: set[str] = set()
    collector = _RaiseCollector()
    module.visit(collector)
    expected.update(collector.names)
    expected.update(_doc_exceptions(module.get_docstring() or ""))
    explicit_all = _explicit_all(module)
    bound = aliases(module)
    callees = Callees(module)

    def listed(n: str) -> bool:
        return n in explicit_all if explicit_all is not None else _public(n)

    def exported(n: str) -> bool:
        if n in also or any(name.startswith(f"{n}.") for name in also):
            return True  # named, or a class one of whose methods is named
        # A private function a public name is bound to (`packb = _packb3`) is the API:
        # when improve.md names the alias, or when the alias is bound to it alone.
        for alias, defs in bound.items():
            if n in defs and (alias in also or (len(defs) == 1 and listed(alias))):
                return True
        return listed(n)

    classes = {stmt.name.value: stmt for stmt in module.body if isinstance(stmt, cst.ClassDef)}
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef) and exported(stmt.name.value):
            lazy = isinstance(stmt.asynchronous, cst.Asynchronous) or is_generator(stmt)
            if lazy and not all_kinds:
                continue
            target = _target(module, positions, stmt, stmt.name.value, "function", callees)
            expected.update(_doc_exceptions(target.docstring))
            targets.append(target)
        elif isinstance(stmt, cst.ClassDef) and exported(stmt.name.value):
            targets.extend(
                _class_targets(module, positions, stmt, expected, all_kinds, also, callees, classes)
            )
    return ModuleInfo(
        path=Path(path),
        name=name,
        import_root=import_root,
        targets=tuple(targets),
        expected_exceptions=frozenset(expected),
        aliases=bound,
    )


def aliases(module: cst.Module) -> dict[str, tuple[str, ...]]:
    """Module names bound to a function or class the module defines under another name:
    ``loads = _loads`` at module level, or ``packb = _packb3`` in a function that
    declares ``global packb`` (a set-up run at import, picking the implementation for
    the running Python), or a call given a class of the module (``Validator =
    validator_factory("Validator", BareValidator)``: the public class is made from
    it). ``alias -> the names it is bound to``, in source order."""
    defined = {
        stmt.name.value for stmt in module.body if isinstance(stmt, (cst.FunctionDef, cst.ClassDef))
    }
    classes = {stmt.name.value for stmt in module.body if isinstance(stmt, cst.ClassDef)}
    found: dict[str, list[str]] = {}

    def collect(body: Sequence[cst.CSTNode], names: frozenset[str] | None) -> None:
        for node in body:
            for assign in _assignments(node):
                bound = _bound_names(assign.value, defined, classes)
                for target in assign.targets:
                    name = target.target
                    if not isinstance(name, cst.Name) or (
                        names is not None and name.value not in names
                    ):
                        continue
                    for value in bound:
                        if name.value != value:
                            defs = found.setdefault(name.value, [])
                            if value not in defs:
                                defs.append(value)

    collect(module.body, None)
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            declared = _globals(stmt)
            if declared:
                collect([stmt.body], declared)
    return {alias: tuple(defs) for alias, defs in found.items()}


def _bound_names(value: cst.BaseExpression, defined: set[str], classes: set[str]) -> list[str]:
    """The defined names an assigned value binds: a name itself, or the classes a call
    is given by name (a class factory, ``type(...)``)."""
    if isinstance(value, cst.Name):
        return [value.value] if value.value in defined else []
    if isinstance(value, cst.Call):
        return [
            a.value.value
            for a in value.args
            if isinstance(a.value, cst.Name) and a.value.value in classes
        ]
    return []


def _assignments(node: cst.CSTNode) -> list[cst.Assign]:
    """The plain assignments in ``node``, inside ``if``/``try`` blocks too (not in
    nested functions or classes, whose names are their own)."""
    out: list[cst.Assign] = []

    class Collect(cst.CSTVisitor):
        def visit_Assign(self, assign: cst.Assign) -> None:
            out.append(assign)

        def visit_FunctionDef(self, _: cst.FunctionDef) -> bool:
            return False

        def visit_ClassDef(self, _: cst.ClassDef) -> bool:
            return False

    node.visit(Collect())
    return out


def _globals(function: cst.FunctionDef) -> frozenset[str]:
    """Names a function declares ``global``."""
    names: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_Global(self, node: cst.Global) -> None:
            names.update(item.name.value for item in node.names)

    function.body.visit(Collect())
    return frozenset(names)


def _class_targets(
    module: cst.Module,
    positions: dict[cst.CSTNode, int],
    node: cst.ClassDef,
    expected: set[str],
    all_kinds: bool = False,
    also: frozenset[str] = frozenset(),
    callees: Callees | None = None,
    classes: Mapping[str, cst.ClassDef] | None = None,
) -> list[Target]:
    """The constructor and the methods of class ``node``.

    :param classes: the module's classes by name: a class without an ``__init__`` or
        ``__new__`` of its own takes its constructor's parameters from the nearest base
        of the module that has one (``class intrange(Range)``), or from the standard
        value type it extends (``class Gregorian(datetime.date)``).
    """
    cls = node.name.value
    expected.update(_doc_exceptions(node.get_docstring() or ""))
    if _is_exception_class(node):
        return []
    init: cst.FunctionDef | None = None
    new: cst.FunctionDef | None = None
    methods: list[Target] = []
    for stmt in node.body.body:
        if not isinstance(stmt, cst.FunctionDef):
            continue
        method = stmt.name.value
        decorators = _decorators(stmt)
        if method == "__init__":
            init = stmt
            continue
        if method == "__new__":
            new = stmt
            continue
        named = method in also or f"{cls}.{method}" in also
        listed = _public(method) or method in PROTOCOL_METHODS or named
        if not listed or "abstractmethod" in decorators:
            continue
        lazy = isinstance(stmt.asynchronous, cst.Asynchronous) or is_generator(stmt)
        if lazy and not all_kinds:
            continue
        if decorators & {"setter", "deleter"}:
            continue
        if decorators & {"property", "cached_property"}:
            if all_kinds and not lazy:
                target = _target(module, positions, stmt, f"{cls}.{method}", "property", callees)
                methods.append(target)
            continue
        kind = (
            "staticmethod"
            if "staticmethod" in decorators
            else "classmethod"
            if "classmethod" in decorators
            else "method"
        )
        target = _target(module, positions, stmt, f"{cls}.{method}", kind, callees)
        expected.update(_doc_exceptions(target.docstring))
        methods.append(target)
    made_by = init or new  # a tuple or float subclass takes its arguments in __new__
    inherited = _inherited_constructor(node, classes or {})
    if made_by is None and isinstance(inherited, cst.FunctionDef):
        made_by = inherited
    if made_by is not None:
        ctor = _target(module, positions, made_by, cls, "constructor", callees)
        params = ctor.params
        if inherited is not None and _passes_through(params):
            # ``def __init__(self, *args, **kwargs): super().__init__(*args, **kwargs)``
            # then a normalisation: the base's parameters are the ones callers pass.
            params = (
                _target(module, positions, inherited, cls, "constructor", callees).params
                if isinstance(inherited, cst.FunctionDef)
                else inherited
            )
        ctor = Target(
            ctor.qualname,
            ctor.kind,
            params,
            positions.get(node, 0),
            node.get_docstring() or "",
            ctor.raises,
        )
    else:
        params = (
            _dataclass_fields(module, node)
            if _is_dataclass(node) or _is_named_tuple(node)
            else _namedtuple_base_fields(node)
            or (inherited if isinstance(inherited, tuple) else ())
        )
        ctor = Target(
            cls, "constructor", params, positions.get(node, 0), node.get_docstring() or "", ()
        )
    return [ctor, *methods]


def _passes_through(params: Sequence[Param]) -> bool:
    """Only ``*args`` and ``**kwargs``: a constructor that hands them to its base."""
    return bool(params) and all(p.kind in ("star", "double_star") for p in params)


def _forwards(function: cst.FunctionDef) -> bool:
    """``def __init__(self, *args, **kwargs)``: what it takes, its base says."""
    params = function.params
    named = [*params.posonly_params, *params.params, *params.kwonly_params]
    return len(named) <= 1 and isinstance(params.star_arg, cst.Param)


def _p(name: str, annotation: str, default: str | None = None) -> Param:
    return Param(name, "positional", annotation, default, False)


#: The constructor parameters of the standard value types a class may extend without
#: a constructor of its own (``class Gregorian(datetime.date)``).
_VALUE_BASES: dict[str, tuple[Param, ...]] = {
    "date": (_p("year", "int"), _p("month", "int"), _p("day", "int")),
    "datetime": (
        _p("year", "int"), _p("month", "int"), _p("day", "int"),
        _p("hour", "int", "0"), _p("minute", "int", "0"), _p("second", "int", "0"),
    ),
    "time": (_p("hour", "int", "0"), _p("minute", "int", "0"), _p("second", "int", "0")),
    "Decimal": (_p("value", "str"),),
    "Fraction": (_p("numerator", "int"), _p("denominator", "int", "1")),
}  # fmt: skip


def _inherited_constructor(
    node: cst.ClassDef, classes: Mapping[str, cst.ClassDef], depth: int = 0
) -> cst.FunctionDef | tuple[Param, ...] | None:
    """The ``__init__`` (or ``__new__``) the class inherits from the nearest base of the
    module that defines one, or the parameters of the standard value type it extends;
    ``None`` when neither (the first base decides, as Python's order does)."""
    for base in node.bases:
        text = cst.Module([]).code_for_node(base.value)
        parent = classes.get(text)
        if parent is not None and parent is not node and depth < 8:
            defined = {
                stmt.name.value: stmt
                for stmt in parent.body.body
                if isinstance(stmt, cst.FunctionDef)
            }
            made_by = defined.get("__init__") or defined.get("__new__")
            if made_by is not None and not _forwards(made_by):
                return made_by
            found = _inherited_constructor(parent, classes, depth + 1)
            if found is not None:
                return found
        value = _VALUE_BASES.get(text.rpartition(".")[2])
        if value is not None:
            return value
    return None


def _is_dataclass(node: cst.ClassDef) -> bool:
    for dec in node.decorators:
        expr = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
        name = expr.attr.value if isinstance(expr, cst.Attribute) else getattr(expr, "value", "")
        if name in ("dataclass", "define", "attrs", "frozen"):
            return True
    return False


def _is_named_tuple(node: cst.ClassDef) -> bool:
    """``class P(NamedTuple)``: its annotated attributes are its constructor's fields."""
    return any(
        cst.Module([]).code_for_node(base.value) in ("NamedTuple", "typing.NamedTuple")
        for base in node.bases
    )


def _namedtuple_base_fields(node: cst.ClassDef) -> tuple[Param, ...]:
    """``class Week(namedtuple('Week', 'year week'))``: the fields the base takes."""
    for base in node.bases:
        call = base.value
        if not (isinstance(call, cst.Call) and len(call.args) >= 2):
            continue
        func = call.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if name != "namedtuple":
            continue
        fields = call.args[1].value
        names: list[str] = []
        if isinstance(fields, cst.SimpleString):
            names = str(fields.evaluated_value).replace(",", " ").split()
        elif isinstance(fields, (cst.List, cst.Tuple)):
            for element in fields.elements:
                if not isinstance(element.value, cst.SimpleString):
                    return ()
                names.append(str(element.value.evaluated_value))
        return tuple(Param(n, "positional", None, None, False) for n in names if n.isidentifier())
    return ()


def _dataclass_fields(module: cst.Module, node: cst.ClassDef) -> tuple[Param, ...]:
    """The generated ``__init__``'s parameters: annotated class attributes, in order."""
    params = []
    for stmt in node.body.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not (isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name)):
                continue
            annotation = module.code_for_node(small.annotation.annotation)
            if annotation.startswith(("ClassVar", "typing.ClassVar")):
                continue
            default = module.code_for_node(small.value) if small.value is not None else None
            if default is not None and default.startswith(("field(", "dataclasses.field(")):
                default = "..."  # a factory: leave it to the class
            params.append(Param(small.target.value, "positional", annotation, default, False))
    return tuple(params)


def _is_exception_class(node: cst.ClassDef) -> bool:
    for base in node.bases:
        text = cst.Module([]).code_for_node(base.value)
        if text.endswith(("Error", "Exception", "Warning")):
            return True
    return False


def _explicit_all(module: cst.Module) -> set[str] | None:
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and small.targets[0].target.value == "__all__"
                and isinstance(small.value, (cst.List, cst.Tuple))
            ):
                names = set()
                for element in small.value.elements:
                    if isinstance(element.value, cst.SimpleString):
                        names.add(str(element.value.evaluated_value))
                return names
    return None
