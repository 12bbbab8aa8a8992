"""Near examples: the project's own example calls, a little off.

An example (a doctest, a README call) is an input the code is meant to take, in the
shape it is meant to take it: a table as a list of rows, a record as a dict. Random
values seldom have that shape; the example's values are tame. So each of the first
examples of a target is varied where fast paths slip:

- its text arguments get small corruptions (a sign, Windows line endings, swapped
  case: :func:`.formats.corruptions`);
- a text argument of several lines (a document: a TOML file in a README, a docstring
  in the style a parser reads) is also given in parts: each block between blank lines
  alone, then single lines. A part of a document is usually a smaller document of the
  same format, and each reaches one of the paths the whole one runs together (a
  table header, an array, a date), where a single document hides which one broke;
- inside its nested arguments (lists, tuples, dicts, at any depth), the first leaf of
  each type is replaced by a value of that type a fast path gets wrong: wide
  characters or an empty string for text (a width taken as ``len``), zero or a
  number beyond float precision for an int (a falsy value taken as missing), an
  exponent-sized float. The structure stays the author's.

Each variant is an edge case of no declared validity: never a finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pytest_autoimprove.generators.performance.formats import corruptions

__all__ = ["NEAR_PER_EXAMPLE", "Near", "near_examples"]

#: Corruptions per text argument of an example.
NEAR_PER_EXAMPLE = 5
#: Parts of a document: blocks between blank lines, then single lines, per argument.
MAX_BLOCKS = 3
MAX_LINES = 6
#: Parts longer than this are left out (a frozen test stays readable).
MAX_PART_CHARS = 300
#: How deep nested arguments are searched for leaves.
MAX_DEPTH = 4

#: Values put in place of the first leaf of a type: (value, risk, how).
LEAF_EDGES: dict[type, tuple[tuple[object, str, str], ...]] = {
    str: (
        ("中文字", "unicode-fast-path", "wide characters"),
        ("", "empty-input", "an empty string"),
        ("Ünïcödé straße", "unicode-fast-path", "accented text"),
    ),
    int: (
        (0, "negative-numbers", "zero"),
        (-7, "negative-numbers", "a negative number"),
        (10**20, "int-precision", "an int beyond float precision"),
    ),
    float: (
        (0.0, "negative-numbers", "0.0"),
        (-2.5, "negative-numbers", "a negative float"),
        (1e45, "huge-input", "a float in exponent notation"),
    ),
}


@dataclass(frozen=True)
class Near:
    """One variant of an example call: its arguments, the risk, how it differs, and
    the positional index of the argument it changed (``None`` for a keyword)."""

    key: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    risk: str
    how: str
    index: int | None
    types: frozenset[str]


def _leaves(
    value: object, path: tuple[object, ...], depth: int = 0
) -> Iterator[tuple[tuple[object, ...], object]]:
    """``(path, leaf)`` of every str, int and float inside ``value`` (not ``value``
    itself), depth first; a path is the indices and dict keys leading to it."""
    if depth >= MAX_DEPTH:
        return
    items: list[tuple[object, object]]
    if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
        items = list(enumerate(value))
    elif isinstance(value, dict) and type(value) is dict:
        items = list(value.items())
    else:
        return
    for key, item in items:
        if type(item) in LEAF_EDGES:
            yield (*path, key), item
        else:
            yield from _leaves(item, (*path, key), depth + 1)


def _replaced(value: Any, path: tuple[object, ...], new: object) -> Any:
    """A copy of ``value`` with the leaf at ``path`` replaced by ``new``."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if type(value) is dict:
        return {k: _replaced(v, rest, new) if k == head else v for k, v in value.items()}
    items = [_replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]
    return tuple(items) if type(value) is tuple else items


def parts(document: str) -> list[tuple[str, str]]:
    """``(part, how)``: the blocks of ``document`` between blank lines, then its single
    lines (comment lines left out), each once; none for a text of fewer than 3 lines."""
    lines = document.splitlines()
    if sum(1 for line in lines if line.strip()) < 3:
        return []
    out: list[tuple[str, str]] = []
    seen = {document.strip()}

    def add(part: str, how: str) -> None:
        if part.strip() and part.strip() not in seen and len(part) <= MAX_PART_CHARS:
            seen.add(part.strip())
            out.append((part, how))

    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    for block in [b for b in blocks if len(b) > 1][:MAX_BLOCKS]:
        add("\n".join(block) + "\n", "one block of it alone")
    singles = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    # Lines of new shapes first (the punctuation they use, digits or not): a date, an
    # array, a header reach more paths than three lines of `name = "text"`.
    shapes: set[tuple[frozenset[str], bool]] = set()
    fresh: list[str] = []
    repeated: list[str] = []
    for line in singles:
        shape = (
            frozenset(c for c in line if not c.isalnum() and not c.isspace()),
            any(c.isdigit() for c in line),
        )
        (repeated if shape in shapes else fresh).append(line)
        shapes.add(shape)
    before = len(out)
    for line in [*fresh, *repeated]:
        if len(out) - before >= MAX_LINES:
            break
        add(line.strip() + "\n", "one line of it alone")
    return out


def near_examples(args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Near]:
    """The variants of one example call (see the module docstring)."""
    out: list[Near] = []
    texts = [(j, v) for j, v in enumerate(args) if isinstance(v, str)][:2]
    for j, value in texts:
        for k, (part, how) in enumerate(parts(value)):
            new_args = (*args[:j], part, *args[j + 1 :])
            out.append(
                Near(
                    f"{j}-part-{k}",
                    new_args,
                    kwargs,
                    "changed-behaviour",
                    how,
                    j,
                    frozenset({"str"}),
                )
            )
    for j, value in texts:
        for k, near in enumerate(corruptions(value)[:NEAR_PER_EXAMPLE]):
            new_args = (*args[:j], near.value, *args[j + 1 :])
            out.append(
                Near(
                    f"{j}-{k}",
                    new_args,
                    kwargs,
                    "format-fast-path",
                    near.how,
                    j,
                    frozenset({"str"}),
                )
            )
    # The first leaf of each type, over the positional then the keyword arguments.
    whole: dict[object, Any] = dict(enumerate(args))
    whole.update(kwargs)
    first: dict[type, tuple[object, ...]] = {}
    for top, arg in whole.items():
        for path, leaf in _leaves(arg, (top,)):
            first.setdefault(type(leaf), path)
    for kind, path in first.items():
        for k, (edge, risk, how) in enumerate(LEAF_EDGES[kind]):
            varied = _replaced(whole, path, edge)
            new_args = tuple(varied[i] for i in range(len(args)))
            new_kwargs = {name: varied[name] for name in kwargs}
            top = path[0]
            out.append(
                Near(
                    f"{kind.__name__}-{k}",
                    new_args,
                    new_kwargs,
                    risk,
                    f"{how} inside it",
                    top if isinstance(top, int) else None,
                    frozenset({kind.__name__}),
                )
            )
    return out
