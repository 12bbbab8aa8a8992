"""Static leakage scan: code in scope that names the golden files or embeds their answers.

The cheapest way to raise a retrieval score is to know the answers: read the golden
file (or its holdout, or ``$AUTOIMPROVE_GOLDEN``) at run time, or paste the golden
queries and their relevant ids into the code. The runtime watcher
(:mod:`.quality_site.sitecustomize`) sees reads however the path is built; this scan
sees what is written down, in every file in scope (Python through libcst, string
literals only, docstrings skipped; other text files as a whole):

- ``path``: a literal naming a golden file (``golden.jsonl``, ``holdout.jsonl``),
  the guard folder or ``AUTOIMPROVE_GOLDEN``;
- ``query``: a literal equal to a golden query, or containing a multi-word one;
- ``answer``: a literal equal to a golden relevant id that looks like an id (has a
  digit and is not a plain number or word).

Short or common strings would alarm on honest code, so single-word queries count
only from :data:`MIN_SINGLE_WORD_HITS` on, ids from :data:`MIN_ANSWER_HITS` on, and
every hit the untouched baseline already has is allowed (recorded at generation).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pytest_autoimprove.runtime.golden import normalize_query
from pytest_autoimprove.runtime.textfiles import read_text

with warnings.catch_warnings():
    # Importing libcst warns (DeprecationWarning from mypy_extensions) in some
    # environments; this module is imported inside the user's test session, where
    # warnings may be errors.
    warnings.simplefilter("ignore", DeprecationWarning)
    import libcst as cst

__all__ = [
    "MIN_ANSWER_HITS",
    "MIN_SINGLE_WORD_HITS",
    "Leak",
    "Needles",
    "leaks",
    "scan_file",
]

#: Distinct single-word golden queries a file must embed before it counts as leaking.
MIN_SINGLE_WORD_HITS = 3
#: Distinct golden answer ids a file must embed before it counts as leaking.
MIN_ANSWER_HITS = 2
#: Shortest single-word query or id that is considered at all.
MIN_LENGTH = 4
_MAX_TEXT_BYTES = 2_000_000


@dataclass(frozen=True)
class Leak:
    """One golden string written down in a file in scope."""

    kind: str
    value: str
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind} {self.value!r}"


@dataclass(frozen=True)
class Needles:
    """What to look for: file names, golden queries and answer ids."""

    names: tuple[str, ...]
    queries: tuple[str, ...]
    answers: tuple[str, ...]
    stems: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        names: Iterable[str],
        queries: Iterable[str],
        answers: Iterable[str],
        stems: Iterable[str] = (),
    ) -> Needles:
        """``names`` match inside any literal; ``stems`` only as a whole path component."""
        qs = sorted({normalize_query(q) for q in queries if q and normalize_query(q)})
        ids = sorted({a for a in answers if _looks_like_id(a)})
        return cls(
            tuple(sorted({n for n in names if n})),
            tuple(qs),
            tuple(ids),
            tuple(sorted({s.casefold() for s in stems if len(s) > MIN_LENGTH})),
        )


def _looks_like_id(text: str) -> bool:
    return (
        len(text) >= MIN_LENGTH
        and any(c.isdigit() for c in text)
        and not text.replace(".", "").replace("-", "").isdigit()
        and " " not in text
    )


class _Strings(cst.CSTVisitor):
    """String literals in source order, with their line.

    Lines come from finding each literal's code in the source after the previous one
    (literals are visited in source order), not from libcst's position metadata:
    importing ``libcst.metadata`` warns in some environments, and this module runs
    inside the user's test session.
    """

    def __init__(self, module: cst.Module, source: str) -> None:
        self.found: list[tuple[str, int]] = []
        self._docstrings: set[int] = set()
        self._module = module
        self._source = source
        self._cursor = 0

    def _line(self, node: cst.CSTNode) -> int:
        code = self._module.code_for_node(node)
        at = self._source.find(code, self._cursor)
        if at < 0:
            at = self._cursor
        else:
            self._cursor = at
        return self._source.count("\n", 0, at) + 1

    def _mark_docstring(self, body: Sequence[cst.CSTNode]) -> None:
        if body and isinstance(body[0], cst.SimpleStatementLine):
            first = body[0].body[0] if body[0].body else None
            if isinstance(first, cst.Expr) and isinstance(first.value, cst.SimpleString):
                self._docstrings.add(id(first.value))

    def visit_Module(self, node: cst.Module) -> None:
        self._mark_docstring(node.body)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if isinstance(node.body, cst.IndentedBlock):
            self._mark_docstring(node.body.body)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if isinstance(node.body, cst.IndentedBlock):
            self._mark_docstring(node.body.body)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if id(node) in self._docstrings:
            return
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd escapes: use the raw text
            value = node.value
        text = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
        self.found.append((text, self._line(node)))

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self.found.append((node.value, self._line(node)))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        # "golden" ".jsonl": the joined value is a literal too
        parts: list[str] = []
        current: cst.BaseExpression = node
        while isinstance(current, cst.ConcatenatedString):
            left = current.left
            if isinstance(left, cst.SimpleString):
                parts.append(str(left.evaluated_value))
            current = current.right
        if isinstance(current, cst.SimpleString):
            parts.append(str(current.evaluated_value))
        self.found.append(("".join(parts), self._line(node)))


def _literals(path: Path) -> list[tuple[str, int]]:
    """String literals of a Python file, or the lines of any other text file."""
    text = read_text(path, _MAX_TEXT_BYTES)
    if text is None:
        return []
    if path.suffix == ".py":
        try:
            module = cst.parse_module(text)
            visitor = _Strings(module, text)
            module.visit(visitor)
            return visitor.found
        except Exception:  # noqa: BLE001 - unparsable code is scanned as text
            pass
    return [(line, number) for number, line in enumerate(text.splitlines(), start=1)]


def _contains_phrase(haystack: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", haystack) is not None


def scan_file(root: Path, rel: str, needles: Needles) -> list[Leak]:
    """Every golden string written in ``root / rel`` (before thresholds)."""
    found: list[Leak] = []
    single = {q for q in needles.queries if " " not in q and len(q) >= MIN_LENGTH}
    multi = [q for q in needles.queries if " " in q and len(q) >= 2 * MIN_LENGTH]
    answers = set(needles.answers)
    for text, line in _literals(root / rel):
        if not text.strip():
            continue
        lowered = text.casefold()
        for name in needles.names:
            if name.casefold() in lowered:
                found.append(Leak("path", name, rel, line))
        for stem in needles.stems:
            if re.search(rf"(^|[/\\]){re.escape(stem)}($|[./\\])", lowered.strip()):
                found.append(Leak("path", stem, rel, line))
        norm = normalize_query(text)
        if norm in single:
            found.append(Leak("query", norm, rel, line))
        for query in multi:
            if query in norm and _contains_phrase(norm, query):
                found.append(Leak("query", query, rel, line))
        stripped = text.strip()
        if stripped in answers:
            found.append(Leak("answer", stripped, rel, line))
        elif len(text) > 2 * MIN_LENGTH:
            for token in re.findall(r"[\w.:/-]+", text):
                if token in answers:
                    found.append(Leak("answer", token, rel, line))
    return found


def leaks(
    root: Path,
    files: Iterable[str],
    needles: Needles,
    allowed: Iterable[tuple[str, str]] = (),
) -> list[Leak]:
    """Leaks in ``files`` beyond ``allowed`` ``(kind, value)`` pairs, after the thresholds."""
    allow = set(allowed)
    out: list[Leak] = []
    for rel in files:
        hits = [h for h in scan_file(root, rel, needles) if (h.kind, h.value) not in allow]
        single = {h.value for h in hits if h.kind == "query" and " " not in h.value}
        ids = {h.value for h in hits if h.kind == "answer"}
        for hit in hits:
            if hit.kind == "query" and " " not in hit.value and len(single) < MIN_SINGLE_WORD_HITS:
                continue
            if hit.kind == "answer" and len(ids) < MIN_ANSWER_HITS:
                continue
            out.append(hit)
    return out
