"""The private helpers a target calls: where its work is done, and where an optimizer's
rewrite lands.

asn1's ``Encoder.write`` checks its arguments and hands the value to
``_encode_value``, which calls ``_encode_integer``; an agent asked to speed up
``write`` rewrites those. Mutation testing that only edits ``write``'s own body never
asks whether the guardrails would notice. :func:`private_helpers` finds, for each
target, the module's private functions and its class's private methods that it calls,
directly or through other private helpers (a few levels), in the order it reaches
them; the mutants of a target include theirs (:mod:`.strengthen`).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

__all__ = ["MAX_DEPTH", "MAX_HELPERS", "private_helpers"]

#: Calls followed from a target, and helpers kept per target.
MAX_DEPTH = 3
MAX_HELPERS = 12

_Function = ast.FunctionDef | ast.AsyncFunctionDef


def private_helpers(source: str, qualnames: Sequence[str]) -> dict[str, list[str]]:
    """``qualname -> private helpers it calls`` (``_encode``, ``Class._scan``), nearest
    first; targets themselves are never helpers. A class target stands for its
    ``__init__``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    functions: dict[str, _Function] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[stmt.name] = stmt
        elif isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    functions[f"{stmt.name}.{item.name}"] = item
    targets = set(qualnames)
    out: dict[str, list[str]] = {}
    for qualname in qualnames:
        start = functions.get(qualname) or functions.get(f"{qualname}.__init__")
        if start is None:
            continue
        found: list[str] = []
        frontier = [(start, qualname if qualname not in functions else _class(qualname))]
        for _ in range(MAX_DEPTH):
            following: list[tuple[_Function, str]] = []
            for node, owner in frontier:
                for callee in _callees(node, owner, functions):
                    if callee in targets or callee in found or not _private(callee):
                        continue
                    found.append(callee)
                    following.append((functions[callee], _class(callee)))
            frontier = following
        if found:
            out[qualname] = found[:MAX_HELPERS]
    return out


def _callees(node: _Function, cls: str, functions: dict[str, _Function]) -> list[str]:
    """The module's functions and ``cls``'s methods ``node`` calls, in source order."""
    names: list[str] = []
    calls = [sub for sub in ast.walk(node) if isinstance(sub, ast.Call)]
    calls.sort(key=lambda c: (c.lineno, c.col_offset))
    for call in calls:
        func = call.func
        name = ""
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = func.value.id
            if owner in ("self", "cls") and cls:
                name = f"{cls}.{func.attr}"
            elif f"{owner}.{func.attr}" in functions:
                name = f"{owner}.{func.attr}"
        if name in functions and name not in names:
            names.append(name)
    return names


def _class(qualname: str) -> str:
    """The class a method belongs to; ``""`` for a module function."""
    return qualname.partition(".")[0] if "." in qualname else ""


def _private(qualname: str) -> bool:
    name = qualname.rpartition(".")[2]
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
