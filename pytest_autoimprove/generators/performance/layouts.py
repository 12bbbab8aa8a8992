"""Binary layouts: bytes built in the ``struct`` formats a function reads its input with.

A parser of a binary format (an HTTP/2 frame header, a record of a file format) says
what it accepts in its own code: ``_HEADER = struct.Struct(">HBBBL")`` then
``_HEADER.unpack(data)``, or ``struct.unpack_from("<I", data, 4)``. Typical or random
bytes are almost never of that exact size and shape, so without the project's tests
the parser only ever raised and a regression on its real path went unseen.

:func:`formats_of` reads the formats a function's body uses (a literal, a module
string constant, or a ``Struct`` bound at module or class level); :mod:`.facts` adds
those of the module's functions it calls. :func:`layout_edges` gives each binary
parameter (bytes, or a memory view or byte array built from bytes) those layouts
packed with small values: all zeros, all ones, counting up, and the counting record
twice (a loop over records). Edge cases of no declared validity: never findings.
"""

from __future__ import annotations

import ast
import re
import struct
from collections.abc import Callable, Mapping, Sequence

from pytest_autoimprove.generators.discover import Param
from pytest_autoimprove.generators.performance.typespec import FROM_BYTES_NAMES
from pytest_autoimprove.generators.performance.values import Kind
from pytest_autoimprove.runtime.replay import Build

__all__ = ["MAX_LAYOUTS", "formats_of", "layout_bytes", "layout_edges", "struct_format"]

Add = Callable[..., "str | None"]

#: Formats kept per function (its own first, then its callees').
MAX_LAYOUTS = 4
#: ``struct`` functions whose first argument is a format.
_FORMAT_CALLS = frozenset({"pack", "pack_into", "unpack", "unpack_from", "iter_unpack", "calcsize"})
#: ``Struct`` methods that read bytes.
_READS = frozenset({"unpack", "unpack_from", "iter_unpack"})
#: One item of a format: a repeat count and a code (byte order and blanks stripped).
_ITEM = re.compile(r"(\d*)([xcbB?hHiIlLqQnNefdspP])")
_INT_BITS = {"b": 7, "B": 8, "h": 15, "H": 16, "i": 31, "I": 32, "l": 31, "L": 32}
_INT_BITS |= {"q": 63, "Q": 64}


def struct_format(node: ast.expr, strings: Mapping[str, str]) -> str | None:
    """The format of ``struct.Struct("...")`` (or ``Struct(...)``), or ``None``."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return _text(node.args[0], strings) if name == "Struct" else None


def formats_of(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    structs: Mapping[str, str],
    strings: Mapping[str, str],
    cls: str | None,
) -> list[str]:
    """The formats ``node``'s body reads or writes with, in order, each once.

    :param structs: ``Struct`` objects bound at module level (``NAME``) or in a class
        body (``Class.NAME``), by name, with their format.
    :param strings: module string constants (a format named once and used twice).
    """
    found: list[str] = []
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call) or not isinstance(sub.func, ast.Attribute):
            continue
        func = sub.func
        owner = func.value
        fmt = None
        if isinstance(owner, ast.Name) and owner.id == "struct" and func.attr in _FORMAT_CALLS:
            fmt = _text(sub.args[0], strings) if sub.args else None
        elif func.attr in _READS or func.attr in ("pack", "pack_into"):
            if isinstance(owner, ast.Name):
                fmt = structs.get(owner.id)
            elif isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name):
                if owner.value.id in ("self", "cls") and cls:
                    fmt = structs.get(f"{cls}.{owner.attr}")
                else:
                    fmt = structs.get(owner.attr)
        if fmt and fmt not in found and _items(fmt) is not None:
            found.append(fmt)
    return found


def _text(node: ast.expr, strings: Mapping[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        value = node.value
        return value.decode("ascii", "replace") if isinstance(value, bytes) else value
    if isinstance(node, ast.Name):
        return strings.get(node.id)
    return None


def _items(fmt: str) -> list[tuple[int, str]] | None:
    """``(count, code)`` of each item of ``fmt``; ``None`` for a format this module does
    not build values for (native sizes, pointers) or that is not one."""
    body = fmt.strip()
    if body[:1] in "@=<>!":
        native = body[:1] == "@"
        body = body[1:]
    else:
        native = True
    body = body.replace(" ", "")
    items = [(int(n) if n else 1, code) for n, code in _ITEM.findall(body)]
    if "".join(f"{n}{c}" for n, c in _ITEM.findall(body)) != body or not items:
        return None
    if any(code in "nNP" for _, code in items) and not native:
        return None
    try:
        struct.calcsize(fmt)
    except struct.error:
        return None
    return items


def _values(items: Sequence[tuple[int, str]], fill: Callable[[int], int]) -> list[object]:
    """Values for ``items``: integer ``i`` (counting from 0) is ``fill(i)``, clipped to
    its code's range; text fields hold that many letters."""
    values: list[object] = []
    i = 0
    for count, code in items:
        if code == "x":
            continue
        if code in "sp":
            values.append(bytes(ord("a") + (fill(i) + k) % 26 for k in range(count)))
            i += 1
            continue
        for _ in range(count):
            n = fill(i)
            i += 1
            if code == "?":
                values.append(bool(n))
            elif code == "c":
                values.append(bytes([ord("a") + n % 26]))
            elif code in "efd":
                values.append(float(n))
            else:
                values.append(n % (1 << _INT_BITS.get(code, 7)))
    return values


def layout_bytes(fmt: str) -> list[tuple[bytes, str]]:
    """Bytes in layout ``fmt`` and how each was made (see the module docstring)."""
    items = _items(fmt)
    if items is None:
        return []
    out: list[tuple[bytes, str]] = []
    for fill, how in (
        (lambda i: 0, "all zeros"),
        (lambda i: 1, "all ones"),
        (lambda i: i + 1, "counting up"),
    ):
        try:
            packed = struct.pack(fmt, *_values(items, fill))
        except (struct.error, OverflowError, TypeError):
            continue
        if packed not in [b for b, _ in out]:
            out.append((packed, how))
    if out:
        out.append((out[-1][0] * 2, f"{out[-1][1]}, twice"))
    return out


def layout_edges(
    usable: Sequence[Param],
    kinds: Mapping[str, Kind],
    formats: Sequence[str],
    base: Mapping[str, object],
    add: Add,
) -> None:
    """Each binary parameter in each layout the code reads (see the module docstring)."""
    if not formats:
        return
    for p in usable:
        value = base.get(p.name)
        wrap = value.path if isinstance(value, Build) and value.path in FROM_BYTES_NAMES else ""
        if not wrap and kinds[p.name].name != "bytes":
            continue
        j = 0
        for fmt in formats[:MAX_LAYOUTS]:
            for data, how in layout_bytes(fmt):
                passed = Build(wrap, data) if wrap else data
                describe = f"bytes in the code's struct layout {fmt!r}, {how}"
                add(f"layout-{p.name}-{j}", "edge", "changed-behaviour", {**base, p.name: passed},
                    False, "edge", p.name, describe)  # fmt: skip
                j += 1
