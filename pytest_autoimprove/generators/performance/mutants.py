"""Mutants: the regressions a goal invites, written as concrete edits of one target's code.

The catalog (:mod:`..catalog`) says in words what an optimizer chasing speed or memory
tends to break; :mod:`.operators` finds where each of those risks applies in a
target's body (a function, a method, a constructor); this module makes the edits:
each one is a :class:`Mutant`, the whole module's source with that single change.

Running the frozen guardrails against every mutant measures how strong they are (the
mutation score :mod:`.strengthen` reports), and each surviving mutant is a concrete
target for the search for a distinguishing input. Everything here is deterministic:
the same source, target and limit give the same mutants, in the same order.
"""

from __future__ import annotations

import ast
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from pytest_autoimprove.generators.performance.facts import constructor_name
from pytest_autoimprove.generators.performance.operators import OPERATORS, Site, function_sites

__all__ = ["OPERATORS", "ModuleMutator", "Mutant", "count_sites", "mutants_for"]


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


# --- applying ---------------------------------------------------------------------------


class _Replace(cst.CSTTransformer):
    def __init__(self, site: Site) -> None:
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
            body, name = cls.body, constructor_name(cls)
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
        return 0 if function is None else len(function_sites(function, qualname))

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
        chosen = _choose(function_sites(function, qualname), limit, seed or qualname)
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
        self, module: cst.Module, site: Site, start: int, end: int, wrapped: bool
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


def _choose(sites: list[Site], limit: int | None, seed: str) -> list[Site]:
    if limit is None or len(sites) <= limit:
        return sites
    rng = random.Random(zlib.crc32(seed.encode()))
    by_operator: dict[str, list[Site]] = {}
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
    chosen: list[Site] = []
    while len(chosen) < limit and any(queues):
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop(0))
    order = {id(s): i for i, s in enumerate(sites)}
    return sorted(chosen, key=lambda s: order[id(s)])


def _excerpt(module: cst.Module, site: Site) -> str:
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
