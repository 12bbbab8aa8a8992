"""The private helpers a target calls are mutated with it: that is where an agent's
rewrite lands."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pytest_autoimprove.config import parse_text
from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.generators.performance.helpers import private_helpers

CODEC = '''
def encode(value: int) -> bytes:
    """The value as a tag, a length and its bytes."""
    body = _body(value)
    return bytes([2, len(body)]) + body


def _body(value):
    text = _digits(value)
    if value < 0:
        return b"-" + text
    return text


def _digits(value):
    return str(abs(value)).encode()


def decode(data: bytes) -> int:
    return int(data[2:])


class Writer:
    def __init__(self):
        self._parts = _fresh()

    def add(self, value):
        self._parts.append(self._pack(value))
        return len(self._parts)

    def _pack(self, value):
        return encode(value)

    def __repr__(self):
        return "Writer()"


def _fresh():
    return []
'''


def test_each_target_s_private_helpers_are_found_nearest_first() -> None:
    found = private_helpers(CODEC, ["encode", "decode", "Writer", "Writer.add"])
    assert found["encode"] == ["_body", "_digits"]  # _digits through _body
    assert "decode" not in found  # it calls no helper of its own
    assert found["Writer"] == ["_fresh"]  # a class stands for its __init__
    # A method's own private methods; a target (encode) is never a helper.
    assert found["Writer.add"] == ["Writer._pack"]
    assert private_helpers("def broken(:\n", ["broken"]) == {}


IMPROVE = """\
# autoimprove: codec

## Change
scope: codec.py
Make `encode` faster.

## Check
run: python bench.py
goal: lower
kind: speed
"""


def test_the_named_target_is_mutated_in_the_helpers_it_calls(tmp_path: Path) -> None:
    # asn1's Encoder.write does its work in _encode_integer; mutants of write's own
    # body alone never asked whether a rewrite of the integer encoder shows.
    (tmp_path / "codec.py").write_text(textwrap.dedent(CODEC), encoding="utf-8")
    request = GenerateRequest(
        root=tmp_path,
        modules=(Path("codec.py"),),
        kind="speed",
        config=parse_text(IMPROVE),
        time_budget=40,
    )
    result = generate(request, trace=False)
    rows = {row.target: row for row in result.strength}
    encode = rows["codec.encode"]
    # encode's own body offers no mutation site: every mutant is one of a helper's.
    assert encode.total >= 2, encode
    assert all(s.startswith(("in `_body`", "in `_digits`")) for s in encode.survivors)
    assert encode.killed >= 1, encode
