"""Near examples: the project's example calls varied where fast paths slip.

A table given as the docstring shows it (a list of rows) keeps its shape; one cell
at a time becomes wide text, an empty string, zero or an exponent-sized float.
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.near import near_examples

GRID = '''
import unicodedata


def _width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render(rows, missing="-"):
    """Rows of cells as aligned text.

    >>> print(render([["spam", 1.5], ["eggs", 42]]))
    spam   1.5
    eggs    42
    """
    cells = [[missing if cell is None else str(cell) for cell in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = []
    for row in cells:
        left = row[0] + " " * (widths[0] - _width(row[0]))
        right = [" " * (w - _width(c)) + c for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join([left, *right]).rstrip())
    return "\\n".join(lines)
'''


def test_the_first_leaf_of_each_type_varies_and_the_shape_stays() -> None:
    variants = near_examples(([["spam", 1.5], ["eggs", 42]],), {"missing": "-"})
    by_key = {v.key: v for v in variants}
    # The top-level text "-" gets corruptions only as a positional argument: none here.
    assert set(by_key) == {"str-0", "str-1", "str-2", "float-0", "float-1", "float-2",
                           "int-0", "int-1", "int-2"}  # fmt: skip
    assert by_key["str-0"].args == ([["中文字", 1.5], ["eggs", 42]],)
    assert by_key["int-0"].args == ([["spam", 1.5], ["eggs", 0]],)
    assert by_key["float-2"].args == ([["spam", 1e45], ["eggs", 42]],)
    assert all(v.kwargs == {"missing": "-"} and v.index == 0 for v in variants)
    # Nothing nested: only the text corruptions of the first two text arguments.
    assert {v.key.split("-")[0] for v in near_examples(("a,b", 3), {})} == {"0"}


def test_regressions_inside_the_example_table_are_caught(
    guarded: Callable[[str, str], Guarded],
) -> None:
    grid = guarded("grid", GRID)
    assert "with wide characters inside it; guards unicode-fast-path" in grid.guard_text()
    # Widths by len(): only wide characters in a cell show it.
    proc = grid.run_with(
        "def _width(text):\n    return sum(", "def _width(text):\n    return len(text)\n    sum("
    )
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "example-near-0-str-0" in proc.stdout, proc.stdout[-2000:]
    # A falsy cell taken as missing: only a zero in the table shows it.
    proc = grid.run_with("missing if cell is None else", "missing if not cell else")
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "example-near-0-int-0" in proc.stdout or "float-0" in proc.stdout, proc.stdout[-2000:]
    # Widths of ASCII text by len(): right, and faster.
    grid.assert_passes(
        "def _width(text):\n",
        "def _width(text):\n    if text.isascii():\n        return len(text)\n",
    )
