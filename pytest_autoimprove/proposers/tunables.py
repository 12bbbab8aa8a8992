"""Tunable constants in Python source: find them, choose them, rewrite one literal.

The ``tune`` proposer (:mod:`pytest_autoimprove.proposers.tune`) searches; this
module is its hands. A tunable constant is a module-level ``NAME = <number>`` or
``NAME: T = <number>`` (signed or not, decimal int or float) assigned exactly once.
Which ones a run tunes comes from improve.md: ``tune:`` in ``## Agent`` names files
or ``file::NAME`` entries, a ``# autoimprove: tune`` comment marks a line, and
without either every ``UPPER_CASE`` one in scope is tuned. Rewriting goes through
libcst, so only the literal's bytes change: formatting, comments and line endings
stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_autoimprove import paths

if TYPE_CHECKING:
    import libcst as cst

    from pytest_autoimprove.config import ImproveConfig

#: ``# autoimprove: tune`` on a constant's line marks it for tuning.
MARK = re.compile(r"#\s*autoimprove\s*:\s*tune\b", re.IGNORECASE)
#: Files without a line like this cannot hold a tunable constant (skips the parse).
_MAYBE_CONSTANT = re.compile(rb"^[A-Za-z_]\w*\s*(?::[^=\n]*)?=\s*[-+]?\s*\.?\d", re.MULTILINE)
_CONSTANT_NAME = re.compile(r"^_*[A-Z][A-Z0-9_]*$")


# ---------------------------------------------------------------------------
# Finding constants


@dataclass(frozen=True)
class Constant:
    """One tunable module-level constant as it stands in the tree.

    :param path: the file, relative to the worktree.
    :param text: the value as written, sign included (``-2.5``, ``1_000``).
    :param kind: ``int`` or ``float`` (an ``int`` literal annotated ``float`` is a float).
    """

    path: str
    name: str
    value: float
    text: str
    kind: str
    marked: bool = False

    @property
    def key(self) -> str:
        return f"{self.path}::{self.name}"


def find_constants(source: bytes | str, path: str) -> list[Constant]:
    """The numeric module-level constants of one file, in source order.

    A name assigned more than once at module level is left out: which assignment
    counts would be a guess. Raises ``libcst.ParserSyntaxError`` for invalid code.
    """
    import libcst as cst

    module = cst.parse_module(source)
    found: dict[str, Constant] = {}
    seen: dict[str, int] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        comment = statement.trailing_whitespace.comment
        marked = comment is not None and MARK.search(comment.value) is not None
        for small in statement.body:
            for name in _assigned_names(small):
                seen[name] = seen.get(name, 0) + 1
            target = _target(small)
            if target is None:
                continue
            name, value, annotation = target
            parsed = _read_number(value)
            if parsed is None:
                continue
            number, text, kind = parsed
            if annotation == "float":
                kind = "float"
            found.setdefault(name, Constant(path, name, number, text, kind, marked))
    return [constant for name, constant in found.items() if seen.get(name) == 1]


def _assigned_names(small: cst.BaseSmallStatement) -> list[str]:
    import libcst as cst

    targets: list[cst.BaseExpression] = []
    if isinstance(small, cst.Assign):
        targets = [t.target for t in small.targets]
    elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
        targets = [small.target]
    return [t.value for t in targets if isinstance(t, cst.Name)]


def _target(
    small: cst.BaseSmallStatement,
) -> tuple[str, cst.BaseExpression, str | None] | None:
    """``(name, value, annotation)`` of ``NAME = v`` / ``NAME: T = v``, else ``None``."""
    import libcst as cst

    if isinstance(small, cst.Assign):
        if len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            return small.targets[0].target.value, small.value, None
    elif (
        isinstance(small, cst.AnnAssign)
        and isinstance(small.target, cst.Name)
        and small.value is not None
    ):
        annotation = small.annotation.annotation
        hint = annotation.value if isinstance(annotation, cst.Name) else None
        return small.target.value, small.value, hint
    return None


def _read_number(node: cst.BaseExpression) -> tuple[float, str, str] | None:
    """``(value, text, kind)`` of a decimal int or float literal, signed or not."""
    import libcst as cst

    sign = ""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        sign = "-" if isinstance(node.operator, cst.Minus) else ""
        node = node.expression
    if isinstance(node, cst.Integer):
        digits = node.value.replace("_", "")
        if not digits.isdigit() or (len(digits) > 1 and digits.startswith("0")):
            return None  # 0x.., 0o.., 0b..: not a count anyone tunes by +-1
        return float(int(sign + digits)), sign + node.value, "int"
    if isinstance(node, cst.Float):
        return float(sign + node.value.replace("_", "")), sign + node.value, "float"
    return None


# ---------------------------------------------------------------------------
# Choosing what to tune


def scope_files(worktree: Path, config: ImproveConfig) -> list[str]:
    """The Python files a proposal may change.

    That is ``scope`` minus ``exclude`` and anything the guard protects (a change
    there would be discarded as tampering), and without ``scope`` minus the tests.
    """
    from pytest_autoimprove.guard import is_protected

    patterns = config.change.scope or ("**/*.py",)
    files = []
    for name in paths.expand(worktree, patterns):
        if not name.endswith(".py") or not config.change.in_scope(name):
            continue
        if is_protected(name, worktree, config):
            continue
        if not config.change.scope and _is_test_or_tool(name):
            continue
        files.append(name)
    return files


def _is_test_or_tool(name: str) -> bool:
    parts = name.split("/")
    base = parts[-1]
    return (
        any(part in ("tests", "test", "testing", ".autoimprove", ".venv", "venv") for part in parts)
        or base.startswith("test_")
        or base.endswith("_test.py")
        or base in ("setup.py", "noxfile.py")
    )


def select_constants(worktree: Path, config: ImproveConfig) -> list[Constant]:
    """The constants this run tunes, as they stand in ``worktree`` now.

    Raises :class:`ConfigError` (pointing at ``tune:``) for a named file or
    constant that does not exist, is out of scope or cannot be parsed.
    """
    in_scope = scope_files(worktree, config)
    per_file: dict[str, list[Constant] | None] = {}  # None: the file does not parse
    parsed: set[str] = set()

    def constants_of(path: str, *, required: bool) -> list[Constant]:
        if path not in per_file or (required and path not in parsed):
            data = (worktree / path).read_bytes()
            per_file[path] = []
            # A cheap look first: most files in a broad scope hold no constant at all.
            if required or _MAYBE_CONSTANT.search(data):
                parsed.add(path)
                try:
                    per_file[path] = find_constants(data, path)
                except Exception:  # libcst.ParserSyntaxError and friends
                    per_file[path] = None
        found = per_file[path]
        if found is None and required:
            raise config.error(
                "agent.tune",
                f"tune: cannot parse {path} as Python",
                "fix its syntax error or name another file",
            )
        return found or []

    chosen: dict[str, Constant] = {}
    for path in in_scope:
        for constant in constants_of(path, required=False):
            if constant.marked:
                chosen.setdefault(constant.key, constant)
    spec = config.agent.tune
    if spec:
        for constant in _named(worktree, config, spec, in_scope, constants_of):
            chosen.setdefault(constant.key, constant)
    elif not chosen:
        for path in in_scope:
            for constant in constants_of(path, required=False):
                if _CONSTANT_NAME.match(constant.name):
                    chosen.setdefault(constant.key, constant)
    order = {path: index for index, path in enumerate(in_scope)}
    return sorted(chosen.values(), key=lambda c: order.get(c.path, len(order)))


def _named(
    worktree: Path,
    config: ImproveConfig,
    spec: str,
    in_scope: Sequence[str],
    constants_of: Any,
) -> list[Constant]:
    out: list[Constant] = []
    for entry in (item.strip() for item in spec.split(",")):
        if not entry:
            continue
        file_part, _, name = entry.partition("::")
        files = paths.expand(worktree, [file_part])
        files = [f for f in files if f.endswith(".py")]
        if not files:
            raise config.error(
                "agent.tune",
                f"tune: {file_part} matches no Python file",
                "name a file relative to the repository root, e.g. `tune: src/rank.py::WEIGHT`",
            )
        for path in files:
            if path not in in_scope:
                raise config.error(
                    "agent.tune",
                    f"tune: {path} is not in scope, so every change to it would be discarded",
                    "add it to `scope:` in ## Change or name a file in scope",
                )
            constants: list[Constant] = constants_of(path, required=True)
            if not name:
                out.extend(constants)
                continue
            match = [c for c in constants if c.name == name.strip()]
            if not match:
                known = ", ".join(c.name for c in constants[:8]) or "none"
                raise config.error(
                    "agent.tune",
                    f"tune: {path} has no numeric module-level constant {name.strip()!r} "
                    f"assigned once (found: {known})",
                    "name one of them, or write it as `NAME = <number>` at module level",
                )
            out.extend(match)
    return out


# ---------------------------------------------------------------------------
# Rewriting a literal


def apply_move(worktree: Path, constant: Constant, new: str) -> None:
    """Write ``new`` in place of the literal of ``constant``; nothing else changes."""
    import libcst as cst

    file = worktree / constant.path
    module = cst.parse_module(file.read_bytes())
    replacement = _literal(new, constant.kind)
    done = False

    def replace(value: cst.BaseExpression) -> cst.BaseExpression:
        negative = new.startswith("-")
        if isinstance(value, cst.UnaryOperation):
            if negative == isinstance(value.operator, cst.Minus):
                return value.with_changes(expression=replacement)
            if negative:  # +2 -> -1
                return value.with_changes(operator=cst.Minus(), expression=replacement)
            return replacement
        if negative:
            return cst.UnaryOperation(operator=cst.Minus(), expression=replacement)
        return replacement

    body = list(module.body)
    for index, statement in enumerate(body):
        if done or not isinstance(statement, cst.SimpleStatementLine):
            continue
        smalls = list(statement.body)
        for position, small in enumerate(smalls):
            target = _target(small)
            if target is None or target[0] != constant.name:
                continue
            assert isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None
            smalls[position] = small.with_changes(value=replace(small.value))
            body[index] = statement.with_changes(body=smalls)
            done = True
            break
    if not done:  # the tree changed under us; the caller read it a moment ago
        raise RuntimeError(f"{constant.key}: assignment not found")
    file.write_bytes(module.with_changes(body=body).bytes)


def _literal(text: str, kind: str) -> cst.BaseNumber:
    import libcst as cst

    digits = text.lstrip("-")
    if kind == "int" or not any(c in digits for c in ".eE"):
        return cst.Integer(digits)
    return cst.Float(digits)
