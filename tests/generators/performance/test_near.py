"""Near examples: the project's example calls varied where fast paths slip.

A table given as the docstring shows it (a list of rows) keeps its shape; one cell
at a time becomes wide text, an empty string, zero or an exponent-sized float. A
document given as text (a TOML file in a README) is also given in parts: each block,
then single lines of new shapes.
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.near import near_examples, parts

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


SECTIONS = '''
def parse(text):
    """Sections of ``key = value`` lines; keys before the first section go under "".

    >>> parse(\'\'\'# settings
    ... title = "demo"
    ...
    ... [owner]
    ... name = "Tom"
    ... age = 42
    ... \'\'\')
    {'': {'title': 'demo'}, 'owner': {'name': 'Tom', 'age': 42}}
    """
    out = {"": {}}
    section = out[""]
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = out.setdefault(line[1:-1].strip(), {})
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        section[key.strip()] = int(value) if value.isdigit() else value.strip(\'"\')
    return out
'''


def test_a_document_comes_in_blocks_then_lines_of_new_shapes() -> None:
    document = '# a\ntitle = "demo"\n\n[owner]\nname = "Tom"\nage = 42\nkind = "x"\n'
    assert parts(document) == [
        ('# a\ntitle = "demo"\n', "one block of it alone"),
        ('[owner]\nname = "Tom"\nage = 42\nkind = "x"\n', "one block of it alone"),
        ('title = "demo"\n', "one line of it alone"),
        ("[owner]\n", "one line of it alone"),
        ("age = 42\n", "one line of it alone"),
        ('name = "Tom"\n', "one line of it alone"),  # the shape of title's: last
        ('kind = "x"\n', "one line of it alone"),
    ]
    assert parts("a = 1\nb = 2\n") == []  # two lines: no document to take apart
    keys = {v.key for v in near_examples((document,), {})}
    assert {"0-part-0", "0-part-6"} <= keys


def test_a_regression_only_a_part_of_the_example_document_shows_is_caught(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("sections", SECTIONS)
    assert "with one block of it alone" in project.guard_text()
    # The root section made only when a key needs it: the whole example has a key
    # before its first section, its [owner] block alone does not.
    lazy = SECTIONS.replace('out = {"": {}}\n    section = out[""]', "out = {}\n    section = None")
    lazy = lazy.replace(
        '        key, _, value = line.partition("=")',
        '        if section is None:\n            section = out.setdefault("", {})\n'
        '        key, _, value = line.partition("=")',
    )
    (project.root / "sections.py").write_text(lazy, encoding="utf-8")
    proc = project.run()
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "part" in proc.stdout, proc.stdout[-2000:]
    project.assert_passes(
        'line.startswith("[") and line.endswith("]")', 'line[:1] == "[" and line[-1:] == "]"'
    )
