"""File objects: a parameter the body writes to or reads from gets an in-memory stream,
and what the call wrote (or how far it read) is compared after it.

A writer returns None: without the stream's content after the call, every regression
of what it writes is invisible, whether the stream is an argument (``dump(values, fp)``)
or was handed to the constructor and kept in a private attribute (``Encoder(fp)``).
"""

from __future__ import annotations

import io
import types
from collections.abc import Callable

import pytest
from guarded import Guarded

from pytest_autoimprove.runtime.replay import Build, Case, call, check_differential, replay

WRITERS = '''
import struct


def dump(values, fp):
    """Write each value on a line of its own."""
    for value in values:
        fp.write(f"{value}\\n")


class Encoder:
    """Encode integers into a binary stream."""

    def __init__(self, fp):
        self._fp = fp

    def encode_int(self, value):
        if value < 0:
            self._fp.write(b"-")
            value = -value
        if value < 24:
            self._fp.write(bytes([value]))
        else:
            self._fp.write(b"\\x18" + struct.pack(">Q", value))
'''


def _module(source: str) -> types.ModuleType:
    module = types.ModuleType("writers")
    exec(source, module.__dict__)  # noqa: S102 - the test's own source
    return module


def test_what_a_call_wrote_into_a_built_stream_is_part_of_its_outcome() -> None:
    module = _module(WRITERS)
    out = call(module, "dump", "function", ([1, 2], Build("io.StringIO")))
    assert out.streams == (("1\n2\n", 4),)
    method = call(module, "Encoder.encode_int", "method", (30,), {}, ((Build("io.BytesIO"),), {}))
    assert method.streams == ((b"\x18" + (30).to_bytes(8, "big"), 9),)
    assert not isinstance(out.args[1], io.StringIO)  # the case keeps the Build as written


def test_a_different_content_fails_the_replay_and_the_differential() -> None:
    baseline = _module(WRITERS)
    current = _module(WRITERS.replace('fp.write(f"{value}\\n")', 'fp.write(f"{value}")'))
    case = Case("c", args=([1, 2], Build("io.StringIO")), streams=(("1\n2\n", 4),))
    replay(baseline, "dump", "function", case)
    with pytest.raises(AssertionError, match="streams written or read by the call"):
        replay(current, "dump", "function", case)
    with pytest.raises(AssertionError, match="streams written or read by the call"):
        check_differential(current, baseline, "dump", "function", ([1], Build("io.StringIO")))
    # A case recorded before streams were (streams=None) does not compare them.
    replay(current, "dump", "function", Case("old", args=([1, 2], Build("io.StringIO"))))


def test_writers_regressions_are_caught_and_honest_rewrites_pass(
    guarded: Callable[[str, str], Guarded],
) -> None:
    writers = guarded("writers", WRITERS)
    guard = writers.guard_text()
    assert "streams=" in guard, guard[-3000:]
    writers.assert_caught('fp.write(f"{value}\\n")', 'fp.write(f"{value}")')
    writers.assert_caught("if value < 24:", "if value <= 24:")
    writers.assert_passes(
        '    for value in values:\n        fp.write(f"{value}\\n")\n',
        '    fp.writelines(f"{value}\\n" for value in values)\n',
    )
