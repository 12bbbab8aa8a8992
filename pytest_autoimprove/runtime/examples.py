"""The project's own examples, statement by statement, beside the baseline copy.

An example from a README, a docs page or a docstring session is the author's statement
of how the code is used, with inputs no generator would guess (a dataclass written for
``from_dict``, a cache built and then read twice). :func:`check_example` runs the
example twice, one statement after the other: once as written, on the code under
test, and once with every name it imports from the code in scope bound to the frozen
baseline copy instead. Each statement must give what the baseline's gave: the same
value (an expression), the same values bound (an assignment or a loop), the same text
printed, or the same exception type.
"""

from __future__ import annotations

import ast
import builtins
import collections.abc
import contextlib
import importlib
import io
import re
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pytest_autoimprove.runtime.compare import BASELINE_PREFIX
from pytest_autoimprove.runtime.replay import Outcome, assert_same_outcome
from pytest_autoimprove.runtime.results import materialize

__all__ = ["Example", "check_example"]

_NAME = "__autoimprove_example__"
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_CODE = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type, types.MethodType)


@dataclass(frozen=True)
class Example:
    """One example: where it is written, its code, and the module whose globals a
    docstring session sees (``""``: a README or docs block, which imports its names)."""

    where: str
    source: str
    globals_of: str = ""

    @property
    def id(self) -> str:
        return re.sub(r"[^\w.]+", "-", self.where).strip("-")


def check_example(
    example: Example, scope: Sequence[str], *, tolerance: float | None = None
) -> None:
    """Every statement of ``example`` does on the current code what it does on the
    baseline copy of the modules in ``scope``.

    An example the baseline cannot run (an import, a definition or a name fails) is
    reported as such, so that ``generate`` drops it instead of freezing a test that
    compares two failures.
    """
    tree = ast.parse(example.source.lstrip("\n"))
    theirs = _Session(example, scope, baseline=True)
    ours = _Session(example, scope, baseline=False)
    try:
        for stmt in tree.body:
            want = theirs.run(stmt)
            if _cannot_run(stmt, want.outcome.error):
                raise AssertionError(
                    f"{example.where}, line {stmt.lineno}: the example cannot run here: "
                    f"{want.outcome.raises}: {want.outcome.error}"
                )
            got = ours.run(stmt)
            _compare(example, stmt, got, want, tolerance)
    finally:
        theirs.close()
        ours.close()


def _cannot_run(stmt: ast.stmt, error: BaseException | None) -> bool:
    """The baseline failed where an example never means to: a missing name or module,
    a definition. The test would compare two failures: ``generate`` drops it."""
    if error is None:
        return False
    definition = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    return isinstance(stmt, definition) or isinstance(error, (NameError, ImportError))


def _compare(
    example: Example, stmt: ast.stmt, got: _Step, want: _Step, tolerance: float | None
) -> None:
    text = ast.get_source_segment(example.source.lstrip("\n"), stmt) or ""
    first = text.splitlines()[0][:60] if text else ""
    where = f"{example.where}, line {stmt.lineno} `{first}`"
    assert_same_outcome(got.outcome, want.outcome, "function", where=where, tolerance=tolerance)
    if got.printed != want.printed:
        raise AssertionError(
            f"{where}: printed {got.printed!r:.300} where the baseline printed "
            f"{want.printed!r:.300}"
        )


@dataclass
class _Step:
    outcome: Outcome
    printed: str


class _Session:
    """One run of the example: its namespace, on the current code or the baseline's."""

    def __init__(self, example: Example, scope: Sequence[str], *, baseline: bool) -> None:
        self.scope = frozenset(scope)
        self.baseline = baseline
        self.where = example.where
        self.module: types.ModuleType | None = None
        if example.globals_of:
            prefix = BASELINE_PREFIX if baseline else ""
            module = importlib.import_module(prefix + example.globals_of)
            self.names: dict[str, Any] = dict(vars(module))
        else:
            # A module of its own in sys.modules, as a script's ``__main__`` is: a
            # dataclass or an enum defined in the example looks its module up there.
            # Both runs use the same name (what they define must compare equal), each
            # in sys.modules while its own statements run.
            self.module = types.ModuleType(_NAME)
            self.names = vars(self.module)
            self.names["__builtins__"] = builtins

    def close(self) -> None:
        if self.module is not None and sys.modules.get(_NAME) is self.module:
            del sys.modules[_NAME]

    def run(self, stmt: ast.stmt) -> _Step:
        out = Outcome()
        printed = io.StringIO()
        if self.module is not None:
            sys.modules[_NAME] = self.module
        try:
            with contextlib.redirect_stdout(printed):
                if isinstance(stmt, ast.Expr):
                    code = compile(ast.Expression(stmt.value), self.where, "eval")
                    out.value = materialize(eval(code, self.names))  # noqa: S307 - the project's own example
                else:
                    module = ast.Module(body=[stmt], type_ignores=[])
                    exec(compile(module, self.where, "exec"), self.names)  # noqa: S102 - as above
                    out.value = self._bound(stmt)
        except Exception as error:  # noqa: BLE001 - the exception type is what we compare
            out.error = error
        if self.baseline and isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for name in _stored(stmt):
                if name in self.names:
                    self.names[name] = self._to_baseline(self.names[name])
        text = _ADDRESS.sub("", printed.getvalue()).replace(BASELINE_PREFIX, "")
        return _Step(out, text)

    def _bound(self, stmt: ast.stmt) -> dict[str, Any] | None:
        """The values a statement bound, but code (functions, classes, modules) and
        iterators, which the comparison would consume before the example does."""
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
            return None
        out = {}
        for name in _stored(stmt):
            value = self.names.get(name)
            if not isinstance(value, (*_CODE, collections.abc.Iterator)):
                out[name] = value
        return out

    def _to_baseline(self, value: Any) -> Any:
        """The baseline copy's counterpart of something an import bound."""
        if isinstance(value, types.ModuleType):
            if value.__name__ in self.scope:
                return importlib.import_module(BASELINE_PREFIX + value.__name__)
            if any(m.startswith(value.__name__ + ".") for m in self.scope):
                return self._package(value)
            return value
        module = getattr(value, "__module__", None)
        qualname = getattr(value, "__qualname__", None)
        if module in self.scope and isinstance(qualname, str):
            found: Any = importlib.import_module(BASELINE_PREFIX + module)
            for part in qualname.split("."):
                found = getattr(found, part, None)
                if found is None:
                    return value
            return found
        return value

    def _package(self, package: types.ModuleType) -> types.ModuleType:
        """A stand-in for a package holding modules in scope: its names, the baseline's
        where they come from the code in scope."""
        stand_in = types.ModuleType(package.__name__, package.__doc__)
        for name, value in vars(package).items():
            setattr(stand_in, name, self._to_baseline(value) if name[:2] != "__" else value)
        return stand_in


def _stored(stmt: ast.stmt) -> list[str]:
    """Names a statement binds at the top level of the example (not inside a def)."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [
            (alias.asname or alias.name).split(".")[0] for alias in stmt.names if alias.name != "*"
        ]
    names: list[str] = []
    todo: list[ast.AST] = [stmt]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stored = isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        if stored and node.id not in names:  # type: ignore[attr-defined]
            names.append(node.id)  # type: ignore[attr-defined]
        todo.extend(ast.iter_child_nodes(node))
    return names
