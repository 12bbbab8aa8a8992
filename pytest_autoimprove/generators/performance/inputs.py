"""Knowing the inputs without the project's tests: the step between discovery and planning.

When the project's tests say little about how a function is called, its own module
still says a lot. :func:`learn` gathers it for every target:

- what each annotation means in the module's namespace (:mod:`.resolve`, with the
  aliases written for type checkers only read statically by :mod:`.facts`), as a value
  pool per parameter (:mod:`.pools`);
- strings of the formats the module defines with regular expressions, and their near
  misses, for the string parameters of the functions that use them (:mod:`.formats`);
- doctest examples from docstrings, the README and ``docs/`` (:mod:`.doctests`).

After a first probe, :func:`factory_pools` gives a parameter whose type only a
factory can make (``db: sqlite3.Connection``) the calls in scope that returned one.
:func:`case_comment` says, for each frozen case, where its input came from and which
regression it guards against.
"""

from __future__ import annotations

import ast
import pickle
import re
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_autoimprove.generators import scratch_env
from pytest_autoimprove.generators.discover import ModuleInfo, Param, Target
from pytest_autoimprove.generators.literals import to_source
from pytest_autoimprove.generators.performance.doc_types import documented_type
from pytest_autoimprove.generators.performance.doctests import DocCall, harvest
from pytest_autoimprove.generators.performance.examples import example_scripts
from pytest_autoimprove.generators.performance.facts import SourceFacts, read_facts
from pytest_autoimprove.generators.performance.formats import (
    corruptions,
    inline_flags,
    valid_strings,
)
from pytest_autoimprove.generators.performance.named_formats import named_format, with_named_format
from pytest_autoimprove.generators.performance.pools import (
    TEXT_STREAMS,
    Pool,
    pool_of,
    with_default,
    with_document,
    with_factory,
    with_format,
    with_keys,
    with_quoted,
    with_shown,
)
from pytest_autoimprove.generators.performance.quoted import quoted_examples
from pytest_autoimprove.generators.performance.shown import shown_documents
from pytest_autoimprove.generators.performance.typespec import TypeSpec
from pytest_autoimprove.generators.performance.values import Kind, infer_kind
from pytest_autoimprove.runtime.examples import Example
from pytest_autoimprove.runtime.replay import Build

__all__ = ["Knowledge", "case_comment", "factory_pools", "learn"]

#: Patterns read per target, valid strings per pattern, near misses per pattern.
PATTERNS_PER_TARGET = 3
#: Patterns a document (one line per pattern the target uses) is made of, at most.
MAX_DOCUMENT_LINES = 16
VALID_PER_PATTERN = 10
NEAR_PER_PATTERN = 10
#: Bounds of the code a format's valid string takes its number at (see ``_at_bounds``).
BOUNDS_PER_PATTERN = 3
_DIGITS = re.compile(r"[0-9]+")
#: Factory calls offered per parameter.
FACTORY_CALLS = 2
#: A module constant named as a default is offered as a value up to this size.
MAX_CONSTANT_CHARS = 400
_SCALAR_NAMES = {"int", "float", "str", "bool", "bytes", "none"}
_TYPING_SCALARS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "bytes": "bytes"}

Runner = Callable[..., tuple[int, str]]


@dataclass
class Knowledge:
    """What the modules say about their inputs (see the module docstring).

    ``pools``: module -> qualname -> parameter -> pool; ``docs``: module -> qualname
    -> harvested calls; ``returns``: module -> qualname -> resolved return annotation.
    """

    pools: dict[str, dict[str, dict[str, Pool]]] = field(default_factory=dict)
    docs: dict[str, dict[str, list[DocCall]]] = field(default_factory=dict)
    #: module -> what its source says of its functions' inputs (:mod:`.facts`).
    facts: dict[str, SourceFacts] = field(default_factory=dict)
    returns: dict[str, dict[str, TypeSpec]] = field(default_factory=dict)
    #: module -> qualname -> the project's examples calling it, kept whole.
    examples: dict[str, dict[str, list[Example]]] = field(default_factory=dict)
    #: module -> writer of its package outside the scope -> what it wrote (:mod:`.writers`).
    written: dict[str, dict[str, list[str | bytes]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _facts_key(target: Target) -> str:
    return f"{target.qualname}.__init__" if target.kind == "constructor" else target.qualname


def _resolve(
    root: Path,
    infos: Sequence[ModuleInfo],
    facts: Mapping[str, SourceFacts],
    sys_path: Sequence[str],
    timeout: float,
    runner: Runner,
) -> tuple[dict[str, Any], str | None]:
    modules = []
    for info in infos:
        f = facts[info.name]
        targets = [
            {
                "qualname": t.qualname,
                "params": [
                    (p.name, text)
                    for p in t.params
                    if (text := p.annotation or documented_type(t.docstring, p.name))
                ],
                "returns": f.returns.get(_facts_key(t)) if t.kind != "constructor" else None,
            }
            for t in info.targets
        ]
        modules.append(
            {
                "name": info.name,
                "aliases": f.aliases,
                "checking": f.checking,
                "targets": targets,
                "pattern_names": sorted(f.patterns),
                "table_names": sorted(
                    {
                        name
                        for keyed in f.keyed.values()
                        for names in keyed.values()
                        for name in names
                    }
                ),
            }
        )
    with tempfile.TemporaryDirectory(prefix="autoimprove-resolve-") as tmp:
        inp, out = Path(tmp) / "in.pickle", Path(tmp) / "out.pickle"
        inp.write_bytes(pickle.dumps({"sys_path": list(sys_path), "modules": modules}, protocol=4))
        env = scratch_env(PYTHONHASHSEED="0")
        module = "pytest_autoimprove.generators.performance.resolve"
        code, tail = runner(
            [sys.executable, "-m", module, str(inp), str(out)], cwd=root, env=env, timeout=timeout
        )
        if not out.exists():
            return {}, f"annotations read from the source only (the resolver exited {code})"
        result: dict[str, Any] = pickle.loads(out.read_bytes())  # noqa: S301 - our resolver's output
        return result.get("modules", {}), None


def learn(
    root: Path,
    infos: Sequence[ModuleInfo],
    *,
    sys_path: Sequence[str],
    deadline: float,
    runner: Runner,
) -> Knowledge:
    """Pools and doctest calls for every target of ``infos`` (see the module docstring)."""
    knowledge = Knowledge()
    facts = {
        info.name: read_facts((root / info.path).read_text(encoding="utf-8"), info.name)
        for info in infos
    }
    resolved, note = _resolve(
        root, infos, facts, sys_path, max(2.0, deadline - time.monotonic()), runner
    )
    if note:
        knowledge.notes.append(note)
    knowledge.docs = harvest(
        root,
        infos,
        {name: f.docstring for name, f in facts.items()},
        {name: f.imports for name, f in facts.items()},
    )
    knowledge.examples = example_scripts(
        root, infos, {name: f.docstring for name, f in facts.items()}
    )
    knowledge.facts = facts
    documents = shown_documents(root)
    strings: dict[tuple[str, int], list[str]] = {}
    for info in infos:
        record = resolved.get(info.name) or {}
        specs: dict[str, dict[str, TypeSpec]] = record.get("params") or {}
        knowledge.returns[info.name] = record.get("returns") or {}
        knowledge.written[info.name] = record.get("written") or {}
        patterns = {
            name: (use.pattern, use.flags)
            for name, use in facts[info.name].patterns.items()
            if use.pattern is not None
        }
        patterns.update(record.get("patterns") or {})
        module_pools = knowledge.pools.setdefault(info.name, {})
        for target in info.targets:
            found = specs.get(target.qualname)
            # Out of time: no new strings are drawn; formats drawn already are still used.
            draw = time.monotonic() < deadline
            pools = _target_pools(target, found, facts[info.name], patterns, strings, draw)
            pools = _with_shown(target, pools, found, documents)
            pools = _with_table_keys(target, pools, facts[info.name], record.get("keys") or {})
            if pools:
                module_pools[target.qualname] = pools
    return knowledge


def _target_pools(
    target: Target,
    specs: Mapping[str, TypeSpec] | None,
    facts: SourceFacts,
    patterns: Mapping[str, tuple[str, int]],
    strings: dict[tuple[str, int], list[str]],
    draw: bool = True,
) -> dict[str, Pool]:
    pools: dict[str, Pool] = {}
    for param in target.params:
        if param.kind in ("star", "double_star"):
            continue
        spec = (specs or {}).get(param.name)
        if spec is None and param.annotation and specs is None:
            spec = static_spec(param.annotation, facts)
        pool = pool_of(spec) if spec is not None else None
        constant = _default_constant(target, param, facts)
        if constant is not None and (pool is None or not pool.kind.confident):
            pool = with_default(pool, constant, facts.constants[constant])
        if pool is not None:
            pools[param.name] = pool
    key = _facts_key(target)
    formats: list[tuple[str, str, int, str]] = []
    # A container of patterns stands for its members (``TIMEFORMATS[0]``, ...).
    used = [
        name
        for use in facts.uses.get(key, [])
        for name in patterns
        if name == use or name.startswith(f"{use}[")
    ]
    for name in used[:PATTERNS_PER_TARGET]:
        text, flags = patterns[name]
        formats.append((name, text, flags, f"st.from_regex(baseline.{name}, fullmatch=True)"))
    matched = facts.matched.get(key, [])
    defined = {name: i for i, name in enumerate(facts.patterns)}
    in_order = sorted(used, key=lambda name: defined.get(name.partition("[")[0], len(defined)))
    # Inline expressions join the document too: a chain of `re.sub(r"\\`", ...)` calls
    # meets each of its escapes, not only the first few.
    inline = [
        (use.pattern, use.flags) for use in facts.inline.get(key, []) if use.pattern is not None
    ]
    used_texts = list(dict.fromkeys([patterns[n] for n in in_order] + inline))
    pools = _with_document(target, pools, specs, used_texts, strings, draw, matched)
    for use in facts.inline.get(key, [])[: PATTERNS_PER_TARGET - len(formats)]:
        if use.pattern is not None:
            source = repr(inline_flags(use.pattern, use.flags))
            formats.append(("", use.pattern, use.flags, f"st.from_regex({source}, fullmatch=True)"))
    pools = _with_named_formats(target, pools, specs)
    pools = _with_quoted(target, pools, specs)
    if not formats:
        return pools
    for param in target.params:
        if param.kind in ("star", "double_star"):
            continue
        if matched and param.name not in matched:
            continue
        spec = (specs or {}).get(param.name)
        lines = _takes_lines(spec) and param.name in pools
        if not (_takes_text(param, spec) or lines):
            continue
        pool = pools.get(param.name)
        for name, text, flags, strategy in formats:
            if (text, flags) not in strings:
                if not draw:
                    continue
                strings[(text, flags)] = valid_strings(text, flags, VALID_PER_PATTERN)
            valid = strings[(text, flags)]
            if not valid:
                continue
            near = [(c.value, c.how) for c in corruptions(valid[0])]
            near += [(c.value, c.how) for v in valid[1:2] for c in corruptions(v)[:3]]
            kind = pool.kind if pool is not None else _text_kind(param)
            if lines:
                # Lines of text: the format's line first, alone, after a line of plain
                # text (an identifier before a cue's timing), and its near misses alone.
                listed = [[valid[0]], ["intro", valid[0]], [*valid[:2], "intro"]]
                near_lists = [([v], how) for v, how in near[:NEAR_PER_PATTERN]]
                strategy = f"st.lists({strategy}, min_size=1, max_size=3)"
                pool = with_format(pool, kind, name, listed, near_lists, strategy)
                continue
            near = near[:NEAR_PER_PATTERN] + _at_bounds(valid, facts.bounds.get(key, []))
            pool = with_format(pool, kind, name, valid, near, strategy)
        if pool is not None:
            pools[param.name] = pool
    return pools


def _at_bounds(valid: Sequence[str], bounds: Sequence[tuple[int, bool]]) -> list[tuple[str, str]]:
    """A valid string of a format with its number at the bounds the code compares
    with, and one past: ``rgb(51,102,153)`` shortened to ``#336699`` clamps each
    component at 255, and only ``rgb(256)`` shows a dropped clamp. The first number of
    the first valid string with one; :data:`BOUNDS_PER_PATTERN` bounds."""
    found = next((m for m in map(_DIGITS.search, valid) if m is not None), None)
    if found is None:
        return []
    text = found.string
    out: list[tuple[str, str]] = []
    numbers = [n for n, is_length in bounds if not is_length and n >= 0][:BOUNDS_PER_PATTERN]
    for bound in numbers:
        for value, how in ((bound, "at"), (bound + 1, "one past")):
            changed = text[: found.start()] + str(value) + text[found.end() :]
            if changed != text:
                out.append((changed, f"its number {how} the code's bound {bound}"))
    return out


def _with_named_formats(
    target: Target, pools: dict[str, Pool], specs: Mapping[str, TypeSpec] | None
) -> dict[str, Pool]:
    """``pools`` with strings of the well-known format a text parameter's name, or its
    function's, names (see :mod:`.named_formats`); the module's own formats, added
    after, lead."""
    text = _text_params(target, specs)
    out = dict(pools)
    for param in text:
        pool = out.get(param.name)
        if pool is not None and pool.kind.confident and pool.kind.name != "str":
            continue
        fmt = named_format(target, param, text)
        if fmt is not None:
            kind = pool.kind if pool is not None else _text_kind(param)
            out[param.name] = with_named_format(pool, kind, fmt)
    return out


def _with_quoted(
    target: Target, pools: dict[str, Pool], specs: Mapping[str, TypeSpec] | None
) -> dict[str, Pool]:
    """``pools`` with the strings the target's docstring quotes leading its one text
    parameter's pool (see :mod:`.quoted`); with several, whose they are is unknown.
    An untyped parameter counts when its use or name says text."""
    text = [p for p in _text_params(target, specs) if _says_text(target, p)]
    if len(text) != 1:
        return pools
    quoted = quoted_examples(target.docstring, {p.name for p in target.params})
    if not quoted:
        return pools
    param = text[0]
    near = [(c.value, c.how) for c in corruptions(quoted[0])][:NEAR_PER_PATTERN]
    out = dict(pools)
    out[param.name] = with_quoted(out.get(param.name), _text_kind(param), quoted, near)
    return out


def _with_shown(
    target: Target,
    pools: dict[str, Pool],
    specs: Mapping[str, TypeSpec] | None,
    documents: Sequence[str],
) -> dict[str, Pool]:
    """``pools`` with the documents the project's README and docs show (see
    :mod:`.shown`) among the samples of each text or lines parameter: whatever the
    module parses, the author's own many-line input reaches further than random text."""
    if not documents:
        return pools
    out = dict(pools)
    for param in _text_params(target, specs):
        spec = (specs or {}).get(param.name)
        if _takes_lines(spec) and param.name in out:
            lines = [d.splitlines() for d in documents]
            out[param.name] = with_shown(out[param.name], out[param.name].kind, lines)
        elif _says_text(target, param):
            out[param.name] = with_shown(out.get(param.name), _text_kind(param), documents)
    return out


def _with_table_keys(
    target: Target,
    pools: dict[str, Pool],
    facts: SourceFacts,
    keys: Mapping[str, Sequence[object]],
) -> dict[str, Pool]:
    """``pools`` with the keys of the tables a parameter is looked up in added."""
    keyed = facts.keyed.get(_facts_key(target), {})
    out = dict(pools)
    for param in target.params:
        found = [(name, k) for name in keyed.get(param.name, []) for k in keys.get(name, [])]
        if found:
            optional = param.none_checked or param.default == "None"
            required = param.default is None
            out[param.name] = with_keys(out.get(param.name), found, optional, required)
    return out


def _default_constant(target: Target, param: Param, facts: SourceFacts) -> str | None:
    """The constant ``param``'s default names (in the target's class body first, then
    the module), when it is small enough to read in a frozen test."""
    if param.default is None or not param.default.isidentifier():
        return None
    owner = target.qualname.partition(".")[0] if target.kind != "function" else ""
    for name in ([f"{owner}.{param.default}"] if owner else []) + [param.default]:
        value = facts.constants.get(name)
        if name in facts.constants and value is not None:
            return name if len(repr(value)) <= MAX_CONSTANT_CHARS else None
    return None


def _text_params(target: Target, specs: Mapping[str, TypeSpec] | None) -> list[Param]:
    """The target's parameters a caller passes text to (not ``*args``, not internal)."""
    return [
        p
        for p in target.params
        if p.kind not in ("star", "double_star")
        and not p.internal
        and _takes_text(p, (specs or {}).get(p.name))
    ]


def _says_text(target: Target, param: Param) -> bool:
    """Of the text parameters, one a value is sure to suit: annotated, or untyped with
    a use or a name that says text (a quoted example or a shown document is text)."""
    return param.annotation is not None or infer_kind(param, target.docstring, ()).name == "str"


def _takes_lines(spec: TypeSpec | None) -> bool:
    """A parameter that takes lines of text: ``Sequence[str]``, ``Iterable[str]``."""
    return (
        spec is not None
        and spec.t in ("list", "iterator")
        and bool(spec.args)
        and spec.args[0].t == "scalar"
        and spec.args[0].name == "str"
    )


def _takes_text(param: Param, spec: TypeSpec | None) -> bool:
    """A parameter strings of a format can go to: ``str``, a union with ``str``, or
    untyped unless its default or its use says otherwise (``max_linelen=0``, ``n + 1``:
    a CSS minifier's line length is no stylesheet)."""
    if spec is None or spec.t in ("any", "unknown"):
        if param.annotation is None:
            kind = infer_kind(param, "", ())
            other = kind.evidence == "default" or (
                kind.evidence.startswith("usage") and param.usage != "iterable"
            )
            return kind.name == "str" or not other
        return spec is not None and spec.t == "any"
    if spec.t == "scalar":
        return spec.name == "str"
    if spec.t == "union":
        return any(o.t == "scalar" and o.name == "str" for o in spec.args)
    return False


def _with_document(
    target: Target,
    pools: dict[str, Pool],
    specs: Mapping[str, TypeSpec] | None,
    used: Sequence[tuple[str, int]],
    strings: dict[tuple[str, int], list[str]],
    draw: bool,
    matched: Sequence[str],
) -> dict[str, Pool]:
    """A text of one line per pattern the target uses, then lines of three patterns
    in a row, for a text or text-stream parameter. A parser that reads its input line
    by line through many expressions meets each construct once; and as a module
    defines its token patterns in the order its grammar takes them (a key, an equal
    sign, a value, a comment), three in a row often make a whole statement
    (``abc='v'``), which no single expression's string is."""
    takers: list[tuple[Param, TypeSpec | None]] = []
    for param in target.params:
        if param.kind in ("star", "double_star") or (matched and param.name not in matched):
            continue
        spec = (specs or {}).get(param.name)
        streamed = spec is not None and spec.type_name in TEXT_STREAMS and param.name in pools
        if _takes_text(param, spec) or streamed or _takes_lines(spec) and param.name in pools:
            takers.append((param, spec))
    if not takers or len(used) < 2:
        return pools  # drawing strings for a document nothing takes costs seconds
    pieces: list[str] = []
    for text, flags in used[:MAX_DOCUMENT_LINES]:
        if (text, flags) not in strings and draw:
            strings[(text, flags)] = valid_strings(text, flags, VALID_PER_PATTERN)
        pieces.append(_readable(strings.get((text, flags), []), text, flags))
    lines = [piece for piece in pieces if piece.strip()]
    # Three in a row; a pattern that matches only blanks or nothing joins them silently.
    windows = [pieces[i : i + 3] for i in range(len(pieces) - 2)]
    lines += ["".join(w) for w in windows if sum(1 for piece in w if piece.strip()) >= 2]
    if len(lines) < 2:
        return pools
    document = "\n".join(lines) + "\n"
    out = dict(pools)
    for param, spec in takers:
        pool = out.get(param.name)
        if _takes_text(param, spec):
            out[param.name] = with_document(pool, _text_kind(param), document, len(lines))
        elif _takes_lines(spec) and pool is not None:
            out[param.name] = with_document(pool, pool.kind, document.splitlines(), len(lines))
        elif pool is not None:
            text_io = Build("io.StringIO", document)
            out[param.name] = with_document(pool, pool.kind, text_io, len(lines))
    return out


def _readable(valid: Sequence[str], pattern: str, flags: int) -> str:
    """The longest of ``valid`` a person reads at a glance (printable ASCII, one line),
    also after writing its other blanks as spaces and its other characters as ``a``
    where the expression still matches it in full; else the first one-line string."""
    try:
        regex = re.compile(pattern, flags)
    except (re.error, TypeError, ValueError, OverflowError):
        return ""
    lines = [v for v in valid if "\n" not in v and "\r" not in v]
    plain: list[str] = []
    for value in lines:
        simple = "".join(
            c if c.isascii() and c.isprintable() else " " if c.isspace() else "a" for c in value
        )
        for candidate in (value, simple):
            if candidate.isascii() and candidate.isprintable() and regex.fullmatch(candidate):
                plain.append(candidate)
    return max(plain, key=len) if plain else (lines[0] if lines else "")


def _text_kind(param: Param) -> Kind:
    return Kind("str", optional=param.none_checked or param.default == "None")


# --- annotations read from the source alone ---------------------------------------------


def static_spec(text: str, facts: SourceFacts, depth: int = 0) -> TypeSpec | None:
    """A :class:`TypeSpec` from annotation text and the module's aliases, without imports.

    Used where the resolver could not run: scalars, ``Optional``/``Union``/``|``,
    ``Literal`` and builtin containers, through aliases (also those for type checkers).
    """
    try:
        node = ast.parse(text.strip().strip("'\""), mode="eval").body
    except SyntaxError:
        return None
    return _static(node, facts, depth)


def _static(node: ast.expr, facts: SourceFacts, depth: int) -> TypeSpec | None:
    if depth > 8:
        return None
    if isinstance(node, ast.Constant) and node.value is None:
        return TypeSpec("none")
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return static_spec(node.value, facts, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        parts = [_static(node.left, facts, depth + 1), _static(node.right, facts, depth + 1)]
        return _union_of(parts)
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    if isinstance(node, (ast.Name, ast.Attribute)) and name is not None:
        if name in facts.aliases and isinstance(node, ast.Name):
            return static_spec(facts.aliases[name], facts, depth + 1)
        if name in _TYPING_SCALARS:
            return TypeSpec("scalar", _TYPING_SCALARS[name])
        return None
    if isinstance(node, ast.Subscript):
        head = (
            node.value.attr
            if isinstance(node.value, ast.Attribute)
            else getattr(node.value, "id", "")
        )
        items = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Optional":
            return _union_of([_static(items[0], facts, depth + 1), TypeSpec("none")])
        if head == "Union":
            return _union_of([_static(i, facts, depth + 1) for i in items])
        if head == "Literal":
            values = [ast.unparse(i) for i in items]
            return TypeSpec("literal", values=tuple(values))
        kinds = {"list": "list", "List": "list", "Sequence": "list", "Iterable": "list"}
        kinds.update(
            {"set": "set", "Set": "set", "dict": "dict", "Dict": "dict", "Mapping": "dict"}
        )
        if head in kinds:
            found = tuple(_static(i, facts, depth + 1) or TypeSpec("any") for i in items)
            return TypeSpec(kinds[head], args=found)
    return None


def _union_of(parts: Sequence[TypeSpec | None]) -> TypeSpec | None:
    if any(p is None for p in parts):
        return None
    options: list[TypeSpec] = []
    for part in parts:
        assert part is not None
        for option in part.args if part.t == "union" else (part,):
            if option not in options:
                options.append(option)
    return options[0] if len(options) == 1 else TypeSpec("union", args=tuple(options))


# --- factories -----------------------------------------------------------------------------


def factory_pools(
    knowledge: Knowledge,
    infos: Sequence[ModuleInfo],
    planned: Mapping[str, Sequence[Any]],
    probed: Mapping[str, Any],
) -> dict[str, set[str]]:
    """Give parameters only a factory can build the calls in scope that returned one.

    A call counts when the first probe saw it return an instance of the parameter's
    type (its class or a subclass); factories whose return annotation names the type
    come first, and only the calls with the fewest arguments are used (a factory given a
    guessed file name would write files at every test run). Updates ``knowledge.pools``
    and returns ``module -> qualnames`` whose pools changed (to plan and probe again).
    """
    makers: dict[str, list[tuple[int, int, int, str, Build]]] = {}
    for info in infos:
        record = probed.get("modules", {}).get(info.name, {})
        results = {(r["qualname"], r["id"]): r for r in record.get("cases", [])}
        declared = knowledge.returns.get(info.name, {})
        for tc in planned.get(info.name, []):
            target = tc.target
            if target.kind == "method":
                continue
            for order, cand in enumerate(tc.candidates):
                if cand.group != "recorded" or cand.origin == "random":
                    continue
                res = results.get((target.qualname, cand.id))
                if res is None or not res.get("returns_mro"):
                    continue  # the call did not return (or was not reached)
                call = load_call(cand.payload)
                if call is None:
                    continue
                args, kwargs = call
                build = Build(target.qualname, *args, **kwargs)
                if to_source(build) is None:
                    continue
                spec = declared.get(target.qualname)
                for type_name in res["returns_mro"][:-1]:
                    rank = 0 if spec is not None and spec.type_name == type_name else 1
                    entry = (rank, len(args) + len(kwargs), order, info.name, build)
                    makers.setdefault(type_name, []).append(entry)
    changed: dict[str, set[str]] = {}
    for module, targets in knowledge.pools.items():
        for qualname, pools in targets.items():
            for name, pool in list(pools.items()):
                found = (
                    sorted(makers.get(pool.needs, []), key=lambda e: e[:3]) if pool.needs else []
                )
                # Only the calls with the fewest arguments: a factory given a guessed path
                # or name may leave files behind at every run of the tests.
                fewest = min((e[1] for e in found), default=0)
                builds: list[tuple[Build, str]] = []
                for _, n_args, _, maker_module, build in found:
                    if n_args > fewest:
                        continue
                    path = build.path if maker_module == module else f"{maker_module}.{build.path}"
                    made = Build(path, *build.args, **dict(build.kwargs))
                    if made not in [b for b, _ in builds] and len(builds) < FACTORY_CALLS:
                        builds.append((made, f"{name} built by {path}(), a factory in scope"))
                if builds:
                    pools[name] = with_factory(pool, builds, pool.kind.optional)
                    changed.setdefault(module, set()).add(qualname)
    return changed


# --- comments ------------------------------------------------------------------------------

_ORIGINS = {
    "real": "from the project's tests",
    "sample": "inferred from the signature",
    "random": "random, inferred from the signature",
}


def case_comment(origin: str, risk: str, param: str, describe: str) -> str:
    """Where a case's input came from, and the regression it guards against."""
    if origin == "edge":
        where = describe or f"edge value of {param}"
    elif origin == "pairwise":
        where = describe or "pairwise edge values"
    else:
        where = describe or _ORIGINS.get(origin, origin)
    return f"{where}; guards {risk}"


def load_call(payload: bytes) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
    """A recorded call's ``(args, kwargs)``; ``None`` when they do not load here.

    Values of the user's own types load only where their modules import (the probe's
    process, with the project's ``sys.path``); the generator's process may not see
    them, and such a call is simply not offered as a factory.
    """
    try:
        args, kwargs, _ = pickle.loads(payload)  # noqa: S301 - our own data
    except Exception:  # noqa: BLE001 - any failure to load means "not here"
        return None
    return tuple(args), dict(kwargs)
