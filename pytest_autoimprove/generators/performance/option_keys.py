"""Mappings read by literal keys: ``options.get("keyword_case")``, ``config["width"]``.

A function taking "a dict of options" (a formatter's settings, a record from JSON, a
request's fields) names, in its body, every key it reads and what it expects there:
``kwcase not in [None, "upper", "lower"]``, ``int(width)`` then ``width < 1``,
``strip in [True, False]``. A mapping drawn at random has none of those keys, so every
check and branch behind them goes unexercised, and an optimizer's rewrite of them
(an off-by-one bound, a set where a list was, a conversion dropped) goes unseen.

Read from the body (:func:`option_keys_of`), each key gets the values its checks
name and the ones next to them (:func:`key_values`): each literal it is compared with,
the same text in capitals, ``1``/``0`` where ``True``/``False`` are named, the integers
next to a bound, a number as text where the value is converted, an unhashable value
where membership in a literal list is tested. Each becomes an edge case with that one
key set (:func:`option_edges`), and the differential test draws mappings over the same
keys (:func:`option_strategy`). Edges of no declared validity: never findings.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pytest_autoimprove.generators.discover import Param

__all__ = ["KeyUse", "key_values", "option_edges", "option_keys_of", "option_strategy"]

#: Methods of a mapping that read one key: ``m.get(k)``, ``m.pop(k, d)``, ...
_READERS = frozenset({"get", "pop", "setdefault"})
#: Builtins whose call on a value reads a number from it.
_NUMBER_READERS = frozenset({"int", "float", "Decimal", "Fraction"})
#: Values tried per key, and keys' values per parameter (sqlparse's options read ~20
#: keys: the first values of every key come before the later ones of any).
MAX_VALUES_PER_KEY = 10
MAX_EDGES_PER_PARAM = 64


@dataclass
class KeyUse:
    """What a body does with the value read by one literal key.

    :param literals: the constants it is compared with or defaults to, in order.
    :param bounds: the integers it is ordered against (``width < 1``).
    :param converted: a number is read from it (``int(width)``).
    :param membership: it is tested for membership in a literal list (``in [...]``).
    """

    literals: list[object] = field(default_factory=list)
    bounds: list[int] = field(default_factory=list)
    converted: bool = False
    membership: bool = False

    def literal(self, value: object) -> None:
        if not any(type(value) is type(v) and value == v for v in self.literals):
            self.literals.append(value)


def option_keys_of(
    node: ast.FunctionDef | ast.AsyncFunctionDef, params: set[str]
) -> dict[str, dict[str, KeyUse]]:
    """Parameter -> literal key -> how the body uses the value read by it."""
    found: dict[str, dict[str, KeyUse]] = {}
    #: Locals holding a key's value: ``kwcase = options.get("keyword_case")``.
    held: dict[str, tuple[str, str]] = {}

    def use_of(expr: ast.expr) -> KeyUse | None:
        read = _read(expr, params)
        if read is None and isinstance(expr, ast.Name) and expr.id in held:
            read = held[expr.id]
        if read is None:
            return None
        return found.setdefault(read[0], {}).setdefault(read[1], KeyUse())

    for sub in ast.walk(node):
        use = use_of(sub) if isinstance(sub, (ast.Subscript, ast.Call)) else None
        if use is not None and isinstance(sub, ast.Call) and len(sub.args) > 1:
            default = _constant(sub.args[1])  # `options.get("strip", False)`
            if default is not _NOTHING:
                use.literal(default)
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Assign)
            and len(sub.targets) == 1
            and isinstance(sub.targets[0], ast.Name)
        ):
            value = _unconverted(sub.value)
            read = _read(value, params)
            if read is not None:
                held.setdefault(sub.targets[0].id, read)
    for sub in ast.walk(node):
        if isinstance(sub, ast.Compare):
            _compare(sub, use_of)
        elif (
            isinstance(sub, ast.Call)
            and _called(sub.func) in _NUMBER_READERS
            and len(sub.args) == 1
            and (use := use_of(sub.args[0])) is not None
        ):
            use.converted = True
    return found


def _compare(node: ast.Compare, use_of: Callable[[ast.expr], KeyUse | None]) -> None:
    sides = [node.left, *node.comparators]
    for i, op in enumerate(node.ops):
        for this, other in ((sides[i], sides[i + 1]), (sides[i + 1], sides[i])):
            use = use_of(this)
            if use is None:
                continue
            if isinstance(other, (ast.List, ast.Tuple, ast.Set)) and this is sides[i]:
                values = [_constant(e) for e in other.elts]
                for value in values:
                    if value is not _NOTHING:
                        use.literal(value)
                use.membership = use.membership or isinstance(op, (ast.In, ast.NotIn))
                continue
            value = _constant(other)
            if value is _NOTHING:
                continue
            use.literal(value)
            ordered = isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE))
            if ordered and type(value) is int and value not in use.bounds:
                use.bounds.append(value)


def _read(node: ast.expr, params: set[str]) -> tuple[str, str] | None:
    """``(parameter, key)`` when ``node`` reads a literal key of a parameter."""
    table: ast.expr | None = None
    key: ast.expr | None = None
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        table, key = node.value, node.slice
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _READERS
        and node.args
    ):
        table, key = node.func.value, node.args[0]
    if (
        isinstance(table, ast.Name)
        and table.id in params
        and isinstance(key, ast.Constant)
        and isinstance(key.value, str)
    ):
        return table.id, key.value
    return None


def _unconverted(node: ast.expr) -> ast.expr:
    """``options.get("k")`` out of ``int(options.get("k"))``."""
    if isinstance(node, ast.Call) and _called(node.func) in _NUMBER_READERS and len(node.args) == 1:
        return node.args[0]
    return node


def _called(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


_NOTHING = object()


def _constant(node: ast.expr) -> object:
    """The value of a literal (``-1`` included), else :data:`_NOTHING`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes, int, float)):
        return node.value
    if isinstance(node, ast.Constant) and node.value is None:
        return None
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and isinstance(node.operand.value, (int, float))
        and not isinstance(node.operand.value, bool)
    ):
        return -node.operand.value
    return _NOTHING


def key_values(use: KeyUse) -> list[tuple[object, str]]:
    """The values worth trying under one key, each with how it was chosen."""
    out: list[tuple[object, str]] = []
    for value in use.literals:
        out.append((value, f"the code's literal {value!r}"))
    for value in use.literals:
        if isinstance(value, str) and value != value.upper():
            out.append((value.upper(), f"the code's literal {value!r} in capitals"))
        elif isinstance(value, bool):
            out.append((int(value), f"{int(value)}, equal to the code's {value!r}"))
    for n in use.bounds:
        out += [(m, f"next to the code's bound {n}") for m in (n - 1, n + 1)]
    if use.converted:
        n = use.bounds[0] + 1 if use.bounds else 7
        out.append((str(n), "a number as text (the code converts it)"))
        out.append(("x", "text that is no number (the code converts it)"))
    if use.membership:
        out.append(([], "an unhashable value (the code tests membership in a list)"))
    unique: list[tuple[object, str]] = []
    for value, how in out:
        if not any(type(value) is type(v) and value == v for v, _ in unique):
            unique.append((value, how))
    return unique[:MAX_VALUES_PER_KEY]


def option_edges(
    usable: Sequence[Param],
    options: Mapping[str, Mapping[str, KeyUse]],
    base: Mapping[str, object],
    add: Callable[..., str | None],
) -> None:
    """One edge case per key and value: the parameter's mapping with that key set (for
    ``**options``, that key passed by keyword).

    The ordinary mapping of the base call is kept around it (its other keys are what
    real callers pass too); the values of every key come in rounds, so a mapping read
    by many keys has each key tried before any key's fifth value."""
    named = {p.name for p in usable}
    for p in usable:
        keys = options.get(p.name)
        if not keys:
            continue
        seed = base.get(p.name)
        around = dict(seed) if isinstance(seed, dict) else {}
        values = {
            key: key_values(use)
            for key, use in keys.items()
            # `**options`: each key passed by keyword (an identifier no parameter has)
            if p.kind != "double_star" or (key.isidentifier() and key not in named)
        }
        made = 0
        for round_ in range(MAX_VALUES_PER_KEY):
            for key, tried in values.items():
                if round_ >= len(tried) or made >= MAX_EDGES_PER_PARAM:
                    continue
                value, how = tried[round_]
                chosen = {**base, p.name: {**around, key: value}}
                add(f"option-{p.name}-{made}", "edge", "changed-behaviour", chosen, False,
                    "edge", p.name, f"{p.name}[{key!r}] as {how}")  # fmt: skip
                made += 1


def option_strategy(keys: Mapping[str, KeyUse]) -> str:
    """Hypothesis source drawing mappings over the keys the code reads, each key
    present or not, its value one of :func:`key_values` or an integer or text."""
    drawn = []
    for key, use in keys.items():
        values = [v for v, _ in key_values(use)]
        named = f"st.sampled_from({values!r}), " if values else ""
        drawn.append(f"{key!r}: st.one_of({named}st.integers(-3, 20), st.text(max_size=6))")
    optional = ", ".join(drawn)
    return f"st.fixed_dictionaries({{}}, optional={{{optional}}})"
