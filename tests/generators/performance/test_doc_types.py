"""Types a docstring gives an unannotated parameter are resolved like annotations."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from guarded import Guarded

from pytest_autoimprove.generators.performance.doc_types import documented_type

DOC = """Set the stack up.

Args:
  stack: :class:`~pkg.filters.FilterStack` instance
  options: Dictionary with options validated by validate_options.
  count (int, optional): how many
:param str name: the name
:type fp: file-like object
:type node: Node or None
items : list of str
"""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("stack", "pkg.filters.FilterStack"),
        ("options", None),
        ("count", "int"),
        ("name", "str"),
        ("fp", None),  # no type expression
        ("node", "Node | None"),
        ("items", "list[str]"),
        ("missing", None),
    ],
)
def test_the_type_each_convention_gives(name: str, expected: str | None) -> None:
    assert documented_type(DOC, name) == expected


TREES = '''
class Node:
    """A node of a tree."""

    def __init__(self, label="root", children=()):
        self.label = label
        self.children = list(children)


def depth(node):
    """How deep the tree under ``node`` goes.

    :type node: Node
    """
    if not node.children:
        return 1
    return 1 + max(depth(child) for child in node.children)
'''


def test_a_class_a_docstring_names_is_built_by_its_constructor(
    guarded: Callable[[str, str], Guarded],
) -> None:
    trees = guarded("trees", TREES)
    guard = trees.guard_text()
    assert "args=(Build('Node')" in guard, guard[-3000:]
    trees.assert_caught(
        "    if not node.children:\n        return 1\n",
        "    if not node.children:\n        return 0\n",
    )
