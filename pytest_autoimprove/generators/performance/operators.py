"""Mutation operators: where each of the goal's likely regressions applies in a body.

Each operator stands for a catalog risk (:mod:`..catalog`) and finds its sites in a
target's ``def`` with libcst: a None check to drop, a special case to skip, one part
of a condition to drop, an ``except`` to narrow, a bound to shift by one, an exact
number to make a float, a normalisation to skip, a sign to drop, a memo cache to add,
a result to reuse, an argument to work on in place, an order to leave to hashing. A
site is the node to replace and what replaces it; :mod:`.mutants` applies one site at
a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from pytest_autoimprove.generators.discover import is_generator

__all__ = ["OPERATORS", "Site", "function_sites"]

#: operator id -> (the catalog risk it stands for, what it does, in a few words).
OPERATORS: dict[str, tuple[str, str]] = {
    "drop-none-check": ("dropped-none-check", "drop a None or empty check"),
    "drop-special-case": ("changed-behaviour", "skip a special case (an early exit)"),
    "drop-branch": ("changed-behaviour", "drop a branch of an if/elif chain"),
    "drop-input-form": ("changed-behaviour", "stop accepting one input type"),
    "drop-condition": ("changed-behaviour", "drop one part of an and/or condition"),
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
class Site:
    operator: str
    node: cst.CSTNode
    replacement: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.BaseStatement]
    #: Module-level statements the edit needs (a memo dict, the reuse helper).
    extra: tuple[cst.BaseStatement, ...] = ()
    #: The node whose line and code describe the edit (default: ``node``); a branch
    #: of an if/elif chain, when the edit removes it.
    anchor: cst.CSTNode | None = None


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


class Sites(cst.CSTVisitor):
    """Every place in a function body where an operator applies, in source order."""

    def __init__(self, function: cst.FunctionDef) -> None:
        self.function = function
        self.params = _param_names(function)
        self.sites: list[Site] = []
        self._elifs: set[int] = set()

    def add(
        self,
        operator: str,
        node: cst.CSTNode,
        replacement: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.BaseStatement],
        anchor: cst.CSTNode | None = None,
    ) -> None:
        self.sites.append(Site(operator, node, replacement, anchor=anchor))

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
        for branch in branches:
            self._condition_parts(branch.test)
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
        self._condition_parts(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._condition_parts(node.test)

    def visit_CompIf(self, node: cst.CompIf) -> None:
        self._condition_parts(node.test)

    def _condition_parts(self, test: cst.BaseExpression) -> None:
        """``if a and b`` -> ``if a`` and ``if b``: a condition "simplified" for speed
        that no longer checks everything it did (``or`` likewise), at every level of
        the condition. ``param or default`` is the None check's own operator."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            self._condition_parts(test.expression)
            return
        if not isinstance(test, cst.BooleanOperation):
            return
        defaulted = (
            isinstance(test.operator, cst.Or)
            and isinstance(test.left, cst.Name)
            and test.left.value in self.params
        )
        for kept in [test.right] if defaulted else [test.left, test.right]:
            replacement = kept
            if test.lpar and not kept.lpar:  # ``not (a and b)`` -> ``not (a)``
                replacement = kept.with_changes(lpar=test.lpar, rpar=test.rpar)
            self.add("drop-condition", test, replacement)
        self._condition_parts(test.left)
        self._condition_parts(test.right)

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


def _whole_function_sites(function: cst.FunctionDef, qualname: str) -> list[Site]:
    if (
        is_generator(function)
        or function.asynchronous is not None
        or function.name.value.startswith("__")
        or not isinstance(function.body, cst.IndentedBlock)
    ):
        return []
    slug = qualname.replace(".", "_")
    sites: list[Site] = []
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
        sites.append(Site("add-cache", function, cached, extra))
    reuse = _Returns(cst.Name(_REUSE), only_fresh=True)
    rewritten = function.visit(reuse)
    if reuse.changed and isinstance(rewritten, cst.FunctionDef):
        # Calls with the same arguments get the same object back, refilled in place:
        # the classic "reuse the buffer" memory optimization.
        shared = _insert_at_start(rewritten, [_key_statement(function, qualname)])
        sites.append(Site("shared-result", function, shared, _reuse_helper()))
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


def function_sites(function: cst.FunctionDef, qualname: str) -> list[Site]:
    """Every site of every operator in ``function``, in source order (whole-body ones last)."""
    visitor = Sites(function)
    function.body.visit(visitor)
    return [*visitor.sites, *_whole_function_sites(function, qualname)]
