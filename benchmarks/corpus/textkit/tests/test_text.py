from __future__ import annotations

import pytest
from textkit.text import escape_query, slugify, truncate, unique_tokens, word_counts


def test_slugify():
    assert slugify("Hello, World!") == "hello-world"
    assert slugify("a b", sep="_") == "a_b"
    assert slugify(None) == ""


def test_escape():
    assert escape_query('title:"x"') == 'title\\:\\"x\\"'


def test_counts():
    assert word_counts("b a b") == {"b": 2, "a": 1}


def test_truncate():
    assert truncate("hello world", 8) == "hello..."
    with pytest.raises(ValueError):
        truncate("x", -1)


def test_unique():
    assert unique_tokens(["b", "a", "b"]) == ["b", "a"]
