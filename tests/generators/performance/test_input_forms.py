"""Input forms: a parameter the code checks with ``isinstance`` comes in its other form.

"A format, or a list of formats": each form has a branch of its own, and a rewrite of
the list branch (a short list no longer padded) shows only when a list comes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from guarded import Guarded

from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.generators.performance.facts import read_facts

FORMATS = '''
DEFAULT = "g"


def render(values, floatfmt=DEFAULT):
    """The values formatted, one format for all or one per value."""
    if isinstance(floatfmt, str):
        formats = [floatfmt] * len(values)
    else:
        formats = list(floatfmt)
        if len(formats) < len(values):
            formats += [DEFAULT] * (len(values) - len(formats))
    return " ".join(format(v, f) for v, f in zip(values, formats))


def first_word(words):
    if isinstance(words, (list, tuple)):
        words = words[0] if words else ""
    return words.split(" ")[0]
'''


def test_the_types_a_function_checks_its_parameters_against() -> None:
    facts = read_facts(textwrap.dedent(FORMATS), "formats")
    assert facts.forms == {
        "render": {"floatfmt": ["str"]},
        "first_word": {"words": ["list", "tuple"]},
    }


def test_a_dropped_branch_of_the_other_form_is_caught(
    guarded: Callable[[str, str], Guarded],
) -> None:
    formats = guarded("formats", FORMATS)
    guard = formats.guard_text()
    # The default constant as a list of one, and a text where a list goes.
    assert "kwargs={'floatfmt': ['g']}" in guard
    assert "# words as a list of one (the code takes more than one form)" in guard
    proc = formats.run_with(
        "        if len(formats) < len(values):\n"
        "            formats += [DEFAULT] * (len(values) - len(formats))\n",
        "",
    )
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "form-floatfmt" in proc.stdout, proc.stdout[-2000:]
    # One format for all, built without a list: the same text.
    formats.assert_passes(
        "        formats = [floatfmt] * len(values)\n",
        "        return ' '.join(format(v, floatfmt) for v in values)\n",
    )


MERGE = """
def merged(base: dict, **extra: int) -> dict:
    \"\"\"``base`` with the keyword items on top.\"\"\"
    out = dict(base)
    out.update(extra)
    return out
"""


def test_keyword_items_reach_a_kwargs_parameter(guarded: Callable[[str, str], Guarded]) -> None:
    project = guarded("merging", MERGE)
    assert "kwargs={'alpha': 3, 'beta': 10}" in project.guard_text()
    # guards: the keyword form of the input dropped by a fast path
    project.assert_caught("    out.update(extra)\n", "")


CONTROL = """
BytesLike = bytes, bytearray, memoryview


def prepare(data: str | bytes) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    elif isinstance(data, BytesLike):
        return bytes(data)
    raise TypeError("data must be str or bytes-like")
"""


def test_a_tuple_of_types_named_in_the_module_gives_its_forms(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # websockets' prepare_ctrl: `isinstance(data, BytesLike)`, a module tuple; without a
    # bytearray coming in, dropping the bytes() copy (a mutable result) went unseen.
    project = guarded("control", CONTROL)
    assert "data as a bytearray" in project.guard_text()
    project.assert_caught("        return bytes(data)\n", "        return data\n")


ORDINALS = '''
import re

DIGIT = re.compile(r"\\d")
SUFFIX = {1: "st", 2: "nd", 3: "rd"}


def ordinal(num: int | str) -> str:
    """The ordinal of a number, or of a number written as text."""
    if DIGIT.match(str(num)):
        if isinstance(num, (int, float)):
            n = int(num)
        elif "." in num:
            n = int(num[-1])
        else:
            n = int(num)
        return f"{num}{SUFFIX.get(n % 10, 'th')}"
    return num + "th"
'''


def test_a_number_comes_in_each_kind_the_check_names(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # inflect's ordinal: annotated int | str, but `isinstance(num, (int, float))` lets
    # 3.0 in; a fast path that drops the float form raised TypeError unseen.
    project = guarded("ordinals", ORDINALS)
    assert "# num as a float (the code takes more than one form)" in project.guard_text()
    project.assert_caught(
        "        if isinstance(num, (int, float)):\n", "        if type(num) is int:\n"
    )


ENCODER = '''
import struct
from typing import IO


class Encoder:
    def __init__(self, fp: IO[bytes]) -> None:
        self.fp = fp

    def encode_length(self, major: int, length: int) -> None:
        """Write a length header."""
        major <<= 5
        if length < 24:
            self.fp.write(struct.pack(">B", major | length))
        elif length < 256:
            self.fp.write(struct.pack(">BB", major | 24, length))
        else:
            self.fp.write(struct.pack(">BQ", major | 27, length))
'''


def test_an_encoder_writes_to_a_binary_stream(guarded: Callable[[str, str], Guarded]) -> None:
    # cbor2's encode_length: an instance on a StringIO raised at every write, so the
    # bound at 24 was never reached; on a BytesIO, 23/24/25 show an off-by-one.
    project = guarded("encoder", ENCODER)
    assert "st.just('io.BytesIO')" in project.guard_text()
    project.assert_caught("        if length < 24:\n", "        if length <= 24:\n")


SIGNIFICAND = '''
from decimal import Decimal


def significand(value: Decimal) -> int:
    """The digits of a decimal as one integer, its sign kept."""
    sign, digits, _ = value.as_tuple()
    number = int("".join(map(str, digits)))
    return -number if sign else number
'''


def test_a_decimal_longer_than_the_context_precision(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # cbor2's encode_decimal: the significand from Decimal.scaleb, an operation that
    # rounds to the context's 28 digits; only a longer decimal shows it.
    project = guarded("significand", SIGNIFICAND)
    assert "Build('Decimal', '1234567890123456789012345678901.25')" in project.guard_text()
    project.assert_caught(
        '    number = int("".join(map(str, digits)))\n',
        "    number = int(value.copy_abs().scaleb(-value.as_tuple().exponent))\n",
    )


TOKENS = '''
class Tokens(list):
    """The words of a command line, given as a list or as one string."""

    def __init__(self, source: list[str]) -> None:
        super().__init__(source.split() if hasattr(source, "split") else source)

    def first(self):
        return self[0] if self else None
'''


def test_a_duck_typed_check_gives_the_other_form(guarded: Callable[[str, str], Guarded]) -> None:
    # docopt's TokenStream: `source.split() if hasattr(source, 'split') else source`;
    # a rewrite taking argv as a list only split a string into characters, unseen.
    assert read_facts(textwrap.dedent(TOKENS), "tokens").forms == {
        "Tokens.__init__": {"source": ["str"]}
    }
    project = guarded("tokens", TOKENS)
    project.assert_caught(
        '        super().__init__(source.split() if hasattr(source, "split") else source)\n',
        "        super().__init__(source)\n",
    )


ROWS = """
class Row:
    \"\"\"Items in order: ``row[i]`` is an item, ``row[[i, j]]`` a list of items and
    ``row[a:b]`` a new Row.\"\"\"

    def __init__(self, items):
        self.items = list(items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index == slice(None):
                return Row(self.items)
            return Row(self.items[index])
        if isinstance(index, list):
            return [self.items[i] for i in index]
        return self.items[index]

    def __eq__(self, other):
        return isinstance(other, Row) and self.items == other.items
"""

ROWS_TESTS = """
from rows import Row


def test_items():
    row = Row("abc")
    assert row[1] == "b"
    assert row[[0, 2]] == ["a", "c"]
"""


def test_an_index_the_tests_pass_as_an_int_and_a_list_also_comes_as_slices(
    tmp_path: Path,
) -> None:
    # ordered-set's `s[1]` and `s[[0, 2]]`: the index is of no single kind, and the
    # whole slice, where a fast path returns the set itself instead of a copy, was
    # never tried.
    (tmp_path / "rows.py").write_text(textwrap.dedent(ROWS), encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_rows.py").write_text(textwrap.dedent(ROWS_TESTS), "utf-8")
    request = GenerateRequest(root=tmp_path, modules=(Path("rows.py"),), kind="speed")
    for file in generate(request, mutate=False).files:
        file.write(tmp_path)
    project = Guarded(tmp_path, "rows", textwrap.dedent(ROWS))
    assert "a slice instead of an index" in project.guard_text()
    project.assert_caught("return Row(self.items)\n", "return self\n")
    project.assert_passes("return Row(self.items)\n", "return Row(list(self.items))\n")


BAG = """
class Bag:
    \"\"\"Distinct items in order.\"\"\"

    def __init__(self):
        self.items = []
        self.index = {}

    def update(self, values: list[str]) -> int:
        \"\"\"Add every value; ValueError if one cannot be stored.\"\"\"
        try:
            for value in values:
                if value not in self.index:
                    self.index[value] = len(self.items)
                    self.items.append(value)
        except TypeError as error:
            raise ValueError(f"cannot store {values!r}") from error
        return len(self.items)
"""


def test_an_unhashable_item_meets_code_that_hashes_items(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # ordered-set's update(): its try/except turns an unhashable item's TypeError into
    # a ValueError; a rewrite without the try raises TypeError, which no str item shows.
    project = guarded("bag", BAG)
    old = (
        "        try:\n"
        "            for value in values:\n"
        "                if value not in self.index:\n"
        "                    self.index[value] = len(self.items)\n"
        "                    self.items.append(value)\n"
        "        except TypeError as error:\n"
        '            raise ValueError(f"cannot store {values!r}") from error\n'
    )
    new = (
        "        for value in values:\n"
        "            if value not in self.index:\n"
        "                self.index[value] = len(self.items)\n"
        "                self.items.append(value)\n"
    )
    project.assert_caught(old, new)
    project.assert_passes("if value not in self.index:", "if self.index.get(value) is None:")


PATCHES = '''
def lines_of(text):
    """The lines of a patch, given as text or as a list of lines."""
    try:
        lines = text.splitlines()
    except AttributeError:
        lines = text
    return [line.rstrip("\\r\\n") for line in lines]
'''


def test_a_try_for_the_other_form_gives_the_other_form(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # whatthepatch's parse_patch: `try: text.splitlines() except AttributeError: text`;
    # a rewrite calling `text.splitlines()` alone refuses the list readlines() gives.
    assert read_facts(textwrap.dedent(PATCHES), "patches").forms == {"lines_of": {"text": ["str"]}}
    project = guarded("patches", PATCHES)
    project.assert_caught(
        "    try:\n        lines = text.splitlines()\n    except AttributeError:\n"
        "        lines = text\n",
        "    lines = text.splitlines()\n",
    )
