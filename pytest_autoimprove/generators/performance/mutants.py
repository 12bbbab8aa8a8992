"""Mutants: the regressions a goal invites, written as concrete edits of one target's code.

The catalog (:mod:`.catalog`) says in words what an optimizer chasing speed or memory
tends to break; this module turns each of those risks into libcst edits of a target's
body (a function, a method, a constructor): drop a None check, skip a special case,
narrow an ``except``, go off by one, use floats for Decimals, skip a ``.strip()``, drop
a sign, add a memo cache, hand out one reused result, work on an argument in place,
let hash order decide the output. Each edit is one :class:`Mutant`: the whole module's
source with that single change.

Running the frozen guardrails against every mutant measures how strong they are (the
mutation score :mod:`.strengthen` reports), and each surviving mutant is a concrete
target for the search for a distinguishing input. Everything here is deterministic:
the same source, target and limit give the same mutants, in the same order.
"""

from __future__ import annotations

import ast
import random
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

__all__ = [
    "OPERATORS",
    "ModuleMutator",
    "Mutant",
    "count_sites",
    "find_function",
    "mutants_for",
]

#: operator id -> (the catalog risk it stands for, what it does, in a few words).
OPERATORS: dict[str, tuple[str, str]] = {
    "drop-none-check": ("dropped-none-check", "drop a None or empty check"),
    "drop-special-case": ("changed-behaviour", "skip a special case (an early exit)"),
    "drop-branch": ("changed-behaviour", "drop a branch of an if/elif chain"),
    "drop-input-form": ("changed-behaviour", "stop accepting one input type"),
    "narrow-except": ("changed-exceptions", "narrow an except clause"),
    "off-by-one": ("changed-behaviour", "off by one in a range, slice or bound"),
    "float-for-decimal": ("changed-floats", "float arithmetic instead of exact numbers"),
    "skip-normalisation": ("changed-behaviour", "skip a normalisation"),
    "drop-sign": ("negative-numbers", "drop a sign or an abs()"),
    "add-cache": ("stale-cache", "add a memo cache keyed on the arguments"),
    "shared-result": ("shared-mutable-result", "return one reused mutable object"),
    "mutate-argument": ("argument-mutation", "work on an argument in place, not on a copy"),
    "reorder-output": ("hash-order-output", "let hashing decide the output order"),
}

#: ``except X`` -> a narrower class an optimizer might catch instead.
_NARROWER = {
    "Exception": "ValueError",
    "ValueError": "UnicodeError",
    "LookupError": "KeyError",
    "OSError": "FileNotFoundError",
    "IOError": "FileNotFoundError",
    "ArithmeticError": "ZeroDivisionError",
}
#: String methods whose call is a normalisation an optimizer may skip.
_NORMALISING = {
    "replace",
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "casefold",
    "title",
    "expandtabs",
}
#: Calls that copy their argument (an in-place optimizer drops the copy).
_COPIES = {"list", "dict", "copy", "deepcopy"}
#: Return values that are freshly built containers (a "reuse the buffer" optimizer
#: hands out the same one every call).
_FRESH_CALLS = {"list", "dict", "set", "sorted", "bytearray", "defaultdict", "OrderedDict"}
_MEMO = "_AUTOIMPROVE_MEMO_"
_REUSE = "_autoimprove_reuse"


@dataclass(frozen=True)
class Mutant:
    """One edit of a target: ``source`` is the whole module with that edit.

    :param target: the target's qualname (``func``, ``Class.method``, ``Class``).
    :param operator: a key of :data:`OPERATORS`.
    :param line: the edited line in the original source.
    :param code: the original code the edit changes (first line, shortened).
    """

    target: str
    operator: str
    line: int
    code: str
    source: str = field(repr=False)

    @property
    def risk(self) -> str:
        return OPERATORS[self.operator][0]

    @property
    def description(self) -> str:
        """``line 12: drop a None or empty check: `if sku is None:```."""
        return f"line {self.line}: {OPERATORS[self.operator][1]}: `{self.code}`"


@dataclass(frozen=True)
class _Site:
    operator: str
    node: cst.CSTNode
    replacement: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.BaseStatement]
    #: Module-level statements the edit needs (a memo dict, the reuse helper).
    extra: tuple[cst.BaseStatement, ...] = ()
    #: The node whose line and code describe the edit (default: ``node``); a branch
    #: of an if/elif chain, when the edit removes it.
    anchor: cst.CSTNode | None = None


def find_function(module: cst.Module, qualname: str) -> cst.FunctionDef | None:
    """The ``def`` of ``qualname`` (a constructor is its class's ``__init__``)."""
    parts = qualname.split(".")
    if len(parts) == 1:
        cls = _named(module.body, parts[0], cst.ClassDef)
        if isinstance(cls, cst.ClassDef):
            init = _named(cls.body.body, "__init__", cst.FunctionDef)
            return init if isinstance(init, cst.FunctionDef) else None
        found = _named(module.body, parts[0], cst.FunctionDef)
        return found if isinstance(found, cst.FunctionDef) else None
    cls = _named(module.body, parts[0], cst.ClassDef)
    if not isinstance(cls, cst.ClassDef) or len(parts) != 2:
        return None
    found = _named(cls.body.body, parts[1], cst.FunctionDef)
    return found if isinstance(found, cst.FunctionDef) else None


def _named(body: Sequence[cst.CSTNode], name: str, kind: type) -> cst.CSTNode | None:
    """The first definition of ``name`` (an ``@overload`` stub is skipped)."""
    for stmt in body:
        if isinstance(stmt, kind) and stmt.name.value == name:  # type: ignore[attr-defined]
            decorators = getattr(stmt, "decorators", ())
            if any(_decorator_name(d) == "overload" for d in decorators):
                continue
            return stmt
    return None


def _decorator_name(dec: cst.Decorator) -> str:
    expr = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    return expr.value if isinstance(expr, cst.Name) else ""


def _called(node: cst.Call) -> str | None:
    if isinstance(node.func, cst.Name):
        return node.func.value
    if isinstance(node.func, cst.Attribute):
        return node.func.attr.value
    return None


def _paren(expr: cst.BaseExpression) -> cst.BaseExpression:
    """``expr`` made safe as an operand (parenthesized unless atomic)."""
    atomic = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float)
    if isinstance(expr, atomic) or expr.lpar:
        return expr
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _shifted(expr: cst.BaseExpression, by: int) -> cst.BaseExpression:
    op: cst.BaseBinaryOp = cst.Add() if by > 0 else cst.Subtract()
    return cst.BinaryOperation(_paren(expr), op, cst.Integer(str(abs(by))))


def _is_none_check(test: cst.BaseExpression) -> bool:
    """``x is None``, ``x == None``, ``not x``, ``len(x) == 0`` (alone or in a bool op)."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return isinstance(test.expression, (cst.Name, cst.Attribute, cst.Subscript, cst.Call))
    if isinstance(test, cst.Comparison):
        operands = [test.left, *(c.comparator for c in test.comparisons)]
        if any(isinstance(o, cst.Name) and o.value == "None" for o in operands):
            return True
        if (
            isinstance(test.left, cst.Call)
            and _called(test.left) == "len"
            and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].comparator, cst.Integer)
            and test.comparisons[0].comparator.value in ("0", "1")
        ):
            return True
    if isinstance(test, cst.BooleanOperation):
        return _is_none_check(test.left) or _is_none_check(test.right)
    return False


def _exits(body: cst.BaseSuite) -> bool:
    """The block ends by leaving: ``return``, ``raise``, ``continue`` or ``break``."""
    exits = (cst.Return, cst.Raise, cst.Continue, cst.Break)
    if isinstance(body, cst.SimpleStatementSuite):
        return isinstance(body.body[-1], exits)
    last = body.body[-1] if body.body else None
    return isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], exits)


def _chain(branches: list[cst.If], orelse: cst.Else | None, top: cst.If) -> cst.CSTNode | None:
    """The if/elif/else statement made of ``branches`` (``None``: no branch left)."""
    node: cst.If | cst.Else | None = orelse
    for branch in reversed(branches):
        node = branch.with_changes(orelse=node)
    if isinstance(node, cst.If):
        return node.with_changes(leading_lines=top.leading_lines)
    return node


class _Sites(cst.CSTVisitor):
    """Every place in a function body where an operator applies, in source order."""

    def __init__(self, function: cst.FunctionDef) -> None:
        self.function = function
        self.params = _param_names(function)
        self.sites: list[_Site] = []
        self._elifs: set[int] = set()

    def add(
        self,
        operator: str,
        node: cst.CSTNode,
        replacement: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.BaseStatement],
        anchor: cst.CSTNode | None = None,
    ) -> None:
        self.sites.append(_Site(operator, node, replacement, anchor=anchor))

    # --- statements -----------------------------------------------------------------

    def visit_If(self, node: cst.If) -> None:
        if isinstance(node.orelse, cst.If):
            self._elifs.add(id(node.orelse))
        if id(node) in self._elifs:
            return  # handled with the chain it belongs to
        branches: list[cst.If] = [node]
        tail: cst.If | cst.Else | None = node.orelse
        while isinstance(tail, cst.If):
            branches.append(tail)
            tail = tail.orelse
        orelse = tail
        for i, branch in enumerate(branches):
            rest = branches[:i] + branches[i + 1 :]
            built = _chain(rest, orelse, node)
            replacement: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.BaseStatement]
            if built is None:
                replacement = cst.RemoveFromParent()
            elif isinstance(built, cst.Else):
                body = built.body
                statements = body.body if isinstance(body, cst.IndentedBlock) else ()
                if not statements:
                    continue
                replacement = cst.FlattenSentinel(list(statements))
            else:
                replacement = built
            if _is_none_check(branch.test):
                self.add("drop-none-check", node, replacement, branch)
            elif len(branches) > 1 or orelse is not None:
                self.add("drop-branch", node, replacement, branch)
            elif _exits(branch.body):
                self.add("drop-special-case", node, replacement, branch)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        if _is_none_check(node.test):
            self.add("drop-none-check", node, node.orelse)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        # ``value or default``: the default stands in for None/empty.
        left = node.left
        is_param = isinstance(left, cst.Name) and left.value in self.params
        if isinstance(node.operator, cst.Or) and is_param:
            self.add("drop-none-check", node, left.with_changes(lpar=[], rpar=[]))

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        kind = node.type
        if isinstance(kind, cst.Tuple) and len(kind.elements) > 1:
            for i in range(len(kind.elements)):
                kept = [e for j, e in enumerate(kind.elements) if j != i]
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                narrowed = kind.with_changes(elements=kept)
                self.add("narrow-except", kind, narrowed)
        elif isinstance(kind, cst.Name) and kind.value in _NARROWER:
            self.add("narrow-except", kind, cst.Name(_NARROWER[kind.value]))

    # --- expressions ----------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        name = _called(node)
        positional = [a for a in node.args if a.keyword is None and not a.star]
        first = positional[0].value if positional else None
        if name == "range" and isinstance(node.func, cst.Name) and positional:
            index = 0 if len(positional) == 1 else 1
            arg = positional[index]
            args = list(node.args)
            args[node.args.index(arg)] = arg.with_changes(value=_shifted(arg.value, -1))
            self.add("off-by-one", node, node.with_changes(args=args))
        if name == "isinstance" and len(positional) == 2:
            forms = positional[1].value
            if isinstance(forms, cst.Tuple) and len(forms.elements) > 1:
                for i in range(len(forms.elements)):
                    kept = [e for j, e in enumerate(forms.elements) if j != i]
                    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                    self.add("drop-input-form", forms, forms.with_changes(elements=kept))
        if name in ("Decimal", "Fraction") and first is not None:
            self.add("float-for-decimal", node, _call("float", first))
        if name == "fsum" and first is not None:
            self.add("float-for-decimal", node, _call("sum", first))
        if isinstance(node.func, cst.Attribute) and name in _NORMALISING:
            receiver = node.func.value
            if not isinstance(receiver, (cst.SimpleString, cst.ConcatenatedString)) and not (
                isinstance(receiver, cst.Name) and receiver.value in ("str", "bytes", "string")
            ):
                self.add("skip-normalisation", node, receiver)
        if (
            name == "normalize"
            and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value == "unicodedata"
            and len(positional) == 2
        ):
            self.add("skip-normalisation", node, positional[1].value)
        if name == "abs" and isinstance(node.func, cst.Name) and first is not None:
            self.add("drop-sign", node, first)
        self._argument_copies(node, name, first)
        if name == "sorted" and isinstance(node.func, cst.Name) and first is not None:
            self.add("reorder-output", node, _call("list", first))
        if (
            name == "fromkeys"
            and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value == "dict"
            and first is not None
        ):
            self.add("reorder-output", node, node.with_changes(args=[cst.Arg(_call("set", first))]))

    def _argument_copies(
        self, node: cst.Call, name: str | None, first: cst.BaseExpression | None
    ) -> None:
        if isinstance(node.func, cst.Attribute) and name == "copy" and not node.args:
            receiver = node.func.value
            if isinstance(receiver, cst.Name) and receiver.value in self.params:
                self.add("mutate-argument", node, receiver)
            return
        if not (isinstance(first, cst.Name) and first.value in self.params):
            return
        if name in _COPIES and len(node.args) == 1:
            self.add("mutate-argument", node, first)
        elif name == "sorted" and isinstance(node.func, cst.Name):
            keywords = [a for a in node.args if a.keyword is not None]
            sort = cst.Call(cst.Attribute(first, cst.Name("sort")), keywords)
            in_place = cst.BooleanOperation(
                sort, cst.Or(), first, lpar=[cst.LeftParen()], rpar=[cst.RightParen()]
            )
            self.add("mutate-argument", node, in_place)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Slice):
            return
        part = node.slice[0].slice
        if part.lower is None and part.upper is None and part.step is None:
            if isinstance(node.value, cst.Name) and node.value.value in self.params:
                self.add("mutate-argument", node, node.value)
            return
        element = node.slice[0]
        if part.upper is not None:
            changed = part.with_changes(upper=_shifted(part.upper, -1))
            self.add(
                "off-by-one", node, node.with_changes(slice=[element.with_changes(slice=changed)])
            )
        if part.lower is not None:
            changed = part.with_changes(lower=_shifted(part.lower, 1))
            self.add(
                "off-by-one", node, node.with_changes(slice=[element.with_changes(slice=changed)])
            )

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        swap: dict[type, cst.BaseCompOp] = {
            cst.LessThan: cst.LessThanEqual(),
            cst.LessThanEqual: cst.LessThan(),
            cst.GreaterThan: cst.GreaterThanEqual(),
            cst.GreaterThanEqual: cst.GreaterThan(),
        }
        new_op = swap.get(type(target.operator))
        if new_op is None:
            return
        sides = (node.left, target.comparator)
        bound = any(
            isinstance(s, cst.Integer) or (isinstance(s, cst.Call) and _called(s) == "len")
            for s in sides
        )
        if bound:
            op = new_op.with_changes(
                whitespace_before=target.operator.whitespace_before,  # type: ignore[attr-defined]
                whitespace_after=target.operator.whitespace_after,  # type: ignore[attr-defined]
            )
            self.add(
                "off-by-one",
                node,
                node.with_changes(comparisons=[target.with_changes(operator=op)]),
            )

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if isinstance(node.operator, cst.Minus) and not isinstance(
            node.expression, (cst.Integer, cst.Float, cst.Imaginary)
        ):
            self.add("drop-sign", node, node.expression)


def _call(name: str, arg: cst.BaseExpression) -> cst.Call:
    return cst.Call(cst.Name(name), [cst.Arg(arg)])


def _param_names(function: cst.FunctionDef) -> set[str]:
    p = function.params
    names = {q.name.value for q in [*p.posonly_params, *p.params, *p.kwonly_params]}
    for star in (p.star_arg, p.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    return names - {"self", "cls"}


# --- whole-function operators: a memo cache, a reused result ------------------------------


class _Returns(cst.CSTTransformer):
    """Rewrites the function's own ``return X`` (not those of nested functions)."""

    def __init__(self, wrap: cst.BaseExpression, only_fresh: bool) -> None:
        self.wrap = wrap
        self.only_fresh = only_fresh
        self.changed = 0
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return self.depth == 1

    def leave_FunctionDef(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        return updated

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        value = updated.value
        if value is None or (self.only_fresh and not _fresh(value)):
            return updated
        self.changed += 1
        call = cst.Call(self.wrap, [cst.Arg(cst.Name("_autoimprove_key")), cst.Arg(value)])
        return updated.with_changes(value=call)


def _fresh(value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)):
        return True
    return isinstance(value, cst.Call) and _called(value) in _FRESH_CALLS


def _is_generator(function: cst.FunctionDef) -> bool:
    class _Yield(cst.CSTVisitor):
        found = False

        def visit_Yield(self, node: cst.Yield) -> None:
            self.found = True

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is function

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

    visitor = _Yield()
    function.visit(visitor)
    return visitor.found


def _first_param(function: cst.FunctionDef) -> str | None:
    p = function.params
    positional = [*p.posonly_params, *p.params]
    return positional[0].name.value if positional else None


def _key_statement(function: cst.FunctionDef, salt: str) -> cst.BaseStatement:
    p = function.params
    names = [
        q.name.value for q in [*p.posonly_params, *p.params] if q.name.value not in ("self", "cls")
    ]
    if isinstance(p.star_arg, cst.Param):
        names.append(p.star_arg.name.value)
    names += [q.name.value for q in p.kwonly_params]
    if isinstance(p.star_kwarg, cst.Param):
        names.append(p.star_kwarg.name.value)
    # repr: the key never fails on unhashable arguments (an agent's cache would, and
    # the guardrails would catch that at once; this models the subtler stale cache).
    tuple_src = "(" + "".join(f"{n}, " for n in names) + ")"
    return cst.parse_statement(f"_autoimprove_key = repr(({salt!r}, {tuple_src}))\n")


def _insert_at_start(
    function: cst.FunctionDef, statements: list[cst.BaseStatement]
) -> cst.FunctionDef:
    body = function.body
    if not isinstance(body, cst.IndentedBlock):
        return function
    stmts = list(body.body)
    at = 1 if function.get_docstring() is not None else 0
    return function.with_changes(
        body=body.with_changes(body=[*stmts[:at], *statements, *stmts[at:]])
    )


def _whole_function_sites(function: cst.FunctionDef, qualname: str) -> list[_Site]:
    if (
        _is_generator(function)
        or function.asynchronous is not None
        or function.name.value.startswith("__")
        or not isinstance(function.body, cst.IndentedBlock)
    ):
        return []
    slug = qualname.replace(".", "_")
    sites: list[_Site] = []
    memo = f"{_MEMO}{slug}"
    returns = _Returns(cst.Attribute(cst.Name(memo), cst.Name("setdefault")), only_fresh=False)
    rewritten = function.visit(returns)
    # A memo on a pure function of immutable values is an honest optimization (an
    # equivalent mutant): it goes stale on a method (the key leaves the instance out)
    # and hands out shared objects when the result is a fresh container.
    fresh = _Returns(cst.Name(_REUSE), only_fresh=True)
    function.visit(fresh)
    stale = _first_param(function) in ("self", "cls") or fresh.changed > 0
    if returns.changed and stale and isinstance(rewritten, cst.FunctionDef):
        lookup = cst.parse_statement(
            f"if _autoimprove_key in {memo}:\n    return {memo}[_autoimprove_key]\n"
        )
        cached = _insert_at_start(rewritten, [_key_statement(function, ""), lookup])
        extra = (cst.parse_statement(f"{memo} = {{}}\n"),)
        sites.append(_Site("add-cache", function, cached, extra))
    reuse = _Returns(cst.Name(_REUSE), only_fresh=True)
    rewritten = function.visit(reuse)
    if reuse.changed and isinstance(rewritten, cst.FunctionDef):
        # Calls with the same arguments get the same object back, refilled in place:
        # the classic "reuse the buffer" memory optimization.
        shared = _insert_at_start(rewritten, [_key_statement(function, qualname)])
        sites.append(_Site("shared-result", function, shared, _reuse_helper()))
    return sites


def _reuse_helper() -> tuple[cst.BaseStatement, ...]:
    code = (
        "_AUTOIMPROVE_REUSED = {}\n"
        "\n"
        f"def {_REUSE}(key, value):\n"
        "    old = _AUTOIMPROVE_REUSED.get(key)\n"
        "    if old is not None and old is not value and type(old) is type(value):\n"
        "        if isinstance(value, list):\n"
        "            old[:] = value\n"
        "            return old\n"
        "        if isinstance(value, (dict, set)):\n"
        "            old.clear()\n"
        "            old.update(value)\n"
        "            return old\n"
        "    _AUTOIMPROVE_REUSED[key] = value\n"
        "    return value\n"
    )
    return tuple(cst.parse_module(code).body)


# --- applying ---------------------------------------------------------------------------


class _Replace(cst.CSTTransformer):
    def __init__(self, site: _Site) -> None:
        self.site = site

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> object:
        if original_node is self.site.node:
            return self.site.replacement
        return updated_node


def _span(tree: ast.Module, qualname: str) -> tuple[int, int] | None:
    """First and last line of ``qualname``'s ``def`` (decorators included), from ``ast``."""
    parts = qualname.split(".")
    body: list[ast.stmt] = tree.body
    if len(parts) == 1:
        cls = next((n for n in body if isinstance(n, ast.ClassDef) and n.name == parts[0]), None)
        if cls is not None:
            body, name = cls.body, "__init__"
        else:
            name = parts[0]
    elif len(parts) == 2:
        cls = next((n for n in body if isinstance(n, ast.ClassDef) and n.name == parts[0]), None)
        if cls is None:
            return None
        body, name = cls.body, parts[1]
    else:
        return None
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            decorators = [d.lineno for d in node.decorator_list]
            if any(isinstance(d, ast.Name) and d.id == "overload" for d in node.decorator_list):
                continue
            return min([node.lineno, *decorators]), node.end_lineno or node.lineno
    return None


class ModuleMutator:
    """Mutants of the targets of one module, parsed once.

    Each target's ``def`` is cut out of the source by its lines (found with ``ast``),
    parsed and edited with libcst alone, and spliced back: the cost of a mutant
    follows the size of the function, not of the module.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = source.splitlines(keepends=True)
        try:
            self.tree: ast.Module | None = ast.parse(source)
        except (SyntaxError, ValueError):
            self.tree = None

    def _snippet(self, qualname: str) -> tuple[cst.Module, int, int, bool] | None:
        if self.tree is None:
            return None
        span = _span(self.tree, qualname)
        if span is None:
            return None
        start, end = span
        text = "".join(self.lines[start - 1 : end])
        wrapped = text[:1] in (" ", "\t")
        if not text.endswith("\n"):
            text += "\n"
        try:
            # A method keeps its own indentation inside a stand-in block.
            module = cst.parse_module(f"if True:\n{text}" if wrapped else text)
        except cst.ParserSyntaxError:
            return None
        return module, start, end, wrapped

    def _function(self, module: cst.Module, wrapped: bool) -> cst.FunctionDef | None:
        body: Sequence[cst.BaseStatement] = module.body
        if wrapped:
            block = body[0]
            if not isinstance(block, cst.If) or not isinstance(block.body, cst.IndentedBlock):
                return None
            body = block.body.body
        found = body[0] if body else None
        return found if isinstance(found, cst.FunctionDef) else None

    def count(self, qualname: str) -> int:
        """How many mutants :meth:`mutants` could make for ``qualname`` (no limit)."""
        snippet = self._snippet(qualname)
        if snippet is None:
            return 0
        function = self._function(snippet[0], snippet[3])
        return 0 if function is None else len(_function_sites(function, qualname))

    def mutants(self, qualname: str, *, limit: int | None = None, seed: str = "") -> list[Mutant]:
        """Mutants of ``qualname``, at most ``limit`` (see :func:`mutants_for`)."""
        snippet = self._snippet(qualname)
        if snippet is None:
            return []
        module, start, end, wrapped = snippet
        wrapper = MetadataWrapper(module)
        module = wrapper.module
        function = self._function(module, wrapped)
        if function is None:
            return []
        positions = wrapper.resolve(PositionProvider)
        chosen = _choose(_function_sites(function, qualname), limit, seed or qualname)
        out: list[Mutant] = []
        seen: set[str] = {self.source}
        offset = start - 1 - (1 if wrapped else 0)
        for site in chosen:
            code = self._apply(module, site, start, end, wrapped)
            if code is None or code in seen:
                continue
            seen.add(code)
            pos = positions.get(site.anchor or site.node)
            line = pos.start.line + offset if pos is not None else start
            out.append(Mutant(qualname, site.operator, line, _excerpt(module, site), code))
        return out

    def _apply(
        self, module: cst.Module, site: _Site, start: int, end: int, wrapped: bool
    ) -> str | None:
        """The module's source with ``site`` applied (``None`` if it does not compile)."""
        try:
            text = module.visit(_Replace(site)).code
            if wrapped:
                text = text.split("\n", 1)[1]
            extra = "".join(cst.Module([]).code_for_node(s) for s in site.extra)
            before, after = self.lines[: start - 1], self.lines[end:]
            tail = "".join(after)
            if extra and tail and not tail.endswith("\n"):
                tail += "\n"
            code = "".join(before) + text + tail + ("\n\n" + extra if extra else "")
            compile(code, "<mutant>", "exec")
        except (SyntaxError, ValueError, TypeError, cst.CSTValidationError):
            return None
        return code


def _function_sites(function: cst.FunctionDef, qualname: str) -> list[_Site]:
    visitor = _Sites(function)
    function.body.visit(visitor)
    return [*visitor.sites, *_whole_function_sites(function, qualname)]


def count_sites(source: str, qualname: str) -> int:
    """How many mutants :func:`mutants_for` could make for ``qualname`` (no limit)."""
    return ModuleMutator(source).count(qualname)


def mutants_for(
    source: str, qualname: str, *, limit: int | None = None, seed: str = ""
) -> list[Mutant]:
    """Mutants of ``qualname`` in the module ``source``, at most ``limit`` of them.

    When there are more sites than ``limit``, operators take turns (so a body full of
    slices does not crowd out its one None check), each operator's sites in an order
    drawn from ``seed``: deterministic, and spread over the body.
    """
    return ModuleMutator(source).mutants(qualname, limit=limit, seed=seed)


def _choose(sites: list[_Site], limit: int | None, seed: str) -> list[_Site]:
    if limit is None or len(sites) <= limit:
        return sites
    rng = random.Random(zlib.crc32(seed.encode()))
    by_operator: dict[str, list[_Site]] = {}
    for site in sites:
        by_operator.setdefault(site.operator, []).append(site)
    queues = []
    for operator in OPERATORS:
        found = by_operator.get(operator, [])
        rng.shuffle(found)
        if found:
            queues.append(found)
    # Which operators go first is drawn too: with a small limit, every operator gets
    # its turn across the targets of a module.
    rng.shuffle(queues)
    chosen: list[_Site] = []
    while len(chosen) < limit and any(queues):
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop(0))
    order = {id(s): i for i, s in enumerate(sites)}
    return sorted(chosen, key=lambda s: order[id(s)])


def _excerpt(module: cst.Module, site: _Site) -> str:
    """The code an edit changes: ``if x is None:``, or ``old -> new`` for an expression."""
    node = site.anchor or site.node
    if isinstance(node, cst.FunctionDef):
        return f"def {node.name.value}(...)"
    if isinstance(node, cst.If) or not isinstance(site.replacement, cst.CSTNode):
        return _short(module.code_for_node(node), 60)
    old = _short(module.code_for_node(node), 40)
    return f"{old} -> {_short(module.code_for_node(site.replacement), 40)}"


def _short(code: str, width: int) -> str:
    lines = code.strip().splitlines()
    first = lines[0].strip() if lines else ""
    return first if len(first) <= width else first[: width - 3] + "..."


def iter_operators() -> Iterator[tuple[str, str, str]]:
    """``(operator, risk, description)`` for the docs and the report."""
    for operator, (risk, text) in OPERATORS.items():
        yield operator, risk, text
