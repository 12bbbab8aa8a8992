"""The same object twice in one input: not a cycle.

An encoder refuses a list inside itself by marking each container it enters; a
rewrite that never unmarks one (to save the ``finally``) refuses a list that merely
appears twice. Hypothesis and literal edge values build every item afresh, so only an
input that holds one object twice shows it; the data file keeps it shared (pickle
keeps identity within one value).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.values import Kind, edge_values

ENCODER = '''
def dumps(obj) -> str:
    """``obj`` (lists, ints, strings) as text; a list inside itself raises ValueError."""
    entered: set[int] = set()

    def walk(value) -> str:
        if isinstance(value, list):
            if id(value) in entered:
                raise ValueError("circular reference")
            entered.add(id(value))
            try:
                return "[" + ", ".join(walk(item) for item in value) + "]"
            finally:
                entered.discard(id(value))
        return repr(value)

    return walk(obj)
'''


def _repeated(kind: Kind) -> list[object]:
    return [v for v, risk in edge_values(kind) if risk == "repeated-object"]


def test_an_untyped_or_nested_parameter_takes_one_list_held_twice() -> None:
    for kind in (Kind("unknown"), Kind("list", Kind("unknown")), Kind("list", Kind("list"))):
        (value,) = _repeated(kind)
        assert isinstance(value, list) and value[0] is value[1]
        copy = pickle.loads(pickle.dumps(value))
        assert copy[0] is copy[1] and copy[0] is not value[0]
    assert not _repeated(Kind("list", Kind("int"))) and not _repeated(Kind("str"))


def test_a_mark_never_cleared_is_caught(guarded: Callable[[str, str], Guarded]) -> None:
    project = guarded("encoder", ENCODER)
    assert "guards repeated-object" in project.guard_text()
    project.assert_caught(
        "            finally:\n                entered.discard(id(value))\n",
        "            finally:\n                pass\n",
    )
    project.assert_passes(
        '", ".join(walk(item) for item in value)', '", ".join([walk(item) for item in value])'
    )
