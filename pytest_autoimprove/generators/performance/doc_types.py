"""Types a docstring gives an unannotated parameter, as annotation text.

Untyped libraries document their parameters' types in their docstrings, in one of a few
conventions: reST (``:type stack: FilterStack``, ``:param FilterStack stack:``), Google
(``stack (FilterStack): ...``, or a role in the description: ``stack:
:class:`~pkg.FilterStack` instance``) and numpy (``stack : FilterStack``). Read as an
annotation, such a type goes through the same resolution as a written one (a user
class built by its constructor, a path, a stream...); text that is no type expression
(``file-like object``) is left alone.
"""

from __future__ import annotations

import ast
import re

__all__ = ["documented_type"]

_ROLE = re.compile(r":(?:py:)?(?:class|obj|data|exc|type):`~?([\w.]+)`")
_PATTERNS = (
    r":type\s+{name}\s*:\s*(?P<type>.+)$",
    r":param\s+(?P<type>[\w.\[\], |]+?)\s+{name}\s*:",
    r"^\s*{name}\s*\((?P<type>[^)]+)\)\s*:",
    r"^\s*{name}\s*:\s*(?P<type>[A-Za-z_~:`][\w.\[\], |`~:]*?)\s*$",
    r"^\s*{name}\s*:.*?(?P<type>:(?:py:)?class:`~?[\w.]+`)",
)


def documented_type(docstring: str, name: str) -> str | None:
    """The annotation text the docstring gives parameter ``name``, if it reads as one."""
    for pattern in _PATTERNS:
        match = re.search(pattern.format(name=re.escape(name)), docstring, re.MULTILINE)
        if match is not None:
            text = _normalized(match.group("type"))
            if text is not None:
                return text
    return None


def _normalized(text: str) -> str | None:
    text = _ROLE.sub(r"\1", text).replace("`", "").replace("~", "")
    text = re.sub(r",?\s*optional\b", "", text).strip(" ,.")
    text = re.sub(r"\s+or\s+", " | ", text)
    text = re.sub(r"^(list|tuple|set|iterable|sequence) of (\w+)s?$", r"\1[\2]", text, flags=re.I)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None
    return text if _is_type(tree.body) else None


def _is_type(node: ast.expr) -> bool:
    """Names, dotted names, subscripts of them, ``X | Y`` and ``None``."""
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return _is_type(node.value)
    if isinstance(node, ast.Subscript):
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return _is_type(node.value) and all(_is_type(e) for e in inner)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _is_type(node.left) and _is_type(node.right)
    return isinstance(node, ast.Constant) and node.value is None
