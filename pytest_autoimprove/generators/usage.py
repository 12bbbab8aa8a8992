"""What a function's body does with each parameter: what untyped code says of its inputs.

``for ch in text`` iterates a string, ``key(x)`` calls a callable, ``range(n)`` counts,
``fp.write(data)`` writes a stream, ``if x is None`` handles None. Read with libcst by
:mod:`~pytest_autoimprove.generators.discover` for every target's parameters.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

__all__ = ["Callees", "NoneChecks", "Usage"]


class NoneChecks(cst.CSTVisitor):
    """Names the body guards against None or emptiness.

    ``x is None``, ``x is not None``, ``x == None``, and a falsy test of the bare name
    (``if not x:``, ``if x:``, ``x or default``): the code means to handle None there,
    so None is an input worth freezing (a dropped check is a classic speed "win").
    """

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_If(self, node: cst.If) -> None:
        self._falsy_test(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._falsy_test(node.test)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if isinstance(node.operator, cst.Or) and isinstance(node.left, cst.Name):
            self.names.add(node.left.value)

    def _falsy_test(self, test: cst.BaseExpression) -> None:
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            test = test.expression
        if isinstance(test, cst.Name):
            self.names.add(test.value)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        operands = [node.left] + [c.comparator for c in node.comparisons]
        if any(isinstance(o, cst.Name) and o.value == "None" for o in operands):
            for o in operands:
                if isinstance(o, cst.Name) and o.value != "None":
                    self.names.add(o.value)


#: Builtins and itertools/functools names whose argument at a position (or keyword)
#: is called: ``map(f, xs)``, ``sorted(xs, key=f)``, ``reduce(f, xs)``.
_CALLS_ARG = {
    "map": 0,
    "filter": 0,
    "filterfalse": 0,
    "takewhile": 0,
    "dropwhile": 0,
    "starmap": 0,
    "reduce": 0,
    "partial": 0,
    "groupby": 1,
    "accumulate": 1,
}
_CALLABLE_KEYWORDS = {"key", "func", "function", "pred", "predicate", "default_factory"}
#: Calls whose first argument is iterated.
_ITERATES_ARG = {
    "list",
    "tuple",
    "set",
    "frozenset",
    "sorted",
    "iter",
    "enumerate",
    "sum",
    "any",
    "all",
    "len",
    "reversed",
    "islice",
    "cycle",
    "groupby",
    "combinations",
    "combinations_with_replacement",
    "permutations",
    "deque",
    "Counter",
    "tee",
    "chain",
    "zip",
    "zip_longest",
    "product",
    "accumulate",
    "pairwise",
    "batched",
    "compress",
}
#: Calls whose argument at a position is a count.
_COUNT_ARG = {
    "range": (0, 1, 2),
    "repeat": (1,),
    "islice": (1, 2, 3),
    "combinations": (1,),
    "permutations": (1,),
    "combinations_with_replacement": (1,),
    "batched": (1,),
    "tee": (1,),
}
_STR_METHODS = {
    "lower",
    "upper",
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "rsplit",
    "splitlines",
    "startswith",
    "endswith",
    "replace",
    "encode",
    "casefold",
    "isdigit",
    "isalpha",
    "isalnum",
    "isspace",
    "isupper",
    "islower",
    "title",
    "capitalize",
    "partition",
    "rpartition",
    "format",
    "zfill",
    "center",
    "ljust",
    "rjust",
    "expandtabs",
    "translate",
    "swapcase",
}
_DICT_METHODS = {"items", "keys", "values", "get", "setdefault", "popitem"}
_LIST_METHODS = {"append", "extend", "insert", "sort", "reverse"}
_ARITHMETIC = (
    cst.Add,
    cst.Subtract,
    cst.Multiply,
    cst.Divide,
    cst.FloorDivide,
    cst.Modulo,
    cst.Power,
)
#: When a body uses a name several ways, the most specific use wins.
_USAGE_ORDER = ("callable", "stream", "dict", "bytes", "str", "list", "iterable", "float", "int")
#: Methods only binary data has: ``data.decode()`` (text has none of its own).
_BYTES_METHODS = {"decode"}
#: Methods only a file object has: ``fp.write(data)``, ``fp.readline()``.
_STREAM_METHODS = {"write", "writelines", "read", "readline", "readlines", "readinto", "seek",
                   "tell", "flush"}  # fmt: skip


#: Types an ``isinstance`` check names, as the use they stand for (``basestring`` and
#: ``string_types``: text in code that ran on Python 2).
_ISINSTANCE_USES = {
    **dict.fromkeys(("str", "basestring", "unicode", "string_types", "text_type"), "str"),
    **dict.fromkeys(("bytes", "bytearray", "binary_type"), "bytes"),
    **dict.fromkeys(("dict", "Mapping", "MutableMapping"), "dict"),
    **dict.fromkeys(("list", "tuple", "Sequence", "MutableSequence"), "list"),
    **dict.fromkeys(("int", "Integral", "integer_types"), "int"),
    **dict.fromkeys(("float", "Real", "Number"), "float"),
}


def _called_name(func: cst.BaseExpression) -> str | None:
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


class Usage(cst.CSTVisitor):
    """What a function body does with each name: calls it, iterates it, indexes with it.

    Untyped real code says what its parameters are by how it uses them: ``key(x)``
    (a callable, whatever the name suggests), ``for x in xs``, ``s.lower()``,
    ``range(n)``. Inner functions' own parameters shadow nothing here: the names are
    only read where they are the outer parameters' names, which is how closures use them.
    """

    def __init__(self) -> None:
        self.uses: dict[str, set[str]] = {}
        self.arity: dict[str, int] = {}
        #: The first type an ``isinstance`` check names, per name: a hint for untyped
        #: parameters only (an annotation says more than the branch handled first).
        self.checked: dict[str, str] = {}
        #: Where each name is passed on: (the function called, the position or keyword
        #: it takes it at); ``self.parse(text)`` is ``("self.parse", 0)``.
        self.passed: dict[str, list[tuple[str, int | str]]] = {}

    def _add(self, node: cst.BaseExpression, use: str) -> None:
        if isinstance(node, cst.Name):
            self.uses.setdefault(node.value, set()).add(use)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            self._add(node.func, "callable")
            self.arity.setdefault(node.func.value, len(node.args))
        called = _called_name(node.func)
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in _CALLABLE_KEYWORDS:
                self._add(arg.value, "callable")
            if arg.star == "*":
                self._add(arg.value, "iterable")
        self._passed(node, positional)
        if called is None:
            return
        if called in _CALLS_ARG and len(positional) > _CALLS_ARG[called]:
            self._add(positional[_CALLS_ARG[called]], "callable")
        if called in _ITERATES_ARG and positional:
            many = called in ("zip", "zip_longest", "chain", "product")
            for value in positional if many else positional[:1]:
                self._add(value, "iterable")
        if called in ("map", "filter", "filterfalse", "takewhile", "dropwhile", "starmap"):
            for value in positional[1:]:
                self._add(value, "iterable")
        for index in _COUNT_ARG.get(called, ()):
            if index < len(positional):
                self._add(positional[index], "int")
        if isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
            method = node.func.attr.value
            if method in _STREAM_METHODS:
                self._add(node.func.value, "stream")
            elif method in _BYTES_METHODS:
                self._add(node.func.value, "bytes")
            elif method in _STR_METHODS:
                self._add(node.func.value, "str")
            elif method in _DICT_METHODS:
                self._add(node.func.value, "dict")
            elif method in _LIST_METHODS:
                self._add(node.func.value, "list")
        if called == "isinstance" and len(positional) == 2:
            self._checked(positional[0], positional[1])
        if called == "join" and isinstance(node.func, cst.Attribute) and positional:
            self._add(positional[0], "iterable")
        if isinstance(node.func, cst.Attribute) and _called_name(node.func.value) == "math":
            for value in positional:
                self._add(value, "float")

    def _passed(self, node: cst.Call, positional: list[cst.BaseExpression]) -> None:
        func = node.func
        if isinstance(func, cst.Name):
            callee = func.value
        elif (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in ("self", "cls")
        ):
            callee = f"self.{func.attr.value}"
        else:
            return
        starred = any(a.star for a in node.args)
        for at, value in enumerate(positional):
            if isinstance(value, cst.Name) and not starred:
                self.passed.setdefault(value.value, []).append((callee, at))
        for arg in node.args:
            if arg.keyword is not None and isinstance(arg.value, cst.Name):
                self.passed.setdefault(arg.value.value, []).append((callee, arg.keyword.value))

    def _checked(self, value: cst.BaseExpression, types: cst.BaseExpression) -> None:
        """``isinstance(x, str)``: the type the body handles first is one it takes."""
        first = types
        if isinstance(types, cst.Tuple) and types.elements:
            first = types.elements[0].value
        name = _called_name(first)
        if name in _ISINSTANCE_USES and isinstance(value, cst.Name):
            self.checked.setdefault(value.value, _ISINSTANCE_USES[name])

    def visit_For(self, node: cst.For) -> None:
        self._add(node.iter, _iterated(node.target))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._add(node.iter, _iterated(node.target))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                self._add(element.slice.value, "int")
            elif isinstance(element.slice, cst.Slice):
                for part in (element.slice.lower, element.slice.upper, element.slice.step):
                    if part is not None:
                        self._add(part, "int")

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if not isinstance(node.operator, _ARITHMETIC):
            return
        if isinstance(node.operator, cst.Add):  # ';' + line: only text adds to text
            for side, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(other, _STRING_LITERALS):
                    self._add(side, "str")
        for side, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(other, cst.Integer):
                self._add(side, "int")
            elif isinstance(other, cst.Float) or isinstance(node.operator, cst.Divide):
                self._add(side, "float")

    def usage(self, name: str, typed: bool = False) -> str | None:
        """The most telling use of ``name``; for an untyped one (``typed`` false), else
        the type an ``isinstance`` check names."""
        found = self.uses.get(name, set())
        use = next((u for u in _USAGE_ORDER if u in found), None)
        checked = None if typed else self.checked.get(name)
        if checked is not None and (use is None or use == "iterable" and checked == "str"):
            return checked
        return use


_STRING_LITERALS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
#: Simple annotations of a callee's parameter, as the use they stand for.
_ANNOTATION_USES = {n: n for n in ("str", "bytes", "int", "float", "dict", "list")}
#: How many calls deep an argument is followed.
MAX_PASSED_DEPTH = 8


class Callees:
    """What the module's own functions and methods do with what they are passed.

    ``parse_media_range(range)`` only hands ``range`` to ``parse_mime_type``, which
    hands it to ``_parse_header``, which adds it to ``';'``: text, three calls down.
    A wrapper's parameter takes what the function it calls takes.
    """

    def __init__(self, module: cst.Module) -> None:
        #: ``name`` or ``Class.method`` -> its parameters' names (no self) and the
        #: use (annotation or body) of each.
        self._defs: dict[str, tuple[list[str], dict[str, str | None], Usage]] = {}
        for stmt in module.body:
            if isinstance(stmt, cst.FunctionDef):
                self._add(stmt.name.value, stmt, drop_first=False)
            elif isinstance(stmt, cst.ClassDef):
                for item in stmt.body.body:
                    if isinstance(item, cst.FunctionDef):
                        static = any(
                            isinstance(d.decorator, cst.Name)
                            and d.decorator.value == "staticmethod"
                            for d in item.decorators
                        )
                        key = f"{stmt.name.value}.{item.name.value}"
                        self._add(key, item, drop_first=not static)

    def _add(self, key: str, node: cst.FunctionDef, drop_first: bool) -> None:
        params = [*node.params.posonly_params, *node.params.params]
        if drop_first:
            params = params[1:]
        params += list(node.params.kwonly_params)
        usage = Usage()
        node.body.visit(usage)
        annotated: dict[str, str | None] = {}
        for p in params:
            annotation = p.annotation.annotation if p.annotation else None
            name = annotation.value if isinstance(annotation, cst.Name) else None
            annotated[p.name.value] = _ANNOTATION_USES.get(name or "")
        self._defs[key] = ([p.name.value for p in params], annotated, usage)

    def usage(self, passed: list[tuple[str, int | str]], cls: str | None) -> str | None:
        """The most telling use of an argument passed on at ``passed``, by a function
        (a method of ``cls`` when ``cls`` is given)."""
        return self._usage(passed, cls, 0, set())

    def _usage(
        self, passed: list[tuple[str, int | str]], cls: str | None, depth: int, seen: set[str]
    ) -> str | None:
        found: set[str] = set()
        for callee, at in passed:
            key = _callee_key(callee, cls, self._defs)
            if key is None or depth >= MAX_PASSED_DEPTH:
                continue
            names, annotated, usage = self._defs[key]
            name = names[at] if isinstance(at, int) and at < len(names) else at
            if not isinstance(name, str) or name not in annotated or f"{key}:{name}" in seen:
                continue
            seen.add(f"{key}:{name}")
            use = annotated[name] or usage.usage(name, typed=False)
            if use is None:
                owner = key.split(".")[0] if "." in key else None
                use = self._usage(usage.passed.get(name, []), owner, depth + 1, seen)
            if use is not None:
                found.add(use)
        return next((u for u in _USAGE_ORDER if u in found), None)


def _callee_key(callee: str, cls: str | None, defs: Mapping[str, object]) -> str | None:
    """``self.m`` in a method of ``cls`` is ``cls.m``; calling a class runs its ``__init__``."""
    if callee.startswith("self."):
        key = f"{cls}.{callee[5:]}" if cls else None
    elif callee in defs:
        key = callee
    else:
        key = f"{callee}.__init__"
    return key if key in defs else None


#: Loop variables that name characters: ``for ch in term`` iterates a string.
_CHARACTER_NAMES = {"ch", "char", "c", "character", "letter"}


def _iterated(target: cst.BaseAssignTargetExpression) -> str:
    """What iterating into ``target`` says of the iterable."""
    if isinstance(target, cst.Name) and target.value in _CHARACTER_NAMES:
        return "str"
    return "iterable"
