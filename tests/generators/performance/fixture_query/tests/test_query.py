from __future__ import annotations

import pytest
from tinyquery import search
from tinyquery.lexer import LexerError
from tinyquery.parser import ParseError

DATA = {"a": {"b": [{"c": 1}, {"c": 2}], "Name": "x"}, "list": [10, 20, 30]}


def test_fields() -> None:
    assert search("a.b[1].c", DATA) == 2
    assert search("a.Name", DATA) == "x"
    assert search("list[-1]", DATA) == 30


def test_missing() -> None:
    assert search("a.zz", DATA) is None
    assert search("list[7]", DATA) is None


def test_errors() -> None:
    with pytest.raises(ParseError):
        search("a.", DATA)
    with pytest.raises(LexerError):
        search("a\x01", DATA)
