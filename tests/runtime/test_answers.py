"""Functions made on the spot are compared by what they answer, not by name alone."""

from __future__ import annotations

import pickle

from pytest_autoimprove.runtime.answers import made_on_the_spot, probes_from, takes_one
from pytest_autoimprove.runtime.compare import Named, difference


def make_filter(words: list[str]) -> object:
    wanted = {w.upper() for w in words}
    return lambda word: word.upper() in wanted


def make_careless_filter(words: list[str]) -> object:
    wanted = set(words)  # the rewrite: .upper() dropped on both sides
    return lambda word: word in wanted


def named(func: object, probes: list[object]) -> Named:
    answers = []
    for value in probes:
        try:
            answers.append((value, "returns", func(value)))  # type: ignore[operator]
        except Exception as error:  # noqa: BLE001
            answers.append((value, "raises", f"builtins.{type(error).__qualname__}"))
    return Named(f"{__name__}.make_filter.<locals>.<lambda>", tuple(answers))


def test_the_inputs_asked_are_the_calls_own_values_in_both_cases_then_ordinary_ones() -> None:
    probes = probes_from((["Yes", "no"],), {"strict": True})
    assert probes[:5] == ["Yes", "yES", "no", "NO", True]
    assert len(probes) == 8
    assert made_on_the_spot(make_filter(["a"]))
    assert not made_on_the_spot(make_filter)
    assert takes_one(make_filter(["a"])) and not takes_one(lambda a, b: a)


def test_a_closure_that_answers_otherwise_differs_though_its_name_matches() -> None:
    expected = named(make_filter(["Yes"]), ["Yes", "yES", "no", 3])
    assert pickle.loads(pickle.dumps(expected)) == expected
    assert difference(make_filter(["Yes"]), expected) is None
    found = difference(make_careless_filter(["Yes"]), expected)
    assert found is not None and "('yES')" in found, found
    # 3 has no .upper(): the baseline raised AttributeError; raising it again is alike.
    assert difference(make_filter(["Yes"]), named(make_filter(["Yes"]), [3])) is None


def test_a_name_recorded_without_answers_still_compares_by_name() -> None:
    assert difference(make_careless_filter(["a"]), Named(f"{__name__}.f.<locals>.<lambda>")) is None
    assert difference(len, Named(f"{__name__}.make_filter")) is not None
