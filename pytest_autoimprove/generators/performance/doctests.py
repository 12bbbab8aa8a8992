"""Doctest examples as recorded cases: the author's own statement of how a function is used.

Examples are harvested with :class:`doctest.DocTestParser` from the docstrings of the
targets and of their module, from ``README*`` at the repository root and from the
Markdown and reST files under ``docs/``. Each file or docstring is read as one doctest
session: ``import``/``from ... import`` lines and simple assignments (``p = Parser("a")``,
``d = Decimal("1.5")``, ``x = parse("...")``) are followed, so a later call can use
them. An example becomes a :class:`DocCall` when it calls a target in scope (a
function, a constructor, a static or class method, or a method of an object built
earlier in the session) with arguments that can be rebuilt: literals, values built by
calls (``Build``) and names (``Ref``, see :mod:`pytest_autoimprove.runtime.replay`).

The baseline stays the oracle: the example's printed output is only compared with the
baseline's answer by the probe, to confirm the harvest understood the example; a case
whose output does not match is not frozen.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_autoimprove.generators.discover import ModuleInfo
from pytest_autoimprove.pysource import import_bindings
from pytest_autoimprove.runtime.replay import Build, Ref

__all__ = ["DocCall", "code_blocks", "doc_files", "doc_texts", "harvest", "output_matches"]

#: Files read besides docstrings, and how many at most (each up to MAX_BYTES).
MAX_FILES = 40
MAX_BYTES = 300_000
#: Calls kept per target.
MAX_PER_TARGET = 12
#: Builtins an example may wrap a call in (``list(f(x))``, ``print(f(x))``).
WRAPPERS = ("print", "list", "tuple", "sorted", "set", "dict", "str", "repr", "len")
_LITERAL_CALLS = {"float", "int", "str", "bytes", "set", "frozenset", "tuple", "list", "dict"}
_FENCE = re.compile(r"^[ \t]*(```|~~~).*$", re.MULTILINE)


@dataclass(frozen=True)
class DocCall:
    """One harvested example calling a target.

    :param want: the output the example shows (what ``print`` or the prompt would show).
    :param raises: the exception class name the example shows instead, or ``""``.
    :param wrapper: a builtin the example applies to the result before showing it.
    :param where: ``file:line`` of the example.
    """

    module: str
    qualname: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    ctor: tuple[tuple[Any, ...], dict[str, Any]] | None
    want: str
    raises: str
    wrapper: str
    where: str
    #: The example shows what the call gives (a doctest); ``False`` for a call in a code
    #: block, which shows only how the function is called.
    shown: bool = True


class _Fail(Exception):
    """An argument the harvest cannot rebuild."""


@dataclass
class _Session:
    """Names bound so far in one docstring or file: dotted paths, values, instances."""

    paths: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    instances: dict[str, Build] = field(default_factory=dict)

    def forget(self, name: str) -> None:
        self.paths.pop(name, None)
        self.values.pop(name, None)
        self.instances.pop(name, None)


class _Harvester:
    def __init__(self, infos: Sequence[ModuleInfo]) -> None:
        self.targets = {i.name: {t.qualname: t.kind for t in i.targets} for i in infos}
        self.found: dict[str, dict[str, list[DocCall]]] = {}

    # --- names ------------------------------------------------------------------------

    def dotted(self, node: ast.expr, session: _Session) -> str:
        """The absolute dotted path a name or attribute chain stands for."""
        if isinstance(node, ast.Name):
            if node.id in session.paths:
                return session.paths[node.id]
            if isinstance(getattr(builtins, node.id, None), type):
                # ``Schema(int)``, ``Use(str)``: a builtin type is a value too.
                return f"builtins.{node.id}"
            raise _Fail(node.id)
        if isinstance(node, ast.Attribute):
            return f"{self.dotted(node.value, session)}.{node.attr}"
        raise _Fail(type(node).__name__)

    def target(self, path: str) -> tuple[str, str] | None:
        """(module, qualname) of the target ``path`` names, directly or re-exported."""
        for module in sorted(self.targets, key=len, reverse=True):
            if path.startswith(module + "."):
                qualname = path[len(module) + 1 :]
                if qualname in self.targets[module]:
                    return module, qualname
        name = path.rsplit(".", 1)[-1]
        package = path.rsplit(".", 1)[0] if "." in path else ""
        for module in sorted(self.targets):
            if package and not (module == package or module.startswith(package + ".")):
                continue
            if name in self.targets[module] and self.targets[module][name] in (
                "function",
                "constructor",
            ):
                return module, name
        return None

    # --- values -----------------------------------------------------------------------

    def value(self, node: ast.expr, session: _Session) -> Any:
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
        if isinstance(node, ast.Name) and node.id in session.values:
            return session.values[node.id]
        if isinstance(node, (ast.BinOp, ast.UnaryOp)) and _arithmetic(node):
            try:  # ``10**6``, ``-2 * 3``: numbers and operators only
                return eval(
                    compile(ast.Expression(node), "<doctest>", "eval"), {"__builtins__": {}}
                )  # noqa: S307
            except Exception as error:  # noqa: BLE001 - not a value after all
                raise _Fail("arithmetic") from error
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = [self.value(e, session) for e in node.elts]
            return {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)](items)
        if isinstance(node, ast.Dict) and all(k is not None for k in node.keys):
            return {
                self.value(k, session): self.value(v, session)
                for k, v in zip(node.keys, node.values, strict=True)
                if k is not None
            }
        if isinstance(node, ast.Call):
            args = tuple(
                self.value(a, session) for a in node.args if not isinstance(a, ast.Starred)
            )
            if any(isinstance(a, ast.Starred) for a in node.args) or any(
                k.arg is None for k in node.keywords
            ):
                raise _Fail("star")
            kwargs = {k.arg: self.value(k.value, session) for k in node.keywords if k.arg}
            func = node.func
            if (
                isinstance(func, ast.Name)
                and func.id in _LITERAL_CALLS
                and func.id not in session.paths
            ):
                try:
                    return getattr(builtins, func.id)(*args, **kwargs)
                except Exception as error:  # noqa: BLE001 - not a value after all
                    raise _Fail("literal call") from error
            return Build(self.dotted(node.func, session), *args, **kwargs)
        if isinstance(node, (ast.Attribute, ast.Name)):
            return Ref(self.dotted(node, session))
        raise _Fail(type(node).__name__)

    # --- examples ---------------------------------------------------------------------

    def session(
        self, text: str, where: str, line: int, own: str | None, names: Mapping[str, str]
    ) -> None:
        """Read one docstring or file.

        ``own``: the module whose names a docstring sees unqualified; ``names``: what
        its imports bind (``Decimal`` -> ``decimal.Decimal``).
        """
        session = _Session()
        if own is not None:
            session.paths.update(names)
            session.paths.update({q: f"{own}.{q}" for q in self.targets.get(own, {})})
        try:
            examples = doctest.DocTestParser().get_examples(_FENCE.sub("", text))
        except ValueError:  # inconsistent indentation: not a doctest after all
            return
        for example in examples:
            try:
                tree = ast.parse(example.source)
            except SyntaxError:
                continue
            if len(tree.body) != 1:
                continue
            stmt, here = tree.body[0], f"{where}:{line + example.lineno + 1}"
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                # ``sl = SortedList([3, 1, 2])``: a call too, whose result is not shown.
                self.call(stmt.value, _SCRIPT, session, here, shown=False)
            self.statement(stmt, example, session, here)

    def script(self, code: str, where: str, line: int) -> None:
        """Read a code block of a README or doc page: a session without shown output.

        Every call of a target in it is a case, also one whose result is assigned
        (``d = tomli.loads(text)``); statements inside ``try`` and ``with`` blocks count.
        """
        try:
            tree = ast.parse(textwrap.dedent(code))
        except (SyntaxError, ValueError):
            return
        session = _Session()
        for stmt in _flat(tree.body):
            here = f"{where}:{line + stmt.lineno}"
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                self.call(stmt.value, _SCRIPT, session, here, shown=False)
            self.statement(stmt, _SCRIPT, session, here, shown=False)

    def statement(
        self,
        stmt: ast.stmt,
        example: doctest.Example,
        session: _Session,
        where: str,
        *,
        shown: bool = True,
    ) -> None:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            session.paths.update(import_bindings(stmt))
            return
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                session.forget(target.id)
                try:
                    value = self.value(stmt.value, session)
                except _Fail:
                    return
                session.values[target.id] = value
                if isinstance(value, Build):
                    session.instances[target.id] = value
            return
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            self.call(stmt.value, example, session, where, shown=shown)

    def call(
        self,
        node: ast.Call,
        example: doctest.Example,
        session: _Session,
        where: str,
        *,
        shown: bool = True,
    ) -> None:
        wrapper = ""
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in WRAPPERS
            and node.func.id not in session.paths
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], ast.Call)
        ):
            wrapper, node = node.func.id, node.args[0]
        try:
            found = self.callee(node.func, session)
            if found is None:
                return
            module, qualname, ctor = found
            args = tuple(self.value(a, session) for a in node.args)
            if any(isinstance(a, ast.Starred) for a in node.args) or any(
                k.arg is None for k in node.keywords
            ):
                return
            kwargs = {k.arg: self.value(k.value, session) for k in node.keywords if k.arg}
        except _Fail:
            return
        raises = ""
        if example.exc_msg is not None:
            raises = example.exc_msg.split(":", 1)[0].strip().rsplit(".", 1)[-1]
        call = DocCall(
            module,
            qualname,
            _relative(args, module),
            _relative(kwargs, module),
            None if ctor is None else (_relative(ctor[0], module), _relative(ctor[1], module)),
            _commented(example.want),
            raises,
            wrapper,
            where,
            shown,
        )
        bucket = self.found.setdefault(module, {}).setdefault(qualname, [])
        if len(bucket) < MAX_PER_TARGET and all(
            (c.args, c.kwargs, c.ctor) != (call.args, call.kwargs, call.ctor) for c in bucket
        ):
            bucket.append(call)

    def callee(
        self, func: ast.expr, session: _Session
    ) -> tuple[str, str, tuple[tuple[Any, ...], dict[str, Any]] | None] | None:
        """(module, qualname, constructor call or None) of the target called."""
        if isinstance(func, ast.Attribute):
            owner: Build | None = None
            if isinstance(func.value, ast.Name) and func.value.id in session.instances:
                owner = session.instances[func.value.id]
            elif isinstance(func.value, ast.Call):
                built = self.value(func.value, session)
                owner = built if isinstance(built, Build) else None
            if owner is not None:
                cls = self.target(owner.path)
                if cls is None or self.targets[cls[0]].get(cls[1]) != "constructor":
                    return None
                method = f"{cls[1]}.{func.attr}"
                if self.targets[cls[0]].get(method) != "method":
                    return None
                return cls[0], method, (owner.args, dict(owner.kwargs))
        found = self.target(self.dotted(func, session))
        if found is None or self.targets[found[0]][found[1]] == "method":
            return None
        return found[0], found[1], None


def _arithmetic(node: ast.AST) -> bool:
    """Only numbers and arithmetic, with small exponents (``10**6``, not ``10**10**10``)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant):
            if not isinstance(sub.value, (int, float)) or isinstance(sub.value, bool):
                return False
        elif isinstance(sub, ast.BinOp):
            if isinstance(sub.op, ast.Pow) and not (
                isinstance(sub.right, ast.Constant)
                and isinstance(sub.right.value, int)
                and abs(sub.right.value) <= 64
            ):
                return False
        elif not isinstance(sub, (ast.UnaryOp, ast.operator, ast.unaryop)):
            return False
    return True


def _relative(value: Any, module: str) -> Any:
    """Paths of built values made relative to ``module`` where they name its own objects."""
    if isinstance(value, Build):
        path = _short(value.path, module)
        args = tuple(_relative(a, module) for a in value.args)
        return Build(path, *args, **{k: _relative(v, module) for k, v in value.kwargs})
    if isinstance(value, Ref):
        return Ref(_short(value.path, module))
    if type(value) in (list, tuple, set, frozenset):
        return type(value)(_relative(v, module) for v in value)
    if type(value) is dict:
        return {k: _relative(v, module) for k, v in value.items()}
    return value


def _short(path: str, module: str) -> str:
    return path[len(module) + 1 :] if path.startswith(module + ".") else path


#: A code example without prompts or output.
_SCRIPT = doctest.Example("", "")
#: A Markdown fence of Python code, and a reST code block of Python.
_MD_BLOCK = re.compile(
    r"^[ \t]*(?:```|~~~)[ \t]*(?:python3?|py)\b[^\n]*\n(.*?)^[ \t]*(?:```|~~~)",
    re.MULTILINE | re.DOTALL,
)
_RST_BLOCK = re.compile(
    r"^([ \t]*)\.\. (?:code-block|code|sourcecode)::[ \t]*(?:python3?|py)[ \t]*\n"
    r"(?:\1[ \t]+:[^\n]*\n)*\n?((?:(?:\1[ \t]+[^\n]*)?\n)+)",
    re.MULTILINE,
)


def code_blocks(text: str) -> list[tuple[str, int]]:
    """The Python code blocks of a Markdown or reST text that are not doctest sessions,
    each with the line it starts after."""
    found = []
    for pattern, group in ((_MD_BLOCK, 1), (_RST_BLOCK, 2)):
        for match in pattern.finditer(text):
            code = match.group(group)
            if ">>>" not in code:
                found.append((code, text.count("\n", 0, match.start(group))))
    return found


def _flat(body: Sequence[ast.stmt]) -> list[ast.stmt]:
    """Statements in order, those in ``try``, ``with`` and ``if`` blocks included."""
    out: list[ast.stmt] = []
    for stmt in body:
        if isinstance(stmt, (ast.Try, ast.With, ast.If)):
            out.extend(_flat(stmt.body))
        else:
            out.append(stmt)
    return out


def doc_texts(root: Path) -> Iterator[tuple[str, str]]:
    """``(path relative to root, text)`` of each README and docs page small enough to read."""
    for file in doc_files(root):
        try:
            if file.stat().st_size > MAX_BYTES:
                continue
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        yield file.relative_to(root).as_posix(), text


def doc_files(root: Path) -> list[Path]:
    found = sorted(p for p in root.glob("README*") if p.is_file())
    docs = root / "docs"
    if docs.is_dir():
        found += sorted(
            p for p in docs.rglob("*") if p.suffix in (".md", ".rst", ".txt") and p.is_file()
        )
    return found[:MAX_FILES]


def harvest(
    root: Path,
    infos: Sequence[ModuleInfo],
    docstrings: Mapping[str, str],
    imports: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, list[DocCall]]]:
    """``module -> qualname -> calls`` from docstrings, ``README*`` and ``docs/``.

    :param docstrings: module docstrings by module name.
    :param imports: per module, the names its imports bind (``local -> dotted path``).
    """
    harvester = _Harvester(infos)
    for info in infos:
        path = info.path.as_posix()
        names = imports.get(info.name, {})
        text = docstrings.get(info.name, "")
        if ">>>" in text:
            harvester.session(text, path, 0, info.name, names)
        for target in info.targets:
            if ">>>" in target.docstring:
                harvester.session(target.docstring, path, target.line, info.name, names)
    for where, text in doc_texts(root):
        if ">>>" in text:
            harvester.session(text, where, 0, None, {})
        for code, line in code_blocks(text):
            harvester.script(code, where, line)
    return harvester.found


#: An output written as a comment under the prompt: ``# Output: True``, ``# => 3``.
_OUTPUT_COMMENT = re.compile(r"#\s*(?:output|returns?|result|=>|->)\s*:?\s*(.+)", re.IGNORECASE)


def _commented(want: str) -> str:
    """The output a one-line comment shows (``# Output: True`` -> ``True``), else ``want``:
    some projects write their examples' output that way, and it is their statement."""
    lines = want.splitlines()
    found = _OUTPUT_COMMENT.fullmatch(lines[0].strip()) if len(lines) == 1 else None
    return f"{found.group(1).strip()}\n" if found else want


def output_matches(
    value: Any, error: BaseException | None, want: str, raises: str, wrapper: str
) -> bool:
    """Does the baseline's answer show as the example says (the harvest was right)?"""
    if raises:
        return error is not None and raises in {k.__name__ for k in type(error).__mro__}
    if error is not None:
        return False
    try:
        if wrapper == "print":
            got = f"{value}\n"
        else:
            shown = getattr(builtins, wrapper)(value) if wrapper else value
            got = "" if shown is None else f"{shown!r}\n"
    except Exception:  # noqa: BLE001 - a value that cannot be shown cannot match
        return False
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    return doctest.OutputChecker().check_output(want, got, flags)
