"""Outputs as inputs: what one target returns, given to another target's parameters,
and what the package's writers outside the scope write, given to its parsers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from guarded import Guarded

from pytest_autoimprove.generators import SLOWNESS_ENV, GenerateRequest
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.generators.performance.writers import PER_WRITER, written_by_package

FRAMES = """
import struct


class FrameError(ValueError):
    pass


def encode(kind: int, body: bytes) -> bytes:
    return struct.pack(">HB", len(body), kind) + body


def decode(data: memoryview) -> tuple[int, bytes]:
    if len(data) < 3:
        raise FrameError("short frame")
    length, kind = struct.unpack(">HB", data[:3])
    if len(data) - 3 != length:
        raise FrameError("length does not match")
    return kind, data[3:].tobytes()
"""


def test_bytes_an_encoder_returned_reach_a_decoder_of_memory_views(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # hyperframe's parse_body(data: memoryview): typical bytes are never a valid frame,
    # so the decoder only ever raised; the encoder's output is one.
    project = guarded("frames", FRAMES)
    text = project.guard_text()
    assert "# bytes encode() returned; guards changed-behaviour" in text
    assert "Case('echo-data-1', args=(Build('memoryview', b'" in text
    # guards: the body of a valid frame cut short
    project.assert_caught("data[3:].tobytes()", "data[3:-1].tobytes()")


READER = '''
class ParseError(ValueError):
    pass


def loads(text: str) -> dict:
    """The table ``text`` holds: ``key = value`` lines, ``[name]`` opens a sub-table."""
    out = {}
    table = out
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            table = out.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition(" = ")
        if not sep or not key.isidentifier():
            raise ParseError(f"line {number}: expected key = value")
        table[key] = _value(value, number)
    return out


def _value(text, number):
    if text in ("true", "false"):
        return text == "true"
    if len(text) >= 2 and text[0] == text[-1] == \'"\':
        return text[1:-1]
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [_value(part.strip(), number) for part in inner.split(",")] if inner else []
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise ParseError(f"line {number}: bad value {text!r}") from None
'''

WRITER = '''
def dumps(table: dict) -> str:
    """``table`` as text: ``key = value`` lines, then each sub-table under ``[name]``."""
    lines, tables = [], []
    for key, value in table.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_value(value)}")
    for key, inner in tables:
        lines.append(f"[{key}]")
        lines += [f"{k} = {_value(v)}" for k, v in inner.items() if not isinstance(v, dict)]
    return "\\n".join(lines) + "\\n"


def _value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return \'"\' + str(value) + \'"\'
'''


@pytest.fixture
def parser_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package whose parser is in scope alone; its writer is in another module."""
    monkeypatch.setenv(SLOWNESS_ENV, "20")
    package = tmp_path / "kv"
    package.mkdir()
    init = "from kv.reader import loads\nfrom kv.writer import dumps\n"
    (package / "__init__.py").write_text(init, encoding="utf-8")
    (package / "reader.py").write_text(textwrap.dedent(READER), encoding="utf-8")
    (package / "writer.py").write_text(textwrap.dedent(WRITER), encoding="utf-8")
    request = GenerateRequest(
        root=tmp_path, modules=(Path("kv/reader.py"),), kind="speed", time_budget=30
    )
    for file in generate(request, trace=False, mutate=False).files:
        file.write(tmp_path)
    return tmp_path


def _guards(root: Path, old: str = "", new: str = "") -> subprocess.CompletedProcess[str]:
    reader = root / "kv" / "reader.py"
    source = textwrap.dedent(READER)
    assert old in source
    reader.write_text(source.replace(old, new) if old else source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "tests/autoimprove_guard"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_what_the_package_writer_writes_reaches_the_parser_in_scope(parser_alone: Path) -> None:
    text = (parser_alone / "tests/autoimprove_guard/test_guard_kv_reader.py").read_text()
    assert "# text kv.writer.dumps() returned; guards changed-behaviour" in text
    assert _guards(parser_alone).returncode == 0
    # Only a valid document reaches the values: random text fails at the first line.
    dropped_flags = _guards(parser_alone, 'if text in ("true", "false"):', "if False:")
    assert dropped_flags.returncode == 1, dropped_flags.stdout[-1500:]
    empty_list = _guards(parser_alone, "if inner else []", "if inner or True else []")
    assert empty_list.returncode == 1, empty_list.stdout[-1500:]
    honest = _guards(parser_alone, "        if not line:\n", '        if line == "":\n')
    assert honest.returncode == 0, honest.stdout[-1500:]


def test_a_writer_is_called_on_plain_then_tricky_values_each_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Plain values first, then one table per kind of tricky value (a writer refusing
    # one refuses that table only): escapes, big numbers, a mixed list, each a
    # document of its own.
    package = tmp_path / "kvw"
    package.mkdir()
    (package / "__init__.py").write_text("from kvw.writer import dumps\n", encoding="utf-8")
    (package / "reader.py").write_text("def loads(text):\n    return text\n", encoding="utf-8")
    (package / "writer.py").write_text(textwrap.dedent(WRITER), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import kvw.reader

    written = written_by_package(kvw.reader, ["kvw.reader"])
    assert list(written) == ["kvw.writer.dumps"]
    texts = written["kvw.writer.dumps"]
    assert texts[0].startswith('title = "demo"\n')
    assert 'path = "C:\\new\\table"\n' in texts[1]
    assert any("huge = 100000000000000000000" in t for t in texts)
    assert any('mixed = [1, "a"]' in t for t in texts)
    assert len(texts) == len(set(texts)) <= PER_WRITER
    for name in [m for m in sys.modules if m == "kvw" or m.startswith("kvw.")]:
        monkeypatch.delitem(sys.modules, name)


RECORDS = """
from typing import BinaryIO


class Writer:
    def __init__(self, tag: bytes = b"V"):
        self.tag = tag

    def write(self, outfile: BinaryIO, values: list[int]) -> None:
        outfile.write(self.tag + bytes([len(values)]) + bytes(values))


def read(data: bytes) -> list[int]:
    if data[:1] != b"V":
        raise ValueError("not a record")
    body = data[2 : 2 + data[1]]
    if len(body) != data[1]:
        raise ValueError("short record")
    return list(body)
"""


def test_what_a_writer_wrote_into_its_stream_reaches_the_reader(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # pypng's Writer.write(outfile, rows) returns None: the image is in outfile, and
    # random bytes are never one, so the reader only ever raised.
    project = guarded("records", RECORDS)
    text = project.guard_text()
    assert "# bytes Writer.write() wrote; guards changed-behaviour" in text
    # guards: the first value of a valid record dropped
    project.assert_caught("    return list(body)\n", "    return list(body[1:])\n")
