"""facts.py: aliases, regexes and pattern use read from a module's source."""

from __future__ import annotations

import re
import textwrap

from pytest_autoimprove.generators.performance.facts import read_facts

SOURCE = '''
"""Doc of the module."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, NewType, TypeVar, Union

from . import sibling
from .types import Width

if TYPE_CHECKING:
    from decimal import Decimal
    NumberOrString = Union[int, float, "Decimal", str]

Token: TypeAlias = "str | bytes"
UserId = NewType("UserId", int)
N = TypeVar("N", int, float)
Scalar = int | float

DIGITS = r"\\d+"
NUMBER = re.compile(DIGITS + r"(?:\\.\\d+)?", re.I | re.X)
WORD = re.compile("|".join(["[a-z]+", "[A-Z]+"]))
DYNAMIC = re.compile(sibling.pattern())
NOT_A_PATTERN = "hello"


def parse(text: str) -> float:
    return float(_check(text))


def _check(text):
    if not NUMBER.fullmatch(text):
        raise ValueError(text)
    return text


def words(line, strict=False) -> list[str]:
    return re.findall(r"\\w+", line) if strict else WORD.findall(line)


def inline(value):
    return re.compile(r"^[0-9a-f]+$").match(value)


class Lexer:
    TOKEN = re.compile(r"[a-z]+")

    def __init__(self, source):
        self.source = source

    def next(self, pos):
        return self.TOKEN.match(self.source, pos)
'''


def test_aliases_also_those_for_type_checkers_only() -> None:
    facts = read_facts(textwrap.dedent(SOURCE), "pkg.mod")
    assert facts.aliases["NumberOrString"] == 'Union[int, float, "Decimal", str]'
    assert facts.aliases["Token"] == "str | bytes"
    assert facts.aliases["UserId"] == "int"
    assert facts.aliases["N"] == "Union[int, float]"
    assert facts.aliases["Scalar"] == "int | float"
    assert "NOT_A_PATTERN" not in facts.aliases
    assert facts.checking == [
        "from decimal import Decimal",
        'NumberOrString = Union[int, float, "Decimal", str]',
    ]
    assert facts.imports["Decimal"] == "decimal.Decimal"
    assert facts.imports["sibling"] == "pkg.sibling"
    assert facts.imports["Width"] == "pkg.types.Width"
    assert facts.docstring == "Doc of the module."


def test_patterns_read_statically_where_they_are_built_from_literals() -> None:
    facts = read_facts(textwrap.dedent(SOURCE), "pkg.mod")
    number = facts.patterns["NUMBER"]
    assert number.pattern == r"\d+(?:\.\d+)?"
    assert number.flags == re.I | re.X
    assert facts.patterns["WORD"].pattern == "[a-z]+|[A-Z]+"
    assert facts.patterns["DYNAMIC"].pattern is None  # read from the module by the resolver
    assert facts.patterns["Lexer.TOKEN"].pattern == "[a-z]+"


def test_pattern_use_follows_helpers_and_names_the_matched_parameters() -> None:
    facts = read_facts(textwrap.dedent(SOURCE), "pkg.mod")
    assert facts.uses["parse"] == ["NUMBER"]  # through _check
    assert facts.matched.get("parse") is None  # the text reaches the pattern in _check
    assert facts.matched["_check"] == ["text"]
    assert facts.uses["words"] == ["WORD"]
    assert [p.pattern for p in facts.inline["words"]] == [r"\w+"]
    assert facts.matched["words"] == ["line"]
    assert [p.pattern for p in facts.inline["inline"]] == ["^[0-9a-f]+$"]
    assert facts.matched["inline"] == ["value"]
    assert facts.uses["Lexer.next"] == ["Lexer.TOKEN"]
    assert facts.returns["parse"] == "float"


def test_unparsable_source_gives_empty_facts() -> None:
    facts = read_facts("def broken(:\n", "m")
    assert facts.aliases == {} and facts.patterns == {}


def test_constants_of_the_module_and_of_class_bodies() -> None:
    facts = read_facts(
        textwrap.dedent(
            """
            SEP = "-"
            LIMITS = (1, 10)
            JOINED = SEP + "x"
            computed = len("abc")

            class Codec:
                DIGITS = "0123456789"
                table = {c: i for i, c in enumerate(DIGITS)}
            """
        ),
        "m",
    )
    assert facts.constants == {
        "SEP": "-",
        "LIMITS": (1, 10),
        "JOINED": "-x",
        "Codec.DIGITS": "0123456789",
    }


def test_a_container_of_compiled_patterns_is_a_pattern_to_resolve() -> None:
    facts = read_facts(
        textwrap.dedent(
            """
            import re
            FORMATS = ["a+", "b+"]
            PATTERNS = [re.compile(f) for f in FORMATS]
            BY_NAME = {"x": re.compile("x+")}

            def parse(text):
                for pattern in PATTERNS:
                    if pattern.match(text):
                        return pattern
            """
        ),
        "m",
    )
    assert facts.patterns["PATTERNS"].pattern is None  # read from the module at run time
    assert facts.patterns["BY_NAME"].pattern is None
    assert "PATTERNS" in facts.uses["parse"]


def test_a_pattern_a_module_function_compiles_is_a_pattern_to_resolve() -> None:
    facts = read_facts(
        textwrap.dedent(
            """
            import re

            def make_regex(string, extra_flags=0):
                return re.compile(string, re.UNICODE | extra_flags)

            _key = make_regex(r"[a-z]+")
            _label = str.upper("key")

            def read_key(text):
                return _key.match(text)
            """
        ),
        "m",
    )
    assert facts.patterns["_key"].pattern is None  # read from the module at run time
    assert "_label" not in facts.patterns
    assert facts.uses["read_key"] == ["_key"]


def test_tokens_are_the_literals_the_code_reads_not_its_messages() -> None:
    facts = read_facts(
        textwrap.dedent(
            '''
            def unescape(part):
                """Undo '~1' and '~0'."""
                if not hasattr(part, "__len__"):
                    raise TypeError(f"not text: {part!r}")
                if part.startswith("#"):
                    print("a fragment")
                return _swap(part).replace("~0", "~")

            def _swap(part):
                return part.replace("~1", "/")
            '''
        ),
        "m",
    )
    # Its own literals first, then those of the helpers it calls; no docstring, no
    # message, no attribute name.
    assert facts.tokens["unescape"] == ["#", "~0", "~", "~1", "/"]


LOCAL_PATTERN = r"""
import re


def dms_to_float(dms, limit=None):
    try:
        return float(dms)
    except (ValueError, TypeError):
        _dms_re = r"(?P<deg>\d{1,3})[°](?P<dir>[NSEW])?"
        found = re.match(_dms_re, str(dms), flags=re.IGNORECASE)
        hexa = re.search("^[0-9a-f]+$", dms.strip(), re.I)
        return found, hexa
"""


def test_a_pattern_named_in_the_function_and_text_passed_through_str() -> None:
    facts = read_facts(textwrap.dedent(LOCAL_PATTERN), "pkg.mod")
    uses = facts.inline["dms_to_float"]
    assert [(u.pattern, u.flags) for u in uses] == [
        (r"(?P<deg>\d{1,3})[°](?P<dir>[NSEW])?", re.I),
        ("^[0-9a-f]+$", re.I),
    ]
    assert facts.matched["dms_to_float"] == ["dms"]


AFFIXES = r"""
def pattern_to_regex(pattern):
    if pattern.endswith("\\ "):
        pattern = pattern.lstrip()
    else:
        pattern = pattern.strip()
    if pattern.startswith(("!", "#")):
        return None
    return _tail(pattern)


def _tail(pattern):
    return pattern[:-1] if pattern.endswith("/") else pattern
"""


def test_literals_an_end_of_the_text_is_tested_for() -> None:
    facts = read_facts(textwrap.dedent(AFFIXES), "pkg.mod")
    assert facts.affixes["pattern_to_regex"] == [
        ("\\ ", "end"),
        ("!", "start"),
        ("#", "start"),
        ("/", "end"),  # through _tail
    ]
