"""The frozen baseline copy: the code in scope as it was, importable beside the new code.

Differential tests compare the current code with this copy, so it must keep behaving
as the original even after the agent edits every module in scope. Each module in scope
is copied under the package :data:`~pytest_autoimprove.runtime.compare.BASELINE_PREFIX`
(``_autoimprove_baseline.pkg.mod``) and its imports are rewritten with libcst: an
import of another module in scope points at that module's copy; a relative import of
a module out of scope becomes absolute (out-of-scope code cannot change during a run).

Known limit: ``import pkg.mod`` without ``as`` (binding the top package name) is left
as it is, since rewriting it would change which name it binds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import libcst as cst

from pytest_autoimprove.generators import GeneratedFile
from pytest_autoimprove.runtime.compare import BASELINE_PREFIX

__all__ = ["BASELINE_DIR", "baseline_files", "rewrite_imports"]

#: Folder (inside the guard folder) holding the copy; it is put on ``sys.path``.
BASELINE_DIR = "_baseline"
_PACKAGE = BASELINE_PREFIX.rstrip(".")


def _dotted(name: str) -> cst.Attribute | cst.Name:
    expr = cst.parse_expression(name)
    assert isinstance(expr, (cst.Attribute, cst.Name))
    return expr


def _name_of(node: cst.BaseExpression | None) -> str:
    if node is None:
        return ""
    return cst.Module([]).code_for_node(node)


class _Rewriter(cst.CSTTransformer):
    def __init__(
        self, module: str, is_package: bool, in_scope: frozenset[str], on_disk: frozenset[str]
    ) -> None:
        self.package = module if is_package else module.rpartition(".")[0]
        self.in_scope = in_scope
        self.on_disk = on_disk
        #: Names the module's imports bind to modules out of scope (``util``).
        self.outside: set[str] = set()

    def _absolute(self, node: cst.ImportFrom) -> str:
        level = len(node.relative)
        name = _name_of(node.module)
        if level == 0:
            return name
        parts = self.package.split(".") if self.package else []
        base = parts[: len(parts) - (level - 1)] if level > 1 else parts
        return ".".join([*base, name] if name else base)

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        target = self._absolute(original)
        if not target:
            return updated
        imported: list[str] = []
        if not isinstance(original.names, cst.ImportStar):
            imported = [_name_of(alias.name) for alias in original.names]
        submodule_in_scope = any(f"{target}.{n}" in self.in_scope for n in imported)
        # ``from . import keys`` in a package in scope: a submodule out of scope is not
        # copied, so it comes from the package itself (it cannot change during a run).
        outside = imported and all(
            f"{target}.{n}" in self.on_disk and f"{target}.{n}" not in self.in_scope
            for n in imported
        )
        if (target in self.in_scope or submodule_in_scope) and not outside:
            return updated.with_changes(module=_dotted(BASELINE_PREFIX + target), relative=())
        if not isinstance(original.names, cst.ImportStar):
            self.outside.update(
                _name_of(alias.asname.name) if alias.asname else _name_of(alias.name)
                for alias in original.names
            )
        if original.relative:
            return updated.with_changes(module=_dotted(target), relative=())
        return updated

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = []
        for alias in updated.names:
            name = _name_of(alias.name)
            if name in self.in_scope and (alias.asname is not None or "." not in name):
                asname = alias.asname or cst.AsName(name=cst.Name(name))
                alias = alias.with_changes(name=_dotted(BASELINE_PREFIX + name), asname=asname)
            elif name not in self.in_scope:
                bound = _name_of(alias.asname.name) if alias.asname else name.split(".")[0]
                self.outside.add(bound)
            names.append(alias)
        return updated.with_changes(names=names)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        """A call at module level into a module out of scope (``util.register_pattern(
        "gitwildmatch", GitWildMatchPattern)``, ``codecs.register(...)``) is left out of
        the copy: the original module made it already, and made twice it fails (a name
        registered twice) or hands the registry the copy's class instead."""
        body = [self._registration_left_out(stmt) for stmt in updated.body]
        return updated.with_changes(body=body)

    def _registration_left_out(
        self, stmt: cst.BaseStatement | cst.BaseSmallStatement
    ) -> cst.BaseStatement | cst.BaseSmallStatement:
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            return stmt
        expr = stmt.body[0]
        if not isinstance(expr, cst.Expr) or not isinstance(expr.value, cst.Call):
            return stmt
        root: cst.BaseExpression = expr.value.func
        while isinstance(root, cst.Attribute):
            root = root.value
        if not isinstance(root, cst.Name) or root.value not in self.outside:
            return stmt
        comment = cst.EmptyLine(
            comment=cst.Comment("# autoimprove: made by the original module, not by its copy")
        )
        return stmt.with_changes(body=[cst.Pass()], leading_lines=[*stmt.leading_lines, comment])


def rewrite_imports(
    source: str,
    module: str,
    is_package: bool,
    in_scope: frozenset[str],
    on_disk: frozenset[str] = frozenset(),
) -> str:
    """``source`` of ``module`` with imports of in-scope modules pointed at their copies.

    :param on_disk: dotted names of the submodules beside a package ``module`` (those out
        of scope are imported from the package itself, not from the copy).
    """
    tree = cst.parse_module(source)
    return tree.visit(_Rewriter(module, is_package, in_scope, on_disk)).code


def baseline_files(
    root: Path, output_dir: Path, modules: Sequence[tuple[Path, str]]
) -> list[GeneratedFile]:
    """The copy of every ``(path, dotted name)`` in scope, with the packages around them."""
    in_scope = frozenset(name for _, name in modules)
    base = output_dir / BASELINE_DIR / _PACKAGE
    files: dict[Path, str] = {base / "__init__.py": '"""Frozen baseline copy (generated)."""\n'}
    for path, name in modules:
        parts = name.split(".")
        is_package = Path(path).name == "__init__.py"
        for i in range(1, len(parts) + (0 if is_package else 0)):
            init = base.joinpath(*parts[:i], "__init__.py")
            files.setdefault(init, "")
        source = (root / path).read_text(encoding="utf-8")
        on_disk = _submodules(root / path, name) if is_package else frozenset()
        rewritten = rewrite_imports(source, name, is_package, in_scope, on_disk)
        dest = (
            base.joinpath(*parts, "__init__.py")
            if is_package
            else base.joinpath(*parts[:-1], parts[-1] + ".py")
        )
        files[dest] = rewritten
    return [GeneratedFile(path, text) for path, text in sorted(files.items())]


def _submodules(init: Path, package: str) -> frozenset[str]:
    """Dotted names of the modules and subpackages beside a package's ``__init__.py``."""
    found = set()
    for entry in init.parent.iterdir():
        if entry.suffix == ".py" and entry.name != "__init__.py":
            found.add(f"{package}.{entry.stem}")
        elif entry.is_dir() and (entry / "__init__.py").is_file():
            found.add(f"{package}.{entry.name}")
    return frozenset(found)
