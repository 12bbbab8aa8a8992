"""The project's doctests run under the tracer: a README example of the public API
gives real inputs to the inner function it reaches, with no test in the project."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.discover import discover
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.generators.performance.doctest_run import (
    doctest_command,
    examples_command,
    examples_file,
    with_doctest_calls,
)
from pytest_autoimprove.generators.performance.tracer import MAX_PER_TARGET, run_tracer

PUBLIC = '''
"""Lists of numbers written as text.

>>> loads("[1, 22, 333]")
[1, 22, 333]
"""

from numlist.scanner import scan


def loads(text):
    values, _ = scan(text, 1)
    return values
'''

# The scanner reads from an index: guessed inputs (text and an int) rarely get past
# its first check, so only a real call shows it at work.
SCANNER = '''
def scan(text, end):
    """Numbers of ``text`` from ``end`` up to the closing bracket, and where it ends."""
    values = []
    number = ""
    while text[end] != "]":
        char = text[end]
        if char.isdigit():
            number += char
        elif char == ",":
            values.append(int(number))
            number = ""
        elif char != " ":
            raise ValueError(f"unexpected {char!r} at {end}")
        end += 1
    if number:
        values.append(int(number))
    return values, end + 1
'''


def _project(root: Path, *, readme: str = "") -> None:
    package = root / "numlist"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(PUBLIC), encoding="utf-8")
    (package / "scanner.py").write_text(textwrap.dedent(SCANNER), encoding="utf-8")
    (root / "tests").mkdir()
    if readme:
        (root / "README.md").write_text(readme, encoding="utf-8")


def test_the_command_runs_the_packages_and_the_pages_that_hold_examples(tmp_path: Path) -> None:
    _project(tmp_path, readme="# numlist\n\n```\n>>> loads('[4]')\n[4]\n```\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plain.md").write_text("No example here.\n", encoding="utf-8")
    info = discover(tmp_path, Path("numlist/scanner.py"))
    command = doctest_command(tmp_path, [info])
    assert command is not None
    assert "--doctest-modules" in command and "--doctest-continue-on-failure" in command
    assert command[-2:] == ["numlist", "README.md"]  # docs/plain.md holds no example


def test_no_example_anywhere_runs_nothing(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "numlist" / "__init__.py").write_text("from numlist.scanner import scan\n")
    info = discover(tmp_path, Path("numlist/scanner.py"))
    assert doctest_command(tmp_path, [info]) is None


def test_the_tests_records_come_first_and_a_call_is_kept_once() -> None:
    test_call = {"payload": b"a", "sources": {}}
    traced = {"m": {"f": [test_call]}}
    documented = {"m": {"f": [{"payload": b"a"}, {"payload": b"b"}], "g": [{"payload": b"c"}]}}
    merged = with_doctest_calls(traced, documented)
    assert merged["m"]["f"] == [test_call, {"payload": b"b", "via": "doctests"}]
    assert merged["m"]["g"] == [{"payload": b"c", "via": "doctests"}]
    full = {"m": {"f": [{"payload": bytes([i])} for i in range(MAX_PER_TARGET)]}}
    assert len(with_doctest_calls(full, documented)["m"]["f"]) == MAX_PER_TARGET


# A parser handing each match of its scanner to a handler method, as Markdown
# renderers do: only the package itself builds the match and the state.
INLINE = """
import re

SCANNER = re.compile(r"\\*(\\w+)\\*|`(\\w+)`")


class Inline:
    def __init__(self, strict=False):
        self.strict = strict

    def parse(self, text):
        out = []
        for m in SCANNER.finditer(text):
            self.handle(m, out)
        return out

    def handle(self, m, out):
        out.append(("em", m.group(1)) if m.group(1) else ("code", m.group(2)))
"""

DOCS = """# inline

```python
import inline
inline.Inline().parse("an *em* and `code`")
```

```python
import itertools, inline
for _ in itertools.count():  # never ends: stopped by the alarm
    pass
```

```python
import os, inline
os.remove("x")  # writes: never run
```

Your own text works the same:

```python
inline.Inline(strict=True).parse(your_text)
```

```python
inline.Inline(strict=7).parse(your_text) + 1  # fails after the call: nothing kept
```
"""


def test_the_readmes_code_blocks_record_what_inner_methods_receive(tmp_path: Path) -> None:
    (tmp_path / "inline.py").write_text(textwrap.dedent(INLINE), encoding="utf-8")
    (tmp_path / "README.md").write_text(DOCS, encoding="utf-8")
    info = discover(tmp_path, Path("inline.py"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    script = examples_file(scratch, tmp_path, [info], [str(tmp_path)])
    assert script is not None
    assert "os.remove" not in script.read_text(encoding="utf-8")
    shown, _ = run_tracer(
        tmp_path,
        examples_command(script),
        {str((tmp_path / "inline.py").resolve()): "inline"},
        {"inline": {t.qualname: t.kind for t in info.targets}},
        timeout=30,
    )
    parsed = [pickle.loads(call["payload"]) for call in shown["inline"]["Inline.parse"]]
    # The package imported for the block that forgot to, the name left to the reader
    # given the page's own text; the block that fails keeps nothing.
    assert parsed == [
        (("an *em* and `code`",), {}, ((False,), {})),
        (("an *em* and `code`",), {}, ((True,), {})),
    ]
    handled = [call["sources"] for call in shown["inline"]["Inline.handle"]]
    assert handled[0]["m"] == (
        "Build('pytest_autoimprove.runtime.matches.rematch', '\\\\*(\\\\w+)\\\\*|`(\\\\w+)`', "
        "32, 'an *em* and `code`', 'search', 0, 18)"
    )
    assert len(handled) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "inline.py", "scratch"]


def test_no_code_block_importing_the_package_writes_no_file(tmp_path: Path) -> None:
    _project(tmp_path, readme="```python\nimport json\njson.dumps(1)\n```\n")
    info = discover(tmp_path, Path("numlist/scanner.py"))
    assert examples_file(tmp_path, tmp_path, [info], [str(tmp_path)]) is None


def test_an_inner_function_gets_the_calls_the_public_examples_make(tmp_path: Path) -> None:
    _project(tmp_path, readme="```python\nimport numlist\nnumlist.loads('[7, 8]')\n```\n")
    request = GenerateRequest(
        root=tmp_path, modules=(Path("numlist/scanner.py"),), kind="speed", time_budget=30
    )
    result = generate(request, trace=True, mutate=False)
    guard = next(f for f in result.files if f.path.name == "test_guard_numlist_scanner.py")
    text = guard.content
    assert isinstance(text, str)
    assert "# recorded while the project's doctests ran; guards changed-behaviour" in text
    assert "Case('real-0', args=('[1, 22, 333]', 1), returns=([1, 22, 333], 12)" in text
    # The README's code block, not a doctest, reaches the scanner too.
    assert "# recorded while the code blocks of the project's README and docs ran" in text
    assert "args=('[7, 8]', 1), returns=([7, 8], 6)" in text
