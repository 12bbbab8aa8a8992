"""What a function's body says about its parameters, read from its syntax tree.

The short literals it compares, splits or replaces on (its format's tokens), the
literals it tests an end of the text for, the types it asks ``isinstance`` about, the
tables it looks a parameter up in, the numbers it divides by, and whether it reads
numbers from text. :mod:`.facts` collects them per function and adds what the
module's other functions hold.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

__all__ = [
    "CONVERTERS",
    "MAX_AFFIXES",
    "MAX_BOUND",
    "MAX_BOUNDS",
    "MAX_TOKENS",
    "MAX_TOKEN_CHARS",
    "affixes_of",
    "byte_work_of",
    "windows_of",
    "call_name",
    "compiles",
    "divisor_of",
    "forms_of",
    "keyed_of",
    "pattern_factory",
    "table_of",
    "tokens_of",
    "unwrapped",
]


def call_name(node: ast.expr) -> str:
    """``f`` for ``f(...)`` and ``obj.f(...)``: the name a called expression ends with."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


#: Tokens kept per function, and the longest literal that counts as one.
MAX_TOKENS = 12
#: Literals an end of the text is tested for, kept per function.
MAX_AFFIXES = 4
MAX_TOKEN_CHARS = 16
#: Bounds (compared with, then divided by) kept per function, and the largest one
#: (text of that length is built for a test).
MAX_BOUNDS = 5
MAX_BOUND = 100_000
#: Calls whose string arguments are messages or attribute names, not tokens of a format.
_NOT_TOKENS = {
    *("print", "warn", "debug", "info", "warning", "error", "exception", "log"),
    *("getattr", "hasattr", "setattr", "delattr", "format"),
}
_TEMPLATE = re.compile(r"^__\w+__$|\{.*\}")


def affixes_of(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, str]]:
    """``(literal, "start" | "end")`` for ``text.startswith(...)``/``endswith(...)`` of
    short literals (a tuple of them too): the special cases at an end of the text."""
    found: list[tuple[str, str]] = []
    for sub in ast.walk(node):
        if not (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Attribute)
            and sub.func.attr in ("startswith", "endswith")
            and sub.args
        ):
            continue
        arg = sub.args[0]
        values = arg.elts if isinstance(arg, ast.Tuple) else [arg]
        where = "start" if sub.func.attr == "startswith" else "end"
        for value in values:
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and 0 < len(value.value) <= MAX_TOKEN_CHARS
                and (value.value, where) not in found
            ):
                found.append((value.value, where))
    return found


#: Calls that hand a pattern the text of their argument (``re.match(P, str(value))``).
_TEXT_OF = {"str", "strip", "lstrip", "rstrip", "lower", "upper", "casefold"}


def unwrapped(node: ast.expr | None) -> ast.expr | None:
    """``value`` for ``str(value)``, ``value.strip()``, ``str(value).upper()``..."""
    while isinstance(node, ast.Call) and call_name(node.func) in _TEXT_OF:
        if isinstance(node.func, ast.Attribute) and not node.args:
            node = node.func.value
        elif isinstance(node.func, ast.Name) and len(node.args) == 1:
            node = node.args[0]
        else:
            break
    return node


def tokens_of(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The short string literals of a function's body, in order, that are not its
    docstring, an error or log message, or part of an f-string."""
    skip: set[int] = set()
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        skip.add(id(body[0].value))
    for sub in ast.walk(node):
        quiet = isinstance(sub, (ast.Raise, ast.JoinedStr)) or (
            isinstance(sub, ast.Call) and call_name(sub.func) in _NOT_TOKENS
        )
        if quiet:
            skip.update(id(inner) for inner in ast.walk(sub))
    found: list[str] = []
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Constant)
            and isinstance(sub.value, str)
            and id(sub) not in skip
            and 0 < len(sub.value) <= MAX_TOKEN_CHARS
            and not _TEMPLATE.search(sub.value)
            and sub.value not in found
        ):
            found.append(sub.value)
    return found


#: Calls that read a number from text.
CONVERTERS = {
    "float",
    "int",
    "Decimal",
    "Fraction",
    "complex",
    "isdigit",
    "isdecimal",
    "isnumeric",
}

#: Calls that turn an integer into bytes or back.
BYTE_CALLS = {"to_bytes", "from_bytes", "pack", "unpack", "pack_into", "unpack_from"}
#: Masks that cut an integer into bytes or 7-bit groups (``n & 0xFF``, ``b & 0x80``).
BYTE_MASKS = {0x7F, 0x80, 0xFF, 0xFFFF}


def windows_of(node: ast.AST, params: set[str]) -> dict[str, str]:
    """Position parameter -> the parameter it is a position in: ``s[end:end + 1]``, a
    window of ``s`` at ``end`` (both bounds of one slice use it), the way a scanner reads
    its text. Only positions within the text are its contract, unless the body clamps
    the position itself (``loc = max(0, min(loc, len(text)))``): then any is."""
    out: dict[str, str] = {}
    clamped = _clamped(node)
    for sub in ast.walk(node):
        if not (isinstance(sub, ast.Subscript) and isinstance(sub.slice, ast.Slice)):
            continue
        if not (isinstance(sub.value, ast.Name) and sub.value.id in params):
            continue
        lower, upper = sub.slice.lower, sub.slice.upper
        if lower is None or upper is None:
            continue
        low = {n.id for n in ast.walk(lower) if isinstance(n, ast.Name)} & params
        high = {n.id for n in ast.walk(upper) if isinstance(n, ast.Name)} & params
        for name in sorted(low & high - {sub.value.id} - clamped):
            out.setdefault(name, sub.value.id)
    return out


def _clamped(node: ast.AST) -> set[str]:
    """Names the body brings into a range with ``min``/``max`` of themselves:
    ``loc = max(0, min(loc, len(text)))``."""
    out: set[str] = set()
    for sub in ast.walk(node):
        if not (isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Call)):
            continue
        func = sub.value.func
        if not (isinstance(func, ast.Name) and func.id in ("min", "max")):
            continue
        used = {n.id for n in ast.walk(sub.value) if isinstance(n, ast.Name)}
        out.update(t.id for t in sub.targets if isinstance(t, ast.Name) and t.id in used)
    return out


def byte_work_of(node: ast.AST, calls_made: set[str]) -> list[str]:
    """How the body works on an integer's bytes: the byte calls it makes, ``'shift'``
    for ``>>`` or ``<<``, ``'mask'`` for ``&`` or ``|`` with a byte mask."""
    found = sorted(calls_made & BYTE_CALLS)
    for sub in ast.walk(node):
        if isinstance(sub, (ast.BinOp, ast.AugAssign)):
            op = sub.op
            if isinstance(op, (ast.RShift, ast.LShift)) and "shift" not in found:
                found.append("shift")
            operand = sub.right if isinstance(sub, ast.BinOp) else sub.value
            if (
                isinstance(op, (ast.BitAnd, ast.BitOr))
                and isinstance(operand, ast.Constant)
                and operand.value in BYTE_MASKS
                and "mask" not in found
            ):
                found.append("mask")
    return found


def forms_of(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    params: set[str],
    type_tuples: Mapping[str, list[str]] | None = None,
) -> dict[str, list[str]]:
    """Parameter -> the type names ``isinstance(param, ...)`` checks in the body (a
    module name bound to a tuple of types stands for its types), and those a duck-typed
    ``hasattr(param, "split")`` asks for (:data:`_DUCKS`), or a ``try`` block that
    calls ``param.splitlines()`` and catches the ``AttributeError`` of another form."""
    found: dict[str, list[str]] = {}
    for sub in ast.walk(node):
        ducks = _eafp_forms(sub, params) if isinstance(sub, ast.Try) else []
        duck = _duck_form(sub, params)
        for param, name in [*ducks, *([duck] if duck is not None else [])]:
            names = found.setdefault(param, [])
            if name not in names:
                names.append(name)
        if duck is not None:
            continue
        if not (
            isinstance(sub, ast.Call)
            and call_name(sub.func) == "isinstance"
            and len(sub.args) == 2
            and isinstance(sub.args[0], ast.Name)
            and sub.args[0].id in params
        ):
            continue
        kinds = sub.args[1].elts if isinstance(sub.args[1], ast.Tuple) else [sub.args[1]]
        names = found.setdefault(sub.args[0].id, [])
        for n in map(call_name, kinds):
            for name in (type_tuples or {}).get(n or "", [n]):
                if name and name not in names:
                    names.append(name)
    return {name: kinds for name, kinds in found.items() if kinds}


#: Attributes a ``hasattr`` check asks for, and the type it tells apart by them.
_DUCKS = {
    **dict.fromkeys(
        ("split", "splitlines", "strip", "lower", "upper", "startswith", "encode"), "str"
    ),
    "decode": "bytes",
    **dict.fromkeys(("keys", "items"), "dict"),
}


def _duck_form(node: ast.AST, params: set[str]) -> tuple[str, str] | None:
    """``(param, type name)`` for ``hasattr(param, "split")``: "text or a list"."""
    if not (
        isinstance(node, ast.Call)
        and call_name(node.func) == "hasattr"
        and len(node.args) == 2
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id in params
        and isinstance(node.args[1], ast.Constant)
        and node.args[1].value in _DUCKS
    ):
        return None
    return node.args[0].id, _DUCKS[node.args[1].value]


def _eafp_forms(node: ast.Try, params: set[str]) -> list[tuple[str, str]]:
    """``(param, type name)`` for each duck method a ``try`` block calls on a parameter
    when the block catches ``AttributeError``: ``try: lines = text.splitlines()`` /
    ``except AttributeError: lines = text`` takes text or a list of lines."""
    caught = [
        call_name(t)
        for h in node.handlers
        if h.type is not None
        for t in (h.type.elts if isinstance(h.type, ast.Tuple) else [h.type])
    ]
    if "AttributeError" not in caught:
        return []
    found = []
    for stmt in node.body:
        for sub in ast.walk(stmt):
            if (
                isinstance(sub, ast.Attribute)
                and isinstance(sub.value, ast.Name)
                and sub.value.id in params
                and sub.attr in _DUCKS
            ):
                found.append((sub.value.id, _DUCKS[sub.attr]))
    return found


def table_of(node: ast.expr, cls: str | None) -> str | None:
    """The name of a table a lookup reads: a module name, or ``Class.NAME`` for
    ``self.NAME``/``cls.NAME`` in a method."""
    if isinstance(node, ast.Name):
        return node.id
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
        and cls
    ):
        return f"{cls}.{node.attr}"
    return None


def keyed_of(
    node: ast.FunctionDef | ast.AsyncFunctionDef, params: set[str], cls: str | None
) -> dict[str, list[str]]:
    """Parameter -> the tables the body looks it up in (see ``SourceFacts.keyed``), by
    itself or as a local computed from it alone (``k = key.upper()``: ``by_name[k]``)."""
    found: dict[str, list[str]] = {}
    derived = {
        sub.targets[0].id: root
        for sub in ast.walk(node)
        if isinstance(sub, ast.Assign)
        and len(sub.targets) == 1
        and isinstance(sub.targets[0], ast.Name)
        and (root := _derived_from(sub.value, params)) is not None
    }
    for sub in ast.walk(node):
        key: ast.expr | None = None
        table: ast.expr | None = None
        if isinstance(sub, ast.Subscript):
            key, table = sub.slice, sub.value
        elif (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Attribute)
            and sub.func.attr == "get"
            and sub.args
        ):
            key, table = sub.args[0], sub.func.value
        elif (
            isinstance(sub, ast.Compare)
            and len(sub.ops) == 1
            and isinstance(sub.ops[0], (ast.In, ast.NotIn))
        ):
            key, table = sub.left, sub.comparators[0]
        param = None if key is None else _derived_from(key, params)
        if isinstance(key, ast.Name) and key.id in derived:
            param = derived[key.id]
        if param is None or table is None:
            continue
        name = table_of(table, cls)
        if name is not None and name != param and name not in found.get(param, []):
            found.setdefault(param, []).append(name)
    return found


#: Builtins that turn a value into its text or number: ``str(key)``.
_CONVERSIONS = frozenset({"str", "int", "float", "bytes"})


def _derived_from(node: ast.expr, params: set[str]) -> str | None:
    """The parameter ``node`` is computed from alone, through method calls on it
    (``key.upper()``, ``key.strip().lower()``), a conversion (``str(key)``) or a
    format (``f"{key:03d}"``): a value of its table's keys reaches that lookup."""
    for _ in range(8):
        if isinstance(node, ast.Name):
            return node.id if node.id in params else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _CONVERSIONS
            and len(node.args) == 1
        ):
            node = node.args[0]
        elif (
            isinstance(node, ast.JoinedStr)
            and len(node.values) == 1
            and isinstance(node.values[0], ast.FormattedValue)
        ):
            node = node.values[0].value
        else:
            return None
    return None


def compiles(value: ast.expr) -> bool:
    """A container built with ``re.compile`` calls inside it."""
    if not isinstance(value, (ast.List, ast.Tuple, ast.Dict, ast.ListComp, ast.DictComp)):
        return False
    return any(
        isinstance(node, ast.Call) and call_name(node.func) == "compile" for node in ast.walk(value)
    )


def divisor_of(node: ast.AST) -> ast.expr | None:
    """What ``node`` divides by: ``n // K``, ``n % K``, ``divmod(n, K)``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.FloorDiv, ast.Mod)):
        return node.right
    if isinstance(node, ast.Call) and call_name(node.func) == "divmod" and len(node.args) == 2:
        return node.args[1]
    return None


def pattern_factory(node: ast.stmt) -> str:
    """The name of a function whose ``return`` hands back ``re.compile(...)`` (a pattern
    factory, ``make_regex(text)``), else ``""``."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return ""
    for child in ast.walk(node):
        returned = child.value if isinstance(child, ast.Return) else None
        if isinstance(returned, ast.Call) and call_name(returned.func) == "compile":
            return node.name
    return ""
