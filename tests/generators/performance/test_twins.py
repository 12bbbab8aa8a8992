"""Twins: a comparison method is called with values its instance may equal.

``__eq__`` called with unrelated values answers ``False`` whatever it does; a rewrite
that compares case-sensitively shows only on an equal-looking other side.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from guarded import Guarded

from pytest_autoimprove.config import parse_text
from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.performance import generate

IMPROVE = """\
# autoimprove: names

## Change
scope: names.py
Speed up `Name.__eq__` in names.py.

## Check
run: python bench.py
goal: lower
kind: speed
"""

NAMES = '''
class Name:
    """A person's name, compared without regard to case or spacing."""

    def __init__(self, full: str = "") -> None:
        self.full = " ".join(full.split())

    def __str__(self) -> str:
        return self.full

    def __eq__(self, other: object) -> bool:
        return str(self).lower() == " ".join(str(other).split()).lower()

    def __hash__(self) -> int:
        return hash(self.full.lower())
'''


def _guarded(root: Path) -> Guarded:
    source = textwrap.dedent(NAMES)
    (root / "names.py").write_text(source, encoding="utf-8")
    request = GenerateRequest(
        root=root,
        modules=(Path("names.py"),),
        kind="speed",
        config=parse_text(IMPROVE),
        time_budget=20,
    )
    for file in generate(request, trace=False, mutate=False).files:
        file.write(root)
    return Guarded(root, "names", source)


def test_an_equality_method_meets_equal_looking_values(tmp_path: Path) -> None:
    # nameparser's HumanName.__eq__ lower-cases both sides: without the lower-casing,
    # HumanName("John Smith") == "JOHN SMITH" turns False, which no random text shows.
    names = _guarded(tmp_path)
    guard = names.guard_text()
    assert "# the instance's constructor text in capitals" in guard
    assert "a twin of the instance" in guard
    names.assert_caught(
        '        return str(self).lower() == " ".join(str(other).split()).lower()\n',
        '        return str(self) == " ".join(str(other).split())\n',
    )
    names.assert_caught(
        '        return str(self).lower() == " ".join(str(other).split()).lower()\n',
        "        return str(self).lower() == str(other).lower()\n",
    )
