"""Two readings of Python source shared by the generators and the integrity check.

What an ``import`` statement binds, and the text a string expression spells out from
literals and known constants. Both read the syntax tree only: nothing is imported or run.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

__all__ = ["import_bindings", "spelled_text"]


def import_bindings(node: ast.Import | ast.ImportFrom) -> dict[str, str]:
    """The names ``node`` binds -> the dotted path each stands for.

    ``import a.b`` binds ``a``; ``import a.b as c`` binds ``c`` to ``a.b``; ``from a
    import b as c`` binds ``c`` to ``a.b``. A relative import binds nothing known.
    """
    bound: dict[str, str] = {}
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                bound[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                bound[top] = top
    elif node.module and node.level == 0:
        for alias in node.names:
            bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def spelled_text(node: ast.AST | None, constants: Mapping[str, str]) -> str | None:
    """The string ``node`` spells out: a literal, a name in ``constants``, a ``+`` of
    those, or ``sep.join([...])`` of them; ``None`` for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = spelled_text(node.left, constants), spelled_text(node.right, constants)
        return left + right if left is not None and right is not None else None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and len(node.args) == 1
        and isinstance(node.args[0], (ast.List, ast.Tuple))
    ):
        sep = spelled_text(node.func.value, constants)
        parts = [spelled_text(e, constants) for e in node.args[0].elts]
        if sep is not None and all(p is not None for p in parts):
            return sep.join(p for p in parts if p is not None)
    return None
