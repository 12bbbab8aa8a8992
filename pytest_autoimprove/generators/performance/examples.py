"""The project's own examples as whole scripts, run beside the baseline copy.

:mod:`.doctests` turns an example into a recorded case only when it can rebuild the
call's arguments: a literal, a value built by a call, a name. Many of the examples that
matter most do not fit: a README block defines a dataclass and passes it to
``from_dict``; a docs page builds a cache, decorates a function with it and calls it
twice; a session threads a parser through five statements. Such an example is kept
whole instead: the guardrail runs its statements on the current code and on the
baseline copy (:func:`pytest_autoimprove.runtime.examples.check_example`) and compares
what each statement gives, prints or raises.

The baseline is the oracle, so an example needs no shown output; the verification run
drops one that cannot run here (a missing import, a network call) or that answers
differently from one run to the next. Scripts that write files, sleep, read input or
reach the network are not kept at all.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import importlib
import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from pytest_autoimprove.generators.discover import ModuleInfo
from pytest_autoimprove.generators.performance.doctests import code_blocks, doc_texts
from pytest_autoimprove.runtime.examples import Example

__all__ = ["MAX_PER_TARGET", "example_scripts", "free_names", "page_scripts"]

#: Scripts kept per target and per module, and the size of one script.
MAX_PER_TARGET = 10
MAX_PER_MODULE = 24
MAX_LINES = 100
#: Calls an example must not make in a guardrail: they wait, write, or leave the machine.
_UNSAFE = frozenset(
    {
        "input",
        "sleep",
        "urlopen",
        "system",
        "popen",
        "Popen",
        "remove",
        "unlink",
        "rmtree",
        "rmdir",
        "mkdir",
        "makedirs",
        "write_text",
        "write_bytes",
        "rename",
        "chdir",
        "exit",
        "serve_forever",
        "connect",
    }
)
_UNSAFE_MODULES = ("requests", "urllib", "http", "socket", "subprocess", "asyncio", "threading")
_FENCE = re.compile(r"^[ \t]*(```|~~~).*$", re.MULTILINE)


def example_scripts(
    root: Path, infos: Sequence[ModuleInfo], docstrings: Mapping[str, str]
) -> dict[str, dict[str, list[Example]]]:
    """``module -> qualname -> scripts`` calling that target, from docstrings, README, docs/."""
    found: dict[str, dict[str, list[Example]]] = {}
    exports = _exports(root, infos)
    kept: set[str] = set()

    def offer(script: Example, tree: ast.Module) -> None:
        if script.source in kept or not _safe(tree):
            return
        for info, qualname in _callees(tree, infos, script.globals_of):
            per_module = found.setdefault(info.name, {})
            if sum(len(v) for v in per_module.values()) >= MAX_PER_MODULE:
                continue
            scripts = per_module.setdefault(qualname, [])
            if len(scripts) < MAX_PER_TARGET:
                scripts.append(script)
                kept.add(script.source)
            return

    for info in infos:
        path = info.path.as_posix()
        texts = [(docstrings.get(info.name, ""), 0)]
        texts += [(t.docstring, t.line) for t in info.targets]
        for text, line in texts:
            source = _session(text)
            tree = _parsed(source)
            if tree is not None:
                offer(Example(f"{path}:{line}", source, info.name), tree)
    for script, tree in page_scripts(root, infos, exports):
        offer(script, tree)
    return found


def page_scripts(
    root: Path, infos: Sequence[ModuleInfo], exports: Mapping[str, str] | None = None
) -> Iterator[tuple[Example, ast.Module]]:
    """The README's and docs pages' code blocks that import a package in scope and are
    safe to run (they neither wait, write, nor leave the machine), each as a script."""
    packages = {info.name.split(".")[0] for info in infos}
    if exports is None:
        exports = _exports(root, infos)
    for where, text in doc_texts(root):
        # The blocks of one page read as one session: a block uses what the blocks
        # above it imported or defined (``from_dict``, a dataclass) without repeating it.
        carried: list[str] = []
        defined: dict[str, str] = {}
        blocks = [(textwrap.dedent(code), line + 1) for code, line in code_blocks(text)]
        blocks = sorted([*blocks, *_session_runs(text)], key=lambda block: block[1])
        for code, line in blocks:
            tree = _parsed(code)
            if tree is None:
                continue
            imports = _imports(code, tree)
            own = _definitions(code, tree)
            earlier = {n: d for n, d in defined.items() if n not in own}
            prefix = [i for i in carried if i not in imports]
            prefix += _needed(tree, earlier)
            source = "".join(p.rstrip("\n") + "\n" for p in prefix) + code
            tree = _parsed(source)
            carried += [i for i in imports if i not in carried]
            defined.update(own)
            if tree is None:
                continue
            # Names the page uses but never imports (``Config``, ``List``): from the
            # package or the standard modules that export them.
            source = "".join(f"{i}\n" for i in _free_imports(tree, exports)) + source
            full = _parsed(source)
            if full is not None and _imports_any(full, packages) and _safe(full):
                yield Example(f"{where}:{line}", source), full


def _session(text: str) -> str:
    """The statements of a doctest session, one after the other ("" when there are none)."""
    if ">>>" not in text:
        return ""
    try:
        examples = doctest.DocTestParser().get_examples(_FENCE.sub("", text))
    except ValueError:  # inconsistent indentation: not a doctest after all
        return ""
    return "".join(example.source for example in examples)


def _session_runs(text: str) -> list[tuple[str, int]]:
    """A page's doctest session cut where prose comes between two examples: each run of
    examples, with the line it starts at. A page of examples is too long to be one
    test, and each run shows one thing; what a run uses from the runs above it is
    carried like a code block's."""
    if ">>>" not in text:
        return []
    try:
        examples = doctest.DocTestParser().get_examples(_FENCE.sub("", text))
    except ValueError:  # inconsistent indentation: not a doctest after all
        return []
    runs: list[tuple[str, int]] = []
    current: list[doctest.Example] = []
    end = -1
    for example in examples:
        if current and example.lineno > end + 2:  # more than a blank line between
            runs.append(("".join(e.source for e in current), current[0].lineno + 1))
            current = []
        current.append(example)
        end = example.lineno + example.source.count("\n") + example.want.count("\n") - 1
    if current:
        runs.append(("".join(e.source for e in current), current[0].lineno + 1))
    return runs


def _parsed(source: str) -> ast.Module | None:
    if not source.strip() or source.count("\n") > MAX_LINES:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    return tree if len(tree.body) >= 1 else None


#: Standard modules whose names examples use without importing them.
_STANDARD = ("typing", "dataclasses", "enum", "decimal", "datetime", "collections", "fractions")


def _exports(root: Path, infos: Sequence[ModuleInfo]) -> dict[str, str]:
    """``name -> module`` for the names an example may use unimported: the standard
    modules' public names, then the top-level names of each package in scope."""
    out: dict[str, str] = {}
    for module in _STANDARD:
        for name in getattr(importlib.import_module(module), "__all__", ()):
            out.setdefault(name, module)
    for info in infos:
        top = info.name.split(".")[0]
        depth = len(info.name.split("."))
        base = (root / info.path).parents[depth - 1] / top
        path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            continue
        for stmt in tree.body:
            names: list[str] = []
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                names = [(a.asname or a.name).split(".")[0] for a in stmt.names]
            elif isinstance(stmt, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                names = [stmt.name]
            elif isinstance(stmt, ast.Assign):
                names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
            for name in names:
                if not name.startswith("_") and name != "*":
                    out[name] = top
    for info in infos:
        # A page whose earlier block imported the package (``mistune.html(text)``).
        out.setdefault(info.name.split(".")[0], "")
    return out


def _free_imports(tree: ast.Module, exports: Mapping[str, str]) -> list[str]:
    """Imports for the names ``tree`` reads but never binds, where ``exports`` knows them
    (``""``: the name is a package in scope, imported whole)."""
    free = [n for n in free_names(tree) if n in exports]
    return [f"from {exports[n]} import {n}" if exports[n] else f"import {n}" for n in free]


def free_names(tree: ast.Module) -> list[str]:
    """The names ``tree`` reads but never binds (nor are builtins), in reading order."""
    bound: set[str] = set(dir(builtins))
    read: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                read.append(node.id)
            else:
                bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return list(dict.fromkeys(n for n in read if n not in bound))


def _definitions(source: str, tree: ast.Module) -> dict[str, str]:
    """``name -> source`` of the block's top-level classes and functions (decorators
    included) and of its assignments to one name (``table = [...]``)."""
    lines = source.splitlines()
    out = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
            name, first = stmt.name, min([stmt.lineno, *(d.lineno for d in stmt.decorator_list)])
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if not isinstance(target, ast.Name):
                continue
            name, first = target.id, stmt.lineno
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name, first = stmt.target.id, stmt.lineno
        else:
            continue
        if stmt.end_lineno:
            out[name] = "\n".join(lines[first - 1 : stmt.end_lineno]) + "\n"
    return out


def _needed(tree: ast.Module, defined: Mapping[str, str]) -> list[str]:
    """The earlier definitions ``tree`` reads, with those they read, in definition order."""
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    wanted: set[str] = set()
    todo = [n for n in read if n in defined]
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        inner = ast.parse(defined[name])
        todo += [n.id for n in ast.walk(inner) if isinstance(n, ast.Name) and n.id in defined]
    return [source for name, source in defined.items() if name in wanted]


def _imports(source: str, tree: ast.Module) -> list[str]:
    """The block's top-level import statements, as written."""
    found = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and not getattr(stmt, "level", 0):
            text = ast.get_source_segment(source, stmt)
            if text and "\n" not in text:
                found.append(text)
    return found


def _imports_any(tree: ast.Module, packages: set[str]) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(alias.name.split(".")[0] in packages for alias in node.names):
                return True
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and not node.level
            and node.module.split(".")[0] in packages
        ):
            return True
    return False


def _safe(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in _UNSAFE:
                return False
            if name == "open" and _writes(node):
                return False
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules.append(node.module)
            if any(m.split(".")[0] in _UNSAFE_MODULES for m in modules):
                return False
        elif isinstance(node, (ast.While, ast.AsyncFunctionDef, ast.Await, ast.Global)):
            return False
    return True


def _writes(call: ast.Call) -> bool:
    modes = list(call.args[1:2]) + [k.value for k in call.keywords if k.arg == "mode"]
    return any(not (isinstance(m, ast.Constant) and m.value in ("r", "rb", "rt")) for m in modes)


def _callees(
    tree: ast.Module, infos: Sequence[ModuleInfo], globals_of: str
) -> list[tuple[ModuleInfo, str]]:
    """The targets a script calls, by name, in the order of their first call."""
    called: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name and name not in called:
                called.append(name)
        elif isinstance(node, ast.Subscript) and "__getitem__" not in called:
            called.append("__getitem__")
    ordered = sorted(infos, key=lambda info: info.name != globals_of)
    out = []
    for name in called:
        for info in ordered:
            for target in info.targets:
                if target.qualname.rsplit(".", 1)[-1] == name:
                    out.append((info, target.qualname))
                    break
            else:
                continue
            break
    return out
