"""doctests.py: examples from docstrings, README and docs/ as recorded calls."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pytest_autoimprove.generators.discover import discover
from pytest_autoimprove.generators.performance.doctests import DocCall, harvest, output_matches
from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.runtime.replay import Build, Ref

MODULE = '''
"""Humanizing numbers.

>>> intcomma(1000000)
'1,000,000'
"""

from decimal import Decimal


def intcomma(value, ndigits=None):
    """A comma every three digits.

    >>> intcomma(Decimal("1234.5"), ndigits=2)
    '1,234.50'
    >>> print(intcomma(-12))
    -12
    >>> intcomma(float("nan"))
    'nan'
    >>> intcomma("x")
    Traceback (most recent call last):
        ...
    ValueError: not a number
    >>> intcomma(*args)
    'skipped: a starred argument'
    """


class Parser:
    """Reads queries.

    >>> p = Parser(strict=True)
    >>> p.parse("a b")
    ['a', 'b']
    >>> Parser().parse("c")
    ['c']
    >>> x = compile_query("a")
    >>> run(x)
    1
    """

    def __init__(self, strict=False):
        self.strict = strict

    def parse(self, text):
        return text.split()


def compile_query(text):
    return text


def run(query):
    return 1
'''

README = """
# humanize

```pycon
>>> from hz.numbers import intcomma
>>> intcomma(10**7)
'10,000,000'
```

```python
>>> import hz.numbers as n
>>> list(n.Parser().parse("x y"))
['x', 'y']
>>> from hz import intcomma as ic
>>> ic(5)
'5'
>>> from hz.numbers import Color
>>> n.intcomma(Color.RED)
'RED'
```
"""


def _harvest(tmp_path: Path) -> dict[str, list[DocCall]]:
    (tmp_path / "hz").mkdir()
    (tmp_path / "hz" / "__init__.py").write_text("")
    (tmp_path / "hz" / "numbers.py").write_text(textwrap.dedent(MODULE))
    (tmp_path / "README.md").write_text(README)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "usage.md").write_text(
        ">>> from hz.numbers import run, compile_query\n>>> run(compile_query('q'))\n1\n"
    )
    info = discover(tmp_path, Path("hz/numbers.py"))
    facts = read_facts((tmp_path / "hz/numbers.py").read_text(), "hz.numbers")
    found = harvest(
        tmp_path, [info], {"hz.numbers": facts.docstring}, {"hz.numbers": facts.imports}
    )
    return found["hz.numbers"]


def test_docstring_examples_become_calls(tmp_path: Path) -> None:
    calls = _harvest(tmp_path)["intcomma"]
    first = calls[0]
    assert (first.args, first.kwargs, first.want) == ((1000000,), {}, "'1,000,000'\n")
    assert first.where == "hz/numbers.py:3"
    decimal = calls[1]
    assert decimal.args == (Build("decimal.Decimal", "1234.5"),) and decimal.kwargs == {
        "ndigits": 2
    }
    printed = calls[2]
    assert (printed.args, printed.wrapper, printed.want) == ((-12,), "print", "-12\n")
    nan = calls[3].args[0]
    assert nan != nan  # float("nan") is rebuilt as a value
    assert (calls[4].args, calls[4].raises) == (("x",), "ValueError")
    assert len(calls) == 8  # the starred call is left out; README adds three


def test_readme_and_docs_examples_follow_imports(tmp_path: Path) -> None:
    calls = _harvest(tmp_path)
    readme = [c for c in calls["intcomma"] if c.where.startswith("README.md")]
    assert [c.args for c in readme] == [(10000000,), (5,), (Ref("Color.RED"),)]
    assert readme[0].where == "README.md:6"
    assert [c.args for c in calls["run"]] == [
        (Build("compile_query", "a"),),
        (Build("compile_query", "q"),),
    ]
    assert calls["run"][1].where.startswith("docs/usage.md")


def test_methods_of_objects_built_in_the_session(tmp_path: Path) -> None:
    found = _harvest(tmp_path)
    calls = found["Parser.parse"]
    assert [(c.args, c.ctor) for c in calls] == [
        (("a b",), ((), {"strict": True})),
        (("c",), ((), {})),
        (("x y",), ((), {})),
    ]
    assert calls[2].wrapper == "list"
    # ``p = Parser(strict=True)`` is an example of the constructor too, output unshown.
    [built] = [c for c in found["Parser"] if c.kwargs == {"strict": True}]
    assert (built.args, built.shown) == ((), False)


def test_the_shown_output_confirms_the_harvest() -> None:
    assert output_matches("1,000,000", None, "'1,000,000'\n", "", "")
    assert not output_matches("1000000", None, "'1,000,000'\n", "", "")
    assert output_matches(-12, None, "-12\n", "", "print")
    assert output_matches(["a", "b"], None, "['a',\n 'b']\n", "", "list")
    assert output_matches(None, None, "", "", "")
    assert output_matches(None, ValueError("x"), "Traceback...\n", "ValueError", "")
    assert not output_matches(None, KeyError("x"), "Traceback...\n", "ValueError", "")
    assert output_matches("a" * 80, None, "'aaa...'\n", "", "")  # ELLIPSIS


def test_code_blocks_show_calls_without_output(tmp_path: Path) -> None:
    # No prompts, no output: the calls are cases (assigned, in a try, in a with),
    # never confirmed by an output and never evidence for a finding.
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.rst").write_text(
        textwrap.dedent(
            """
            Usage
            =====

            .. code-block:: python

                from hz.numbers import intcomma
                text = intcomma(1234)
                try:
                    intcomma("bad")
                except ValueError:
                    pass

            Shell, not Python::

                intcomma 99
            """
        )
    )
    (tmp_path / "README.md").write_text(
        '```python\nimport hz.numbers as n\nwith open("f") as f:\n    n.run("q")\n```\n'
        "```sh\nrun q2\n```\n"
    )
    (tmp_path / "hz").mkdir()
    (tmp_path / "hz" / "__init__.py").write_text("")
    (tmp_path / "hz" / "numbers.py").write_text(textwrap.dedent(MODULE))
    info = discover(tmp_path, Path("hz/numbers.py"))
    found = harvest(tmp_path, [info], {}, {})["hz.numbers"]
    from_docs = [c for c in found["intcomma"] if c.where.startswith("docs/")]
    assert [c.args for c in from_docs] == [(1234,), ("bad",)]
    assert from_docs[0].where == "docs/guide.rst:8"
    assert not any(c.shown for c in from_docs)
    readme = [(c.args, c.where) for c in found["run"] if c.where.startswith("README")]
    assert readme == [(("q",), "README.md:4")]  # the ```sh block is not Python


def test_an_output_written_as_a_comment_is_the_shown_output(tmp_path: Path) -> None:
    (tmp_path / "cards.py").write_text(
        textwrap.dedent(
            '''
            def check(value):
                """Whether ``value`` is all digits.

                >>> check("42")
                # Output: True
                >>> check("4x")
                # => False
                >>> check("")
                # a remark, not an output
                """
                return value.isdigit()
            '''
        ),
        encoding="utf-8",
    )
    info = discover(tmp_path, Path("cards.py"))
    calls = harvest(tmp_path, [info], {"cards": ""}, {"cards": {}})["cards"]["check"]
    assert [(c.args, c.want) for c in calls] == [
        (("42",), "True\n"),
        (("4x",), "False\n"),
        (("",), "# a remark, not an output\n"),
    ]
    assert output_matches(True, None, calls[0].want, "", "")
    assert not output_matches(False, None, calls[2].want, "", "")


SCHEMAS = '''
class Schema:
    """What data must look like.

    >>> Schema(int).validate(123)
    123
    >>> Schema((int, float)).validate(1.5)
    1.5
    >>> Schema({"name": str}).validate({"name": "Sue"})
    {'name': 'Sue'}
    >>> Schema(print).validate(1)
    1
    """

    def __init__(self, schema):
        self.schema = schema

    def validate(self, data):
        return data
'''


def test_builtin_types_are_values_of_an_example(tmp_path: Path) -> None:
    # schema's README: `Schema(int).validate(123)`, types as the constructor's argument
    # (its main input form); builtin functions (print) are not values.
    (tmp_path / "schemas.py").write_text(textwrap.dedent(SCHEMAS))
    info = discover(tmp_path, Path("schemas.py"))
    facts = read_facts((tmp_path / "schemas.py").read_text(), "schemas")
    found = harvest(tmp_path, [info], {"schemas": facts.docstring}, {"schemas": facts.imports})
    calls = found["schemas"]["Schema.validate"]
    assert [c.ctor for c in calls] == [
        ((Ref("builtins.int"),), {}),
        (((Ref("builtins.int"), Ref("builtins.float")),), {}),
        (({"name": Ref("builtins.str")},), {}),
    ]
