"""Options mappings: a parameter read by literal keys takes those keys, with the values
the body checks them against.

A random mapping has none of the keys an options dict is read by, so every check
behind them (a bound, a conversion, a list of allowed values) is never reached.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable

import pytest
from guarded import Guarded

from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.generators.performance.option_keys import (
    KeyUse,
    key_values,
    option_keys_of,
    option_strategy,
)

RENDER = '''
def render(text, options):
    """``text`` laid out as ``options`` say."""
    case = options.get("case")
    if case not in [None, "upper", "lower"]:
        raise ValueError(f"unknown case: {case!r}")
    width = options.get("width")
    if width is not None:
        try:
            width = int(width)
        except (TypeError, ValueError):
            raise ValueError(f"width is no number: {width!r}") from None
        if width < 4:
            raise ValueError(f"width below 4: {width}")
        text = text[:width]
    strip = options.get("strip", False)
    if strip not in [True, False]:
        raise ValueError(f"strip must be True or False: {strip!r}")
    if strip:
        text = text.strip()
    if case == "upper":
        text = text.upper()
    elif case == "lower":
        text = text.lower()
    return text
'''


def test_the_keys_a_body_reads_and_what_it_checks_their_values_against() -> None:
    facts = read_facts(textwrap.dedent(RENDER), "render")
    keys = facts.options["render"]["options"]
    assert list(keys) == ["case", "width", "strip"]
    assert keys["case"].literals == [None, "upper", "lower"]
    assert keys["case"].membership
    assert keys["width"].converted and keys["width"].bounds == [4]
    assert keys["strip"].literals == [False, True]
    assert "text" not in facts.options["render"]


def test_the_values_tried_under_a_key() -> None:
    use = KeyUse(literals=[None, "upper", True], bounds=[4], converted=True, membership=True)
    values = [value for value, _ in key_values(use)]
    assert values[:3] == [None, "upper", True]
    assert "UPPER" in values  # a dropped .lower() of the value
    assert 1 in values and any(v is True for v in values)  # 1 == True, not True itself
    assert 3 in values and 5 in values  # next to the bound
    assert "5" in values  # a number as text: the code converts it
    assert [] in values  # unhashable: `in [...]` is no set lookup
    strategy = option_strategy({"case": use, "free": KeyUse()})
    assert strategy.startswith("st.fixed_dictionaries({}, optional={'case': st.one_of(")
    assert "'free': st.one_of(st.integers(" in strategy  # no values named: no sampled_from([])
    ast.parse(strategy)


def test_only_literal_keys_of_parameters_count() -> None:
    node = ast.parse(
        textwrap.dedent(
            """
            def f(session, table, key):
                session.get(key)           # no literal key
                TABLE.get("x")             # not a parameter
                return table[key], table[0]  # not text keys
            """
        )
    ).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert option_keys_of(node, {"session", "table", "key"}) == {}


@pytest.mark.slow(seconds=25)
def test_regressions_behind_an_options_key_are_caught_and_honest_rewrites_pass(
    guarded: Callable[[str, str], Guarded],
) -> None:
    render = guarded("render", RENDER)
    guard = render.guard_text()
    assert "options['width'] as next to the code's bound 4" in guard, guard[-3000:]
    assert "st.fixed_dictionaries({}, optional={'case':" in guard
    # An off-by-one bound: width=4 is rejected.
    render.assert_caught("if width < 4:", "if width <= 4:")
    # The conversion dropped: width='5' raises TypeError, not the module's ValueError.
    render.assert_caught("            width = int(width)\n", "            pass\n")
    # A set for the allowed values: an unhashable case raises TypeError.
    render.assert_caught(
        'if case not in [None, "upper", "lower"]:', 'if case not in {None, "upper", "lower"}:'
    )
    # A strict type test: 1 and 0 equal True and False, and were let through.
    render.assert_caught("if strip not in [True, False]:", "if not isinstance(strip, bool):")
    # The allowed values hoisted into a tuple: the same behaviour.
    render.assert_passes(
        'if case not in [None, "upper", "lower"]:', 'if case not in (None, "upper", "lower"):'
    )
    render.assert_passes('    elif case == "lower":\n', "    elif case is not None:\n")


def test_keyword_options_are_passed_by_keyword(guarded: Callable[[str, str], Guarded]) -> None:
    fmt = guarded(
        "fmt",
        '''
        def fmt(text, **options):
            """``text`` as ``options`` say."""
            width = options.get("width", 10)
            if width < 4:
                raise ValueError(f"width below 4: {width}")
            return text[:width]
        ''',
    )
    guard = fmt.guard_text()
    assert "kwargs={'width': 4}" in guard, guard[-3000:]
    fmt.assert_caught("if width < 4:", "if width <= 4:")
