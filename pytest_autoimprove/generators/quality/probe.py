"""Robustness and output invariants of a retrieval or classification system's entry points.

An agent tuning ranking on the golden queries never types ``state-of-the-art`` or an
unbalanced quote, so it will not notice when its new tokenizer crashes on one, and a
lookup table keyed by the exact golden strings behaves differently on the same query
padded with spaces. This module:

- finds the query-like entry points of the files in scope (:func:`entry_points`):
  public callables with a ``str`` parameter named like a query, or the first ``str``
  parameter of a callable named like ``search``/``classify``/``predict``; batch APIs
  (``predict(texts: list[str])``) are probed one text at a time, the result's item
  standing for that text's answer; and command-line programs in scope (a
  ``__main__.py`` or a script with ``if __name__ == "__main__":``) are run again with
  the query argument of their command line replaced, their output lines read as ids;
- lists the edge inputs they are probed with (:func:`edge_inputs`);
- learns invariants from what the baseline did (:func:`learn_invariants`) and checks
  them on a later run (:func:`check_invariant`): stable result types, no duplicate
  ids, at most ``limit`` results, sorted scores, unchanged results on padded or
  re-cased queries, labels from the golden set. Only invariants that held on every
  baseline observation are kept.

The observations themselves are made inside the benchmark's own processes by
:mod:`~pytest_autoimprove.runtime.quality_site.sitecustomize`
(the harness's instance and arguments, the query
replaced), so methods of objects the benchmark builds are covered too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_autoimprove.generators.discover import Param, Target

__all__ = [
    "EntryPoint",
    "candidates",
    "edge_inputs",
    "entry_points",
]

_QUERY_PARAM = re.compile(
    r"^(query|q|qs|text|texts?_?in|prompt|question|input|input_text|term|terms|search|"
    r"search_term|search_text|keywords?|sentence|utterance|message|passage|query_text|"
    r"user_input|user_query|needle|phrase|string|s)$",
    re.IGNORECASE,
)
_QUERY_FUNC = re.compile(
    r"(search|query|rank|retriev|classif|predict|answer|lookup|find|match|categori|"
    r"label|ask|recommend|tag|complete|infer|suggest|autocomplete)",
    re.IGNORECASE,
)
LIMIT_NAMES = (
    "limit",
    "k",
    "top_k",
    "topk",
    "top_n",
    "n",
    "max_results",
    "num_results",
    "n_results",
    "size",
    "count",
    "max_hits",
    "num",
    "top",
)


@dataclass(frozen=True)
class EntryPoint:
    """A query-like callable: ``path::qualname`` and the parameter holding the query."""

    path: str
    qualname: str
    kind: str
    param: str
    limit_param: str | None
    line: int
    batch: bool = False
    discover: bool = False

    @property
    def id(self) -> str:
        return f"{self.path}::{self.qualname}"

    def spec(self) -> dict[str, Any]:
        """What the watcher needs (``file`` is added by the harness)."""
        spec: dict[str, Any] = {
            "id": self.id,
            "path": self.path,
            "qualname": self.qualname,
            "param": self.param,
            "limit_param": self.limit_param,
        }
        if self.batch:
            spec["batch"] = True
        if self.kind == "cli":
            spec["cli"] = True
        if self.discover:
            spec["discover"] = True
        return spec

    def found(self, param: str) -> EntryPoint:
        """This candidate, its query parameter found (the one the benchmark gave a query)."""
        limit = None if self.limit_param == param else self.limit_param
        return replace(self, param=param, limit_param=limit, discover=False)


def _annotation_is_str(annotation: str | None) -> bool | None:
    """True: a str; False: something else; None: not annotated."""
    if annotation is None:
        return None
    text = annotation.strip("'\" ")
    return bool(re.search(r"\bstr\b", text)) and not re.search(
        r"\b(list|List|Sequence|Iterable|tuple|Tuple|set|dict|Mapping)\b", text
    )


_BATCH_PARAM = re.compile(
    r"^(queries|texts|inputs|sentences|documents|docs|questions|prompts|utterances|messages|"
    r"batch|items|strings|samples|x|x_test|lines|terms|passages)$",
    re.IGNORECASE,
)
_STR_SEQUENCE = re.compile(
    r"^(list|List|Sequence|Iterable|tuple|Tuple|Collection)\[\s*str\s*(,\s*\.\.\.\s*)?\]$"
)


def _batch_param(target: Target) -> Param | None:
    """The ``list[str]`` parameter of a batch API (``predict(texts: list[str])``), if any."""
    usable = [p for p in target.params if p.kind in ("positional", "keyword")]
    name = target.qualname.rsplit(".", 1)[-1]
    for param in usable:
        annotation = (param.annotation or "").strip("'\" ")
        if _STR_SEQUENCE.match(annotation) and (
            _BATCH_PARAM.match(param.name) or _QUERY_FUNC.search(name)
        ):
            return param
        if not annotation and _BATCH_PARAM.match(param.name) and _QUERY_FUNC.search(name):
            return param
    return None


def _query_param(target: Target) -> Param | None:
    usable = [p for p in target.params if p.kind in ("positional", "keyword")]
    for param in usable:
        is_str = _annotation_is_str(param.annotation)
        if _QUERY_PARAM.match(param.name) and is_str is not False:
            return param
    name = target.qualname.rsplit(".", 1)[-1]
    if not _QUERY_FUNC.search(name):
        return None
    annotated = [p for p in usable if _annotation_is_str(p.annotation)]
    if annotated:
        return annotated[0]
    if all(p.annotation is None for p in usable):
        first = next((p for p in usable if p.name not in LIMIT_NAMES), None)
        if first is not None and first.kind == "positional":
            return first
    return None


def _entry_point(
    module: Path, target: Target, query: Param, *, batch: bool = False, discover: bool = False
) -> EntryPoint:
    """``target`` of ``module``, its query passed as ``query`` (named by the first call
    that passes a golden query when ``discover``), with the limit parameter beside it."""
    return EntryPoint(
        path=module.as_posix(),
        qualname=target.qualname,
        kind=target.kind,
        param="" if discover else query.name,
        limit_param=_limit_param(target, query),
        line=target.line,
        batch=batch,
        discover=discover,
    )


def _limit_param(target: Target, query: Param) -> str | None:
    for param in target.params:
        if param is query or param.name not in LIMIT_NAMES:
            continue
        if param.annotation is None or re.search(r"\bint\b", param.annotation):
            return param.name
    return None


def _targets(root: Path, module: Path) -> list[Target]:
    """Every callable of ``module`` (relative to ``root``), in source order."""
    # discover imports libcst.metadata, which warns on import in some environments:
    # generated tests import this module, so it is only loaded here, at generation time.
    from pytest_autoimprove.generators.discover import discover

    try:
        info = discover(root, module)
    except Exception:  # noqa: BLE001 - a file libcst cannot parse has no entry points
        return []
    known = {t.qualname for t in info.targets}
    return [*info.targets, *(t for t in _extra_targets(root / module) if t.qualname not in known)]


def entry_points(root: Path, modules: Iterable[Path]) -> list[EntryPoint]:
    """The query-like entry points of ``modules`` (relative to ``root``), in source order."""
    found: list[EntryPoint] = []
    for module in modules:
        for target in _targets(root, module):
            if target.kind == "constructor":
                continue
            param = _query_param(target)
            # untyped and named like a list of texts: a batch (the watcher decides per
            # call anyway, from the value it gets)
            batch = param is None or (
                param.annotation is None and _BATCH_PARAM.match(param.name) is not None
            )
            if param is None:
                param = _batch_param(target)
            if param is None:
                continue
            found.append(_entry_point(module, target, param, batch=batch))
        if not any(p.path == module.as_posix() for p in found) and _is_cli(root / module):
            found.append(EntryPoint(module.as_posix(), "__main__", "cli", "argv", None, 1))
    return found


def _extra_targets(path: Path) -> list[Target]:
    """What :func:`~.discover.discover` leaves out and a quality system may be called through.

    ``Class.__call__`` of public classes (a retriever object called like a function),
    public ``async def`` functions and methods (awaited by the benchmark; the watcher
    awaits its probe calls in the same event loop) and generators (the watcher reads
    a probed answer, so a lazy crash shows).
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return []
    found = []
    for node in tree.body:
        function = _left_out(node)
        if function is not None:
            found.append(_ast_target(function.name, "function", function, skip=0))
        if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
            continue
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and item.name == "__call__":
                found.append(_ast_target(f"{node.name}.__call__", "method", item, skip=1))
                continue
            method = _left_out(item)
            if method is not None:
                static = any(
                    isinstance(d, ast.Name) and d.id == "staticmethod"
                    for d in method.decorator_list
                )
                kind = "staticmethod" if static else "method"
                found.append(
                    _ast_target(f"{node.name}.{method.name}", kind, method, skip=0 if static else 1)
                )
    return found


def _left_out(node: ast.stmt) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """A public ``async def``, or a ``def`` that yields: what discover() leaves out."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("_"):
        return None
    if isinstance(node, ast.AsyncFunctionDef):
        return node
    if isinstance(node, ast.FunctionDef) and _yields(node):
        return node
    return None


def _yields(node: ast.FunctionDef) -> bool:
    todo: list[ast.AST] = list(node.body)
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    while todo:
        current = todo.pop()
        if isinstance(current, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(current, nested):
            todo.extend(ast.iter_child_nodes(current))
    return False


def _ast_target(
    qualname: str, kind: str, node: ast.FunctionDef | ast.AsyncFunctionDef, *, skip: int
) -> Target:
    from pytest_autoimprove.generators.discover import Param, Target

    args = node.args
    positional = [*args.posonlyargs, *args.args][skip:]
    params = tuple(
        Param(a.arg, kind_, ast.unparse(a.annotation) if a.annotation else None, None, False)
        for kind_, group in (("positional", positional), ("keyword", args.kwonlyargs))
        for a in group
    )
    return Target(qualname, kind, params, node.lineno, "", ())


def candidates(
    root: Path, modules: Iterable[Path], known: Sequence[EntryPoint]
) -> list[EntryPoint]:
    """Public callables that might take a query under a name no rule knows.

    Each has a parameter that is unannotated or a ``str`` (or a list of them); the
    watcher wraps them all and names the parameter from the first call that passes a
    golden query (``discover``). The benchmark's calls decide, not the names.
    """
    taken = {p.id for p in known}
    found: list[EntryPoint] = []
    for module in modules:
        for target in _targets(root, module):
            usable = [p for p in target.params if p.kind in ("positional", "keyword")]
            textual = [
                p
                for p in usable
                if p.annotation is None
                or _annotation_is_str(p.annotation)
                or _STR_SEQUENCE.match(p.annotation.strip("'\" "))
            ]
            point = f"{module.as_posix()}::{target.qualname}"
            if target.kind == "constructor" or point in taken or not textual:
                continue
            found.append(_entry_point(module, target, textual[0], discover=True))
    return found


_MAIN_GUARD = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.MULTILINE)


def _is_cli(path: Path) -> bool:
    """A program run from the command line: ``__main__.py`` or a ``__main__`` guard."""
    if path.name == "__main__.py":
        return True
    try:
        return _MAIN_GUARD.search(path.read_text(encoding="utf-8")) is not None
    except (OSError, UnicodeDecodeError):
        return False


# ---------------------------------------------------------------------------
# Edge inputs

_LONG = " ".join(["the quick brown fox jumps over the lazy dog while searching for answers"] * 80)

#: ``(id, text, risk)``: inputs an optimizer's tokenizer or query builder gets wrong.
EDGE_INPUTS: tuple[tuple[str, str, str], ...] = (
    ("empty", "", "empty-input"),
    ("space", " ", "empty-input"),
    ("whitespace", " \t\n ", "empty-input"),
    ("very-long", _LONG, "huge-input"),
    ("accents", "café naïve résumé", "unicode-fast-path"),
    ("cjk", "日本語の検索", "unicode-fast-path"),
    ("emoji", "search 🙂 emoji", "unicode-fast-path"),
    ("greek", "Ελληνικά κείμενα", "unicode-fast-path"),
    ("hyphen", "-", "special-characters"),
    ("double-quote", '"', "special-characters"),
    ("single-quote", "'", "special-characters"),
    ("star", "*", "special-characters"),
    ("colon", ":", "special-characters"),
    ("open-paren", "(", "special-characters"),
    ("close-paren", ")", "special-characters"),
    ("caret", "^", "special-characters"),
    ("tilde", "~", "special-characters"),
    ("and", "AND", "special-characters"),
    ("or", "OR", "special-characters"),
    ("not", "NOT", "special-characters"),
    ("near", "NEAR", "special-characters"),
    ("hyphenated", "state-of-the-art", "special-characters"),
    ("e-mail", "e-mail", "special-characters"),
    ("unbalanced-quote", '"unbalanced', "special-characters"),
    ("field-colon", "a:b", "special-characters"),
    ("unbalanced-paren", "(x", "special-characters"),
    ("prefix-star", "x*", "special-characters"),
    ("leading-star", "*x", "special-characters"),
    ("not-word", "NOT x", "special-characters"),
    ("trailing-and", "x AND", "special-characters"),
    ("leading-or", "OR y", "special-characters"),
    ("near-words", "x NEAR y", "special-characters"),
    ("apostrophe", "don't", "special-characters"),
    ("plus-plus", "c++", "special-characters"),
    ("percent", "50%", "special-characters"),
    ("slash", "a/b", "special-characters"),
    ("backslash", "a\\b", "special-characters"),
    ("brackets", "[x] {y}", "special-characters"),
    ("sql", "x'; DROP TABLE docs; --", "special-characters"),
    ("negation", "x -y", "special-characters"),
)


def edge_inputs(queries: Sequence[str]) -> list[tuple[str, str, str]]:
    """:data:`EDGE_INPUTS` plus variants of a real query (hyphenated, quoted, with a ``?``)."""
    out = list(EDGE_INPUTS)
    words = next((q.split() for q in queries if len(q.split()) >= 2), None)
    if words:
        out += [
            ("golden-hyphenated", "-".join(words[:3]), "special-characters"),
            ("golden-question", " ".join(words) + "?", "special-characters"),
            ("golden-quoted", '"' + " ".join(words) + '"', "special-characters"),
            ("golden-minus", f"{words[0]} -{words[1]}", "special-characters"),
            ("golden-colon", f"{words[0]}: {' '.join(words[1:])}", "special-characters"),
        ]
    seen: set[str] = set()
    unique = []
    for item in out:
        if item[1] not in seen:
            seen.add(item[1])
            unique.append(item)
    return unique


# ---------------------------------------------------------------------------
# Invariants
