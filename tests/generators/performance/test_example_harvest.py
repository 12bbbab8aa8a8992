"""Harvesting the project's examples as whole scripts (README, docs/, docstrings)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pytest_autoimprove.generators.discover import discover
from pytest_autoimprove.generators.performance.examples import example_scripts

CODE = '''
"""Shapes.

>>> area(Square(2))
4
"""


class Square:
    def __init__(self, side):
        self.side = side


def area(shape):
    return shape.side ** 2


def scale(shape, factor):
    return Square(shape.side * factor)
'''

README = """
# shapes

```python
from shapes import Square, area


@dataclass
class Box:
    square: Square
    label: Optional[str] = None


print(area(Box(Square(3)).square))
```

Scaling keeps what the page defined above:

```python
scale(Box(Square(1)).square, 2)
```

Saving a shape is left out of the guardrails:

```python
with open("shape.txt", "w") as out:
    out.write(str(area(Square(1))))
```
"""


def _scripts(tmp_path: Path) -> dict[str, list[tuple[str, str]]]:
    (tmp_path / "shapes.py").write_text(textwrap.dedent(CODE))
    (tmp_path / "README.md").write_text(README)
    info = discover(tmp_path, Path("shapes.py"), all_kinds=True)
    docstrings = {"shapes": "Shapes.\n\n>>> area(Square(2))\n4\n"}
    found = example_scripts(tmp_path, [info], docstrings)["shapes"]
    return {q: [(s.where, s.source) for s in scripts] for q, scripts in found.items()}


def test_a_readme_block_gets_the_imports_the_page_left_out(tmp_path: Path) -> None:
    scripts = _scripts(tmp_path)
    where, source = scripts["area"][1]
    assert where == "README.md:5"
    # ``dataclass`` and ``Optional`` are read but never imported: the standard modules
    # that export them are imported for the block.
    head = source.splitlines()[:2]
    assert sorted(head) == ["from dataclasses import dataclass", "from typing import Optional"]
    assert source.endswith("print(area(Box(Square(3)).square))\n")


def test_a_later_block_reuses_the_imports_and_definitions_above_it(tmp_path: Path) -> None:
    [(where, source)] = _scripts(tmp_path)["scale"]
    assert where == "README.md:20"
    assert "from shapes import Square, area\n" in source
    assert "@dataclass\nclass Box:\n" in source  # the decorator travels with the class
    assert source.endswith("scale(Box(Square(1)).square, 2)\n")
    compile(source, where, "exec")


def test_a_docstring_session_runs_in_its_module(tmp_path: Path) -> None:
    where, source = _scripts(tmp_path)["area"][0]
    assert (where, source) == ("shapes.py:0", "area(Square(2))\n")


def test_a_block_that_writes_files_is_left_out(tmp_path: Path) -> None:
    sources = [s for scripts in _scripts(tmp_path).values() for _, s in scripts]
    assert not any("open(" in s for s in sources)


SESSION_README = """
# shapes

    >>> from shapes import Square, area
    >>> sides = [1, 2, 3]
    >>> [area(Square(s)) for s in sides]
    [1, 4, 9]

A page of examples is cut where the prose comes, each run its own test:

    >>> area(Square(sides[-1]))
    9
"""


def test_a_page_session_is_cut_into_runs_that_carry_what_they_use(tmp_path: Path) -> None:
    (tmp_path / "shapes.py").write_text(textwrap.dedent(CODE))
    (tmp_path / "README.md").write_text(SESSION_README)
    info = discover(tmp_path, Path("shapes.py"), all_kinds=True)
    found = example_scripts(tmp_path, [info], {})["shapes"]
    scripts = [(s.where, s.source) for s in found["area"]]
    assert scripts[0] == (
        "README.md:4",
        "from shapes import Square, area\nsides = [1, 2, 3]\n[area(Square(s)) for s in sides]\n",
    )
    # The second run reads `sides`, assigned in the first: the assignment comes along.
    assert scripts[1] == (
        "README.md:11",
        "from shapes import Square, area\nsides = [1, 2, 3]\narea(Square(sides[-1]))\n",
    )
