"""The search for inputs that tell a mutant apart: found when one exists, never invented."""

from __future__ import annotations

import pickle
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_autoimprove.generators.performance.mutants import mutants_for
from pytest_autoimprove.generators.performance.search import MAX_NUDGES, _nudged, run
from pytest_autoimprove.runtime.replay import Case

SOURCE = """
def names(items):
    if len(items) == 0:
        return []
    return [str(x).strip() for x in items]


def clip(text, width):
    if len(text) > width:
        return text[:width] + "~"
    return text


class BadNumber(ValueError):
    pass


def number(text):
    try:
        return int(text.strip())
    except Exception as error:
        raise BadNumber(error)


class Block:
    def __init__(self, text, index=0):
        self.text = text
        self.index = index

    def render(self, eol):
        if eol != "\\n":
            return self.text.replace("\\n", eol)
        return self.text
"""


@pytest.fixture
def module(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "searched.py").write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        yield str(tmp_path)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("searched", None)


def _job(qualname: str, operator: str, calls: list[tuple[Any, ...]], **extra: Any) -> dict:
    mutant = next(
        m for m in mutants_for(textwrap.dedent(SOURCE), qualname) if m.operator == operator
    )
    params = {
        "names": [{"name": "items", "kind": "positional", "default": False}],
        "clip": [
            {"name": "text", "kind": "positional", "default": False},
            {"name": "width", "kind": "positional", "default": False},
        ],
        "number": [{"name": "text", "kind": "positional", "default": False}],
        "Block.render": [{"name": "eol", "kind": "positional", "default": False}],
    }[qualname]
    return {
        "id": f"{qualname}:{operator}",
        "module": "searched",
        "qualname": qualname,
        "kind": "method" if "." in qualname else "function",
        "operator": operator,
        "source": mutant.source,
        "payloads": [
            (f"real-{i}", pickle.dumps((args, {}, ctor), protocol=4))
            for i, (args, ctor) in enumerate(
                call if "." in qualname else (call, None) for call in calls
            )
        ],
        "params": params,
        "strategies": None,
        "expected": ["BadNumber"],
        "tolerance": None,
        "case_ids": ["mutant-0", "mutant-1"],
        **extra,
    }


def test_an_equivalent_mutant_gets_no_input(module: str) -> None:
    # Without the emptiness check the comprehension returns [] anyway.
    job = _job("names", "drop-none-check", [(["a", " b"],), ([],)])
    result = run({"sys_path": [module], "jobs": [job], "budget": 20})
    found = result["jobs"][job["id"]]
    assert found["searched"] and found["records"] == []


def test_a_nudged_argument_tells_an_off_by_one_apart(module: str) -> None:
    # `len(text) > width` -> `len(text) >= width` differs only when they are equal; the
    # recorded call clips 6 letters to 3: cutting the text short finds the boundary.
    job = _job("clip", "off-by-one", [("abcdef", 3)])
    result = run({"sys_path": [module], "jobs": [job], "budget": 20})
    [record] = result["jobs"][job["id"]]["records"]
    assert record["id"] == "mutant-0" and record["status"] == "ok"
    case: Case = pickle.loads(record["pickle"])
    assert case.id == "mutant-0"
    assert case.args[1] == len(case.args[0])  # the boundary
    assert case.returns == case.args[0]


def test_text_as_none_tells_a_narrowed_except_apart(module: str) -> None:
    # iso8601's parse_date turns any error into its ParseError; `except Exception` made
    # `except ValueError` lets None's AttributeError out. Only text was ever planned.
    job = _job("number", "narrow-except", [(" 12 ",), ("x",)])
    result = run({"sys_path": [module], "jobs": [job], "budget": 20})
    [record] = result["jobs"][job["id"]]["records"]
    case: Case = pickle.loads(record["pickle"])
    assert not isinstance(case.args[0], str)
    assert case.raises == "searched.BadNumber"


def test_a_planned_call_keeps_its_id(module: str) -> None:
    job = _job("clip", "off-by-one", [("abcdef", 3), ("abc", 3)])
    [record] = run({"sys_path": [module], "jobs": [job], "budget": 20})["jobs"][job["id"]][
        "records"
    ]
    assert record["origin"] == "real-1"


BLOCK_PARAMS = [
    {"name": "text", "kind": "positional", "default": False},
    {"name": "index", "kind": "positional", "default": True},
]


def test_an_instance_built_another_way_tells_a_method_mutant_apart(module: str) -> None:
    # srt's Subtitle.to_srt: without its `eol != "\\n"` branch, the line breaks of the
    # content are no longer replaced. Every planned instance holds one line, so no
    # argument of the call tells it apart; an instance whose text has two does.
    job = _job(
        "Block.render",
        "drop-special-case",
        [(("\r\n",), (("abc",), {})), (("\n",), (("xyz",), {"index": 2}))],
        ctor_params=BLOCK_PARAMS,
    )
    [record] = run({"sys_path": [module], "jobs": [job], "budget": 20})["jobs"][job["id"]][
        "records"
    ]
    case: Case = pickle.loads(record["pickle"])
    (text, *_), _ = case.ctor
    assert "\n" in text and case.args[0] != "\n"
    assert case.returns == text.replace("\n", case.args[0])


def test_constructor_arguments_are_drawn_from_their_strategies(module: str) -> None:
    # The same mutant where nothing planned is close: the instance's text comes from
    # the constructor's strategy (a method's search draws its instance too).
    job = _job(
        "Block.render",
        "drop-special-case",
        [(("\r\n",), ((1,), {}))],
        ctor_params=BLOCK_PARAMS,
        ctor_strategies={"text": "st.sampled_from(['one', 'two\\nlines'])"},
    )
    [record] = run({"sys_path": [module], "jobs": [job], "budget": 20})["jobs"][job["id"]][
        "records"
    ]
    case: Case = pickle.loads(record["pickle"])
    assert case.ctor[0][0] == "two\nlines"


@pytest.mark.parametrize(
    ("value", "some"),
    [
        ("abc", ["", "ab", "bc", "ABC", " abc ", None, b"abc", "abc\nabc"]),
        ("41", ["42", "4", " 41 "]),
        # an empty field, a doubled leading mark, other line ends, mixed case
        ("a=1&B=2", ["a==1&B=2", "aa=1&B=2", "A=1&b=2", "a=1&B=2\r\na=1&B=2"]),
        (b"\xef\xbb\xbfx", [b"\xef\xef\xbb\xbfx", b"\xef\xbb\xbfx\r\n\xef\xbb\xbfx"]),
        ("a\ud800", ["A\ud800", b"a\xed\xa0\x80"]),  # a lone surrogate still nudges
        (b"41", [b"42", b"4", b" 41 ", None]),
        (10, [9, 11, -10, 0]),
        ([1, 2, 3], [[], [1, 2], [3, 2, 1], [2, 3]]),
        ({"a": 1, "b": 2}, [{"b": 2}, {"a": 1}]),
        (True, [False]),
    ],
)
def test_nudges(value: object, some: list[object]) -> None:
    nudged = _nudged(value)
    for item in some:
        assert item in nudged
    assert value not in nudged


@pytest.mark.parametrize(
    "value",
    [
        "x" * 200_000,
        list(range(200_000)),
        {f"k{i}": i for i in range(20_000)},
    ],
    ids=["text", "list", "mapping"],
)
def test_a_huge_edge_value_is_cut_at_its_ends_and_middle(value: Any) -> None:
    # Every prefix of a huge edge value (a text of 10**5 characters, a mapping of
    # thousands of keys) took time quadratic in its length: the search ran past its
    # deadline and was killed with nothing found for any mutant.
    nudged = _nudged(value)
    assert len(nudged) <= MAX_NUDGES
    if isinstance(value, dict):
        first, last = next(iter(value)), list(value)[-1]
        assert {k: v for k, v in value.items() if k != first} in nudged
        assert {k: v for k, v in value.items() if k != last} in nudged
    else:
        assert value[:1] in nudged
        assert value[: len(value) - 1] in nudged or value[1:] in nudged
