"""What a module's source says about its inputs, read with :mod:`ast`, never imported.

Annotations name types the module defines for type checkers only (an alias under
``if TYPE_CHECKING:`` does not exist at run time), formats are defined by the regular
expressions the module compiles, and a function reaches a pattern through the helpers
it calls. This module collects those facts once per module:

- type aliases (``Number = Union[int, float]``, ``X: TypeAlias = ...``, ``NewType``,
  ``TypeVar``), including those under ``if TYPE_CHECKING:``, and the statements of
  those blocks, which the resolver runs to rebuild the names they define;
- return annotations (a function returning a type is a factory of it);
- regular expressions compiled at module or class level, whose text is read statically
  where it is built from literals and constants;
- per function or method: the patterns it uses, directly or through the module's own
  functions and its class's methods it calls, and the parameters it matches against them;
  the literals and integers it compares with; the tables it looks a parameter up in;
  the ``struct`` formats it reads bytes with (:mod:`.layouts`).
"""

from __future__ import annotations

import ast
import contextlib
import re
from dataclasses import dataclass, field
from typing import TypeVar

from pytest_autoimprove.generators.performance.body_facts import (
    CONVERTERS,
    MAX_AFFIXES,
    MAX_BOUND,
    MAX_BOUNDS,
    MAX_TOKENS,
    affixes_of,
    byte_work_of,
    call_name,
    compiles,
    divisor_of,
    forms_of,
    keyed_of,
    pattern_factory,
    tokens_of,
    unwrapped,
    windows_of,
)
from pytest_autoimprove.generators.performance.layouts import (
    MAX_LAYOUTS,
    formats_of,
    struct_format,
)
from pytest_autoimprove.generators.performance.option_keys import KeyUse, option_keys_of
from pytest_autoimprove.generators.performance.relative_args import held_of, relative_of
from pytest_autoimprove.pysource import spelled_text

__all__ = ["PatternUse", "SourceFacts", "constructor_name", "read_facts"]

_T = TypeVar("_T")

#: ``re`` functions whose first argument is a pattern and which argument is the text.
_RE_FUNCTIONS = {
    "match": 1,
    "fullmatch": 1,
    "search": 1,
    "findall": 1,
    "finditer": 1,
    "split": 1,
    "sub": 2,
    "subn": 2,
}
#: ``re`` functions whose flags may follow the text as a positional argument.
_FLAGS_NEXT = {"match", "fullmatch", "search", "findall", "finditer"}
#: Methods of a compiled pattern whose first argument is the text.
_PATTERN_METHODS = {"match", "fullmatch", "search", "findall", "finditer", "split", "scanner"}
#: How far helper calls are followed to find the patterns a function uses.
MAX_CALL_DEPTH = 3


@dataclass(frozen=True)
class PatternUse:
    """A regular expression the module defines.

    :param name: ``NAME`` (module level), ``Class.NAME`` (class level), or ``""`` for a
        literal written inside a ``re.match(...)`` call.
    :param pattern: its text when it could be read statically (else the resolver reads
        it from the imported module).
    :param flags: its ``re`` flags.
    """

    name: str
    pattern: str | None
    flags: int = 0


@dataclass
class SourceFacts:
    """The facts of one module (see the module docstring)."""

    aliases: dict[str, str] = field(default_factory=dict)
    checking: list[str] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)
    returns: dict[str, str] = field(default_factory=dict)
    patterns: dict[str, PatternUse] = field(default_factory=dict)
    #: qualname -> names of the patterns it uses (keys of ``patterns``).
    uses: dict[str, list[str]] = field(default_factory=dict)
    #: qualname -> literal patterns of its ``re.*`` calls.
    inline: dict[str, list[PatternUse]] = field(default_factory=dict)
    #: qualname -> parameters passed as the text of a pattern call in its own body.
    matched: dict[str, list[str]] = field(default_factory=dict)
    docstring: str = ""
    #: qualname -> the short string literals its body (and the module's functions it
    #: calls) compares, splits or replaces on: the tokens of the format it reads.
    tokens: dict[str, list[str]] = field(default_factory=dict)
    #: qualname -> (literal, "start" or "end") it tests text with ``startswith``/``endswith``.
    affixes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: ``NAME = <literal>`` at module level (and string expressions of them) and
    #: ``Class.NAME`` in class bodies: a parameter whose default names one takes
    #: values like it.
    constants: dict[str, object] = field(default_factory=dict)
    #: qualname -> the integers its body (and the module's functions it calls) compares
    #: with, literal or a module constant: ``(n, True)`` where the other side is a
    #: ``len(...)``. Off-by-one regressions live at these boundaries.
    bounds: dict[str, list[tuple[int, bool]]] = field(default_factory=dict)
    #: qualname -> parameter -> the names of the tables the body looks it up in
    #: (``NAMES[p]``, ``NAMES.get(p)``, ``p in NAMES``; ``Class.NAME`` for ``self.NAME``):
    #: their keys are the values the author meant it to take, one code path each.
    keyed: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: qualname -> how its body (and the module's functions it calls) reads numbers
    #: from text: ``float``, ``int``, ``Decimal``, ``isdigit``...; text those accept in
    #: more spellings than a fast path expects (``'1e5'``, ``' 42 '``, ``'١٢٣'``) goes there.
    converts: dict[str, list[str]] = field(default_factory=dict)
    #: qualname -> how its body (and the module's functions it calls) works on an
    #: integer's bytes: ``to_bytes``, ``struct.pack``, ``>>``, ``& 0xff``...; integers
    #: where the bytes change width (127 and 128, -128 and -129) go there.
    packs: dict[str, list[str]] = field(default_factory=dict)
    #: qualname -> position parameter -> the text or sequence parameter it is a
    #: position in (``s[end:end + 1]``): calls with a position outside it are not planned.
    windows: dict[str, dict[str, str]] = field(default_factory=dict)
    #: qualname -> parameter -> the type names its body checks it against
    #: (``isinstance(fmt, str)``): each a form of input with a branch of its own.
    forms: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: qualname -> mapping parameter -> literal key -> how the body uses its value
    #: (``options.get("keyword_case")`` compared with ``"upper"``): see :mod:`.option_keys`.
    options: dict[str, dict[str, dict[str, KeyUse]]] = field(default_factory=dict)
    #: method qualname -> (parameter, attribute) it compares with ``self.<attr>``.
    relative: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: class -> attribute -> the ``__init__`` parameter it holds (``self.min = min``).
    holds: dict[str, dict[str, str]] = field(default_factory=dict)
    #: class -> the names of its bases (those written as plain names).
    bases: dict[str, list[str]] = field(default_factory=dict)
    #: qualname -> the ``struct`` formats its body (and the module's functions it
    #: calls) reads or writes bytes with: see :mod:`.layouts`.
    layouts: dict[str, list[str]] = field(default_factory=dict)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _looks_like_type(node: ast.expr) -> bool:
    """An expression that can be a type: names, subscripts, ``X | Y``, ``None``."""
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
        return True
    if isinstance(node, ast.Constant):
        return node.value is None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _looks_like_type(node.left) and _looks_like_type(node.right)
    return False


class _Reader:
    def __init__(self, source: str, module_name: str) -> None:
        self.source = source
        self.module_name = module_name
        self.facts = SourceFacts()
        self.strings: dict[str, str] = {}
        self.direct: dict[str, set[str]] = {}
        self.calls: dict[str, set[str]] = {}
        self.own_tokens: dict[str, list[str]] = {}
        self.own_affixes: dict[str, list[tuple[str, str]]] = {}
        self.own_bounds: dict[str, list[tuple[int, bool]]] = {}
        #: Module names bound to a tuple of types (``BytesLike = bytes, bytearray``).
        self.type_tuples: dict[str, list[str]] = {}
        #: class -> the bounds its methods compare ``self.<attribute>`` with.
        self.attribute_bounds: dict[str, list[tuple[int, bool]]] = {}
        self.own_converts: dict[str, list[str]] = {}
        self.own_packs: dict[str, list[str]] = {}
        #: Module functions that return a compiled pattern (``make_regex(text)``).
        self.pattern_factories: set[str] = set()
        #: ``struct.Struct`` objects bound at module (``NAME``) or class level
        #: (``Class.NAME``), with their formats.
        self.structs: dict[str, str] = {}
        self.own_layouts: dict[str, list[str]] = {}

    def text(self, node: ast.AST) -> str | None:
        return ast.get_source_segment(self.source, node)

    # --- module level ------------------------------------------------------------------

    def module(self, tree: ast.Module) -> None:
        self.facts.docstring = ast.get_docstring(tree) or ""
        # Constants first: patterns are often built from them (``DATE + "T" + TIME``).
        for stmt in tree.body:
            self._constant(stmt)
            factory = pattern_factory(stmt)
            if factory:
                self.pattern_factories.add(factory)
        for stmt in tree.body:
            self._statement(stmt, checking=False)
        for name in list(self.direct) + list(self.calls):
            self.facts.uses[name] = sorted(self._reach(name))
        self.facts.tokens = self._with_callees(self.own_tokens, MAX_TOKENS)
        self.facts.affixes = self._with_callees(self.own_affixes, MAX_AFFIXES)
        self.facts.bounds = self._with_callees(self.own_bounds, MAX_BOUNDS)
        for cls, held in self.attribute_bounds.items():
            # A constructor argument meets the bounds its class's methods compare the
            # attribute holding it with (a dataclass has no __init__ of its own).
            key = f"{cls}.__init__"
            merged = list(self.facts.bounds.get(key, []))
            merged += [b for b in held if b not in merged]
            if merged:
                self.facts.bounds[key] = merged[: 2 * MAX_BOUNDS]
        self.facts.converts = self._with_callees(self.own_converts, len(CONVERTERS))
        self.facts.packs = self._with_callees(self.own_packs, 4)
        self.facts.layouts = self._with_callees(self.own_layouts, MAX_LAYOUTS)

    def _with_callees(self, own: dict[str, list[_T]], limit: int) -> dict[str, list[_T]]:
        """Per function, what its body holds and then what the module's functions it
        calls hold, each once, at most ``limit``; functions holding nothing left out."""
        out: dict[str, list[_T]] = {}
        for name in own:
            found = list(own[name])
            for callee in sorted(self._callees(name, 0, set()) - {name}):
                found += [item for item in own.get(callee, []) if item not in found]
            if found:
                out[name] = found[:limit]
        return out

    def _constant(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            value = self._string(stmt.value)
            if isinstance(target, ast.Name) and value is not None:
                self.strings[target.id] = value
            layout = struct_format(stmt.value, self.strings)
            if isinstance(target, ast.Name) and layout is not None:
                self.structs[target.id] = layout
            if isinstance(target, ast.Name):
                with contextlib.suppress(ValueError, TypeError, SyntaxError, RecursionError):
                    self.facts.constants[target.id] = (
                        value if value is not None else ast.literal_eval(stmt.value)
                    )
            if (
                isinstance(target, ast.Name)
                and isinstance(stmt.value, ast.Tuple)
                and stmt.value.elts
                and all(isinstance(e, (ast.Name, ast.Attribute)) for e in stmt.value.elts)
            ):
                # `BytesLike = bytes, bytearray, memoryview`, for isinstance checks
                self.type_tuples[target.id] = [n for n in map(call_name, stmt.value.elts) if n]

    def _statement(self, stmt: ast.stmt, *, checking: bool) -> None:
        if isinstance(stmt, ast.If) and _is_type_checking(stmt.test):
            for inner in stmt.body:
                text = self.text(inner)
                if text is not None:
                    self.facts.checking.append(text)
                self._statement(inner, checking=True)
            return
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self._import(stmt)
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            self._assign(stmt.targets[0], stmt.value, annotated_alias=False)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            alias = "TypeAlias" in (self.text(stmt.annotation) or "")
            self._assign(stmt.target, stmt.value, annotated_alias=alias)
        elif type(stmt).__name__ == "TypeAlias":  # ``type X = ...`` (Python 3.12)
            name = getattr(stmt, "name", None)
            value = getattr(stmt, "value", None)
            if isinstance(name, ast.Name) and value is not None:
                self._alias(name.id, value)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(stmt, stmt.name, None)
        elif isinstance(stmt, ast.ClassDef):
            self._class(stmt)

    def _import(self, stmt: ast.Import | ast.ImportFrom) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                local = alias.asname or alias.name.split(".")[0]
                self.facts.imports[local] = alias.name if alias.asname else local
            return
        base = stmt.module or ""
        if stmt.level:
            package = self.module_name.split(".")[: -stmt.level]
            base = ".".join([*package, base] if base else package)
        for alias in stmt.names:
            if alias.name != "*":
                self.facts.imports[alias.asname or alias.name] = f"{base}.{alias.name}"

    def _assign(self, target: ast.expr, value: ast.expr, *, annotated_alias: bool) -> None:
        if not isinstance(target, ast.Name):
            return
        compiled = self._compiled(value)
        if compiled is not None:
            self.facts.patterns[target.id] = PatternUse(target.id, *compiled)
            return
        if compiles(value) or (
            isinstance(value, ast.Call) and call_name(value.func) in self.pattern_factories
        ):
            # A list, dict or comprehension of compiled patterns, or a pattern a module
            # function compiles (``make_regex(r"...")``): the resolver reads it, or its
            # members, from the imported module (``NAME``, ``NAME[0]``, ``NAME['key']``).
            self.facts.patterns[target.id] = PatternUse(target.id, None, 0)
            return
        if isinstance(value, ast.Call):
            callee = call_name(value.func)
            if callee == "NewType" and len(value.args) == 2:
                self._alias(target.id, value.args[1])
            elif callee == "TypeVar":
                self._type_var(target.id, value)
            return
        if annotated_alias and isinstance(value, ast.Constant) and isinstance(value.value, str):
            self.facts.aliases[target.id] = value.value
        elif _looks_like_type(value) and not isinstance(value, ast.Constant):
            self._alias(target.id, value)

    def _alias(self, name: str, value: ast.expr) -> None:
        text = self.text(value)
        if text is not None:
            self.facts.aliases[name] = text

    def _type_var(self, name: str, call: ast.Call) -> None:
        constraints = [self.text(a) for a in call.args[1:]]
        bound = next((k.value for k in call.keywords if k.arg == "bound"), None)
        if constraints and all(constraints):
            self.facts.aliases[name] = "Union[" + ", ".join(c for c in constraints if c) + "]"
        elif bound is not None:
            text = self.text(bound)
            if text:
                self.facts.aliases[name] = text

    def _class(self, node: ast.ClassDef) -> None:
        self.facts.bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target = stmt.targets[0]
                if isinstance(target, ast.Name):
                    with contextlib.suppress(ValueError, TypeError, SyntaxError, RecursionError):
                        value = ast.literal_eval(stmt.value)
                        self.facts.constants[f"{node.name}.{target.id}"] = value
                compiled = self._compiled(stmt.value)
                if isinstance(target, ast.Name) and compiled is not None:
                    name = f"{node.name}.{target.id}"
                    self.facts.patterns[name] = PatternUse(name, *compiled)
                layout = struct_format(stmt.value, self.strings)
                if isinstance(target, ast.Name) and layout is not None:
                    self.structs[f"{node.name}.{target.id}"] = layout
        made_by = constructor_name(node)
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # A class built in __new__ (a tuple or float subclass): its facts are
                # the constructor's, read under the name the constructor is looked up by.
                name = "__init__" if stmt.name == made_by else stmt.name
                self._function(stmt, f"{node.name}.{name}", node.name)

    # --- patterns ------------------------------------------------------------------------

    def _string(self, node: ast.expr) -> str | None:
        """The value of a string expression built from literals and module constants."""
        return spelled_text(node, self.strings)

    def _flags(self, node: ast.expr | None) -> int:
        if node is None:
            return 0
        if isinstance(node, ast.Attribute) and isinstance(getattr(re, node.attr, None), int):
            return int(getattr(re, node.attr))
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.Add)):
            return self._flags(node.left) | self._flags(node.right)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        return 0

    def _compiled(self, value: ast.expr) -> tuple[str | None, int] | None:
        """``re.compile(TEXT, FLAGS)``: (the text if static, the flags); else None."""
        if not (isinstance(value, ast.Call) and call_name(value.func) == "compile"):
            return None
        func = value.func
        if isinstance(func, ast.Attribute) and not (
            isinstance(func.value, ast.Name) and func.value.id in ("re", "regex")
        ):
            return None
        if isinstance(func, ast.Name) and self.facts.imports.get("compile") != "re.compile":
            return None
        if not value.args:
            return None
        flags = value.args[1] if len(value.args) > 1 else None
        flags = next((k.value for k in value.keywords if k.arg == "flags"), flags)
        return self._string(value.args[0]), self._flags(flags)

    # --- functions -----------------------------------------------------------------------

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str, cls: str | None
    ) -> None:
        if node.returns is not None:
            text = self.text(node.returns)
            if text:
                self.facts.returns[qualname] = text
        params = {a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]}
        direct: set[str] = set()
        calls: set[str] = set()
        matched: list[str] = []
        bound = self._bound_matchers(node)
        inline: list[PatternUse] = []
        # Strings the body names before it matches with them (`_re = r"..."` then
        # `re.match(_re, text)`), besides the module's constants.
        strings = dict(self.strings)
        for sub in ast.walk(node):
            if (
                isinstance(sub, ast.Assign)
                and len(sub.targets) == 1
                and isinstance(sub.targets[0], ast.Name)
            ):
                text = spelled_text(sub.value, strings)
                if text is not None:
                    strings[sub.targets[0].id] = text
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in self.facts.patterns:
                direct.add(sub.id)
            elif (
                isinstance(sub, ast.Attribute)
                and cls
                and f"{cls}.{sub.attr}" in self.facts.patterns
            ):
                direct.add(f"{cls}.{sub.attr}")
            elif isinstance(sub, ast.Attribute) and sub.attr in self.facts.patterns:
                direct.add(sub.attr)
            if not isinstance(sub, ast.Call):
                continue
            func = sub.func
            if isinstance(func, ast.Name):
                calls.add(func.id)
            elif (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in ("self", "cls")
                and cls
            ):
                calls.add(f"{cls}.{func.attr}")
            if isinstance(func, ast.Name) and func.id in bound and sub.args:
                text_arg = unwrapped(sub.args[0])  # `_m(s, end)`, `_m=CHUNK.match`
            else:
                text_arg = unwrapped(self._pattern_call(sub, inline, strings))
            if isinstance(text_arg, ast.Name) and text_arg.id in params:
                matched.append(text_arg.id)
        self.direct[qualname] = direct
        self.calls[qualname] = calls
        self.own_tokens[qualname] = tokens_of(node)
        self.own_affixes[qualname] = affixes_of(node)
        self.own_bounds[qualname] = self._bounds(node)
        self.own_layouts[qualname] = formats_of(node, self.structs, self.strings, cls)
        if cls:
            held = self.attribute_bounds.setdefault(cls, [])
            held += [b for b in self._attribute_bounds(node) if b not in held]
        calls_made = {call_name(sub.func) for sub in ast.walk(node) if isinstance(sub, ast.Call)}
        self.own_converts[qualname] = sorted(calls_made & CONVERTERS)
        self.own_packs[qualname] = byte_work_of(node, calls_made)
        forms = forms_of(node, params, self.type_tuples)
        if forms:
            self.facts.forms[qualname] = forms
        windows = windows_of(node, params)
        if windows:
            self.facts.windows[qualname] = windows
        if cls:
            relative = relative_of(node, params)
            if relative:
                self.facts.relative[qualname] = relative
            if node.name == "__init__":
                self.facts.holds[cls] = held_of(node, params)
        double = {node.args.kwarg.arg} if node.args.kwarg else set()
        options = option_keys_of(node, params | double)
        if options:
            self.facts.options[qualname] = options
        keyed = keyed_of(node, params, cls)
        if keyed:
            self.facts.keyed[qualname] = keyed
        if inline:
            self.facts.inline[qualname] = inline
        if matched:
            self.facts.matched[qualname] = list(dict.fromkeys(matched))

    def _bound_matchers(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
        """Parameters defaulting to a method of a module pattern (``_m=CHUNK.match``, a
        global cached as a local): a call of one matches its first argument."""
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        defaulted = positional[len(positional) - len(arguments.defaults) :]
        pairs: list[tuple[ast.arg, ast.expr | None]] = [
            *zip(defaulted, arguments.defaults, strict=True),
            *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True),
        ]
        return {
            arg.arg
            for arg, default in pairs
            if isinstance(default, ast.Attribute)
            and default.attr in _PATTERN_METHODS
            and call_name(default.value) in self.facts.patterns
        }

    def _bounds(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[int, bool]]:
        """The integers the body compares with (``len(s) > 63``, ``n < LIMIT``), then
        those it divides by (``divmod(n, 1000)``, ``n % 100``, ``n // 60``): where a
        number's digit group or unit changes, as a fast path for small numbers forgets."""
        found = self._compared(node, of_self=False)
        divisors: list[tuple[int, bool]] = []
        for sub in ast.walk(node):
            by = divisor_of(sub)
            divisor = self._int_of(by) if by is not None else None
            if divisor is not None and 3 <= divisor <= MAX_BOUND:  # not 2: parity
                divisors += [] if (divisor, False) in divisors else [(divisor, False)]
        return found + [d for d in divisors if d not in found]

    def _attribute_bounds(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> list[tuple[int, bool]]:
        """The integers a method compares its instance's attributes with
        (``3000 <= self.code < 4000``, ``length = len(self.data)`` then ``length < 126``):
        bounds of the constructor arguments those attributes hold."""
        return self._compared(node, of_self=True)

    def _compared(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, *, of_self: bool
    ) -> list[tuple[int, bool]]:
        """``(n, is a length)`` for the integers the body compares with, in order; with
        ``of_self``, only in comparisons of ``self.<attr>`` or its ``len()``. A length
        is at most :data:`MAX_BOUND` (text that long is built); a number may be as
        large as a 64-bit one (``abs(f) > 1e8``, where a formatter switches notation)."""
        found: list[tuple[int, bool]] = []
        lengths = _named_lengths(node, of_self=of_self)
        for sub in ast.walk(node):
            if not isinstance(sub, ast.Compare):
                continue
            sides = [sub.left, *sub.comparators]
            length = any(_is_length(s, lengths, of_self=of_self) for s in sides)
            if of_self and not length and not any(_self_attribute(s) for s in sides):
                continue
            for side in sides:
                value = self._int_of(side)
                largest = MAX_BOUND if length else _MAX_NUMBER_BOUND
                if value is not None and 2 <= abs(value) <= largest:
                    found += [] if (value, length) in found else [(value, length)]
        return found

    def _int_of(self, node: ast.expr) -> int | None:
        """The int a literal (``63``, ``-1``, a whole float such as ``1e8``) or a module
        constant holds, else ``None``."""
        value: object = None
        if isinstance(node, ast.Name):
            value = self.facts.constants.get(node.id)
        elif isinstance(node, (ast.Constant, ast.UnaryOp)):
            with contextlib.suppress(ValueError, TypeError, SyntaxError):
                value = ast.literal_eval(node)
        if isinstance(value, float) and value.is_integer() and abs(value) <= _MAX_NUMBER_BOUND:
            return int(value)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _pattern_call(
        self, call: ast.Call, inline: list[PatternUse], strings: dict[str, str]
    ) -> ast.expr | None:
        """The text argument of ``re.match(P, text)`` or ``PAT.match(text)``, if this is one
        (``strings``: the names of strings in scope, the function's own included)."""
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id == "re" and func.attr in _RE_FUNCTIONS:
            index = _RE_FUNCTIONS[func.attr]
            if call.args:
                pattern = spelled_text(call.args[0], strings)
                if pattern is not None:
                    # flags come right after the text, but for sub, subn and split
                    later = len(call.args) > index + 1 and func.attr in _FLAGS_NEXT
                    given = call.args[index + 1] if later else None
                    flags = next((k.value for k in call.keywords if k.arg == "flags"), given)
                    inline.append(PatternUse("", pattern, self._flags(flags)))
            return call.args[index] if len(call.args) > index else None
        if func.attr in _PATTERN_METHODS and call.args and isinstance(owner, ast.Call):
            compiled = self._compiled(owner)  # re.compile(r"...").match(text)
            if compiled is not None and compiled[0] is not None:
                inline.append(PatternUse("", *compiled))
                return call.args[0]
            return None
        if func.attr in _PATTERN_METHODS and call.args:
            name = call_name(owner)
            if name in self.facts.patterns or any(
                k.endswith(f".{name}") for k in self.facts.patterns
            ):
                return call.args[0]
        return None

    def _callees(self, qualname: str, depth: int, seen: set[str]) -> set[str]:
        """``qualname`` and the module's functions it calls, a few calls deep."""
        if qualname in seen or depth > MAX_CALL_DEPTH:
            return set()
        seen.add(qualname)
        found = {qualname}
        for callee in self.calls.get(qualname, set()):
            if callee in self.calls:
                found |= self._callees(callee, depth + 1, seen)
        return found

    def _reach(self, qualname: str) -> set[str]:
        """Patterns used by ``qualname`` and by the module's functions it calls."""
        return set().union(*(self.direct.get(c, set()) for c in self._callees(qualname, 0, set())))


def read_facts(source: str, module_name: str) -> SourceFacts:
    """The facts of a module's ``source`` (empty facts when it does not parse)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return SourceFacts()
    reader = _Reader(source, module_name)
    reader.module(tree)
    return reader.facts


def _self_attribute(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


#: The largest number (not a length) kept as a bound.
_MAX_NUMBER_BOUND = 2**64


def _named_lengths(
    node: ast.FunctionDef | ast.AsyncFunctionDef, *, of_self: bool = False
) -> set[str]:
    """Local names assigned a ``len(...)`` (of an attribute of ``self`` only, if asked)."""
    names: set[str] = set()
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Assign)
            and len(sub.targets) == 1
            and isinstance(sub.targets[0], ast.Name)
            and _is_length(sub.value, set(), of_self=of_self)
        ):
            names.add(sub.targets[0].id)
    return names


def _is_length(node: ast.expr, names: set[str], *, of_self: bool = False) -> bool:
    """``len(x)`` (``len(self.x)`` if ``of_self``) or a local name holding one."""
    if isinstance(node, ast.Name):
        return node.id in names
    if not (isinstance(node, ast.Call) and call_name(node.func) == "len" and node.args):
        return False
    return not of_self or _self_attribute(node.args[0])


def constructor_name(cls: ast.ClassDef) -> str:
    """The method that takes a class's constructor arguments: ``__init__``, or
    ``__new__`` when the class defines only that (a tuple or float subclass)."""
    names = {s.name for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return "__new__" if "__new__" in names and "__init__" not in names else "__init__"
