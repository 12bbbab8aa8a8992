"""Mutation operators: each one, on a tiny function, makes a mutant that behaves differently."""

from __future__ import annotations

import textwrap
import types
from collections.abc import Callable
from typing import Any

import pytest

from pytest_autoimprove.generators import catalog
from pytest_autoimprove.generators.performance.mutants import (
    OPERATORS,
    ModuleMutator,
    Mutant,
    count_sites,
    mutants_for,
)


def _load(source: str) -> types.ModuleType:
    module = types.ModuleType("mutated")
    exec(compile(source, "<test>", "exec"), module.__dict__)
    return module


def _outcome(call: Callable[[], Any]) -> Any:
    try:
        return ("returned", call())
    except Exception as error:
        return ("raised", type(error).__name__)


#: operator -> (module source, target, a call that tells the mutant apart)
OPERATOR_CASES: dict[str, tuple[str, str, Callable[[types.ModuleType], Any]]] = {
    "drop-none-check": (
        """
        def size(items):
            if items is None:
                return 0
            return len(items)
        """,
        "size",
        lambda m: m.size(None),
    ),
    "drop-special-case": (
        """
        def label(n):
            if n == 1:
                return "one item"
            return f"{n} items"
        """,
        "label",
        lambda m: m.label(1),
    ),
    "drop-branch": (
        """
        def sign(x):
            if x > 0:
                return 1
            elif x < 0:
                return -1
            else:
                return 0
        """,
        "sign",
        lambda m: (m.sign(5), m.sign(-5)),
    ),
    "drop-input-form": (
        """
        def as_list(value):
            if isinstance(value, (list, tuple)):
                return list(value)
            return [value]
        """,
        "as_list",
        lambda m: (m.as_list((1, 2)), m.as_list([1, 2])),
    ),
    "drop-condition": (
        """
        def printable(text):
            return "".join(c for c in text if c.isprintable() and c not in "<>")
        """,
        "printable",
        lambda m: (m.printable("a<b"), m.printable("a\tb")),
    ),
    "narrow-except": (
        """
        def to_int(text):
            try:
                return int(text)
            except (ValueError, TypeError):
                return None
        """,
        "to_int",
        lambda m: (m.to_int(None), m.to_int("x")),
    ),
    "off-by-one": (
        """
        def firsts(items, n):
            return [items[i] for i in range(n)]
        """,
        "firsts",
        lambda m: m.firsts([1, 2, 3], 3),
    ),
    "float-for-decimal": (
        """
        from decimal import Decimal

        def total(prices):
            return sum(Decimal(p) for p in prices)
        """,
        "total",
        lambda m: str(m.total(["0.1", "0.2"])),
    ),
    "skip-normalisation": (
        """
        def key(name):
            return name.strip()
        """,
        "key",
        lambda m: m.key(" a "),
    ),
    "drop-sign": (
        """
        def negate(x):
            return -x
        """,
        "negate",
        lambda m: m.negate(3),
    ),
    "add-cache": (
        """
        class Scale:
            def __init__(self, factor):
                self.factor = factor

            def apply(self, x):
                return self.factor * x
        """,
        "Scale.apply",
        lambda m: (m.Scale(2).apply(3), m.Scale(10).apply(3)),
    ),
    "shared-result": (
        """
        def pair(x):
            return [x, x]
        """,
        "pair",
        lambda m: m.pair(1) is m.pair(1),
    ),
    "mutate-argument": (
        """
        def ordered(items):
            return sorted(items)
        """,
        "ordered",
        lambda m: (lambda xs: (m.ordered(xs), xs))([3, 1, 2]),
    ),
    "reorder-output": (
        """
        def ranked(scores):
            return sorted(scores)
        """,
        "ranked",
        lambda m: m.ranked([3, 1, 2]),
    ),
}


def test_every_operator_has_a_case_and_a_catalog_risk() -> None:
    assert set(OPERATOR_CASES) == set(OPERATORS)
    for risk, _ in OPERATORS.values():
        assert catalog.risk(risk).description


@pytest.mark.parametrize("operator", sorted(OPERATOR_CASES))
def test_operator_makes_a_mutant_that_behaves_differently(operator: str) -> None:
    source, target, witness = OPERATOR_CASES[operator]
    source = textwrap.dedent(source)
    mutants = [m for m in mutants_for(source, target) if m.operator == operator]
    assert mutants, f"no {operator} mutant of {target}"
    original = _outcome(lambda: witness(_load(source)))

    def behaves(mutant: Mutant) -> Any:
        return _outcome(lambda: witness(_load(mutant.source)))

    changed = [m for m in mutants if behaves(m) != original]
    assert changed, [m.description for m in mutants]
    mutant = changed[0]
    assert mutant.risk == OPERATORS[operator][0]
    assert mutant.line >= 1 and f"line {mutant.line}:" in mutant.description


def test_a_method_is_cut_out_edited_and_spliced_back() -> None:
    source = textwrap.dedent(
        '''
        """A module with text around the target."""

        TEXT = """
        not code: if x is None:
        """


        class Box:
            def __init__(self, items):
                self.items = list(items)

            def first(self, default=None):
                """Docstring stays first."""
                if not self.items:
                    return default
                return self.items[0]


        def after():
            return 1
        '''
    )
    mutants = ModuleMutator(source).mutants("Box.first")
    drop = next(m for m in mutants if m.operator == "drop-none-check")
    assert drop.line == source.splitlines().index("        if not self.items:") + 1
    before, _, rest = source.partition("    def first")
    assert drop.source.startswith(before)  # the text around the target is untouched
    assert drop.source.endswith("def after():\n    return 1\n")
    assert "if not self.items" not in drop.source
    compile(drop.source, "<mutant>", "exec")
    ctor = ModuleMutator(source).mutants("Box")
    assert [m.operator for m in ctor] == ["mutate-argument"]  # list(items) -> items


def test_mutants_are_deterministic_and_limited_fairly() -> None:
    source = textwrap.dedent(
        """
        def busy(text, items):
            if text is None:
                return None
            a = text.strip().lower().replace("-", " ")
            b = items[1:3] + items[:2] + items[2:]
            c = sorted(items)
            return [a, b, c, -len(items)]
        """
    )
    total = count_sites(source, "busy")
    assert total > 6
    one = mutants_for(source, "busy", limit=4, seed="x")
    two = mutants_for(source, "busy", limit=4, seed="x")
    assert [m.source for m in one] == [m.source for m in two]
    assert len(one) == 4
    # Operators take turns: four mutants, four different operators.
    assert len({m.operator for m in one}) == 4
    assert len(mutants_for(source, "busy")) == total


def test_a_pure_function_gets_no_cache_mutant() -> None:
    # A memo on a pure function of immutable values is an honest optimization.
    source = "def square(x):\n    return x * x\n"
    assert not [m for m in mutants_for(source, "square") if m.operator == "add-cache"]


def test_unknown_targets_and_broken_source_give_no_mutants() -> None:
    assert mutants_for("def f(x):\n    return -x\n", "g") == []
    assert mutants_for("def f(:\n", "f") == []
    assert count_sites("class C:\n    pass\n", "C") == 0


def test_description_names_the_edit() -> None:
    mutant = Mutant("f", "skip-normalisation", 3, "s.strip() -> s", "")
    assert mutant.description == "line 3: skip a normalisation: `s.strip() -> s`"
    assert mutant.risk == "changed-behaviour"


def test_each_part_of_a_condition_is_dropped_once_at_every_level() -> None:
    source = textwrap.dedent(
        """
        def keep(word, stop, limit=None):
            if word and not (word in stop or len(word) > 9):
                return word
            while limit or stop:
                return None
        """
    )
    dropped = [m for m in mutants_for(source, "keep") if m.operator == "drop-condition"]
    bodies = {m.source.splitlines()[2].strip() for m in dropped if m.line == 3}
    assert bodies == {
        "if word:",
        "if not (word in stop or len(word) > 9):",
        "if word and not (len(word) > 9):",
        "if word and not (word in stop):",
    }
    # `limit or stop` on a parameter: dropping `stop` is the None check's operator.
    loops = [m.source.splitlines()[4].strip() for m in dropped if m.line == 5]
    assert loops == ["while stop:"]
