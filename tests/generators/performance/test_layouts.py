"""Binary layouts: a parser gets bytes in the struct formats its own code reads."""

from __future__ import annotations

import struct
from collections.abc import Callable

import pytest
from guarded import Guarded

from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.generators.performance.layouts import layout_bytes

SOURCE = """
import struct

HEADER = struct.Struct(">HBBBL")
SETTING = ">HL"


class FrameError(ValueError):
    pass


def parse_header(header: bytes) -> tuple[int, int, int, int]:
    try:
        length_hi, length_lo, kind, flags, stream = HEADER.unpack(header)
    except struct.error as error:
        raise FrameError("invalid header") from error
    return (length_hi << 8) + length_lo, kind, flags, stream & 0x7FFFFFFF


def parse_settings(data: bytes) -> dict[int, int]:
    settings = {}
    for i in range(0, len(data), 6):
        name, value = struct.unpack(SETTING, data[i : i + 6])
        settings[name] = value
    return settings


def parse(data: bytes) -> tuple[int, int, int, int]:
    return parse_header(data[:9])


class Ping:
    BODY = struct.Struct("<Q")

    def parse_body(self, data: memoryview) -> int:
        return self.BODY.unpack(data)[0]
"""


def test_formats_are_read_from_the_code_and_its_callees() -> None:
    layouts = read_facts(SOURCE, "frames").layouts
    assert layouts["parse_header"] == [">HBBBL"]
    assert layouts["parse_settings"] == [">HL"]  # a module constant
    assert layouts["parse"] == [">HBBBL"]  # through the function it calls
    assert layouts["Ping.parse_body"] == ["<Q"]  # a class attribute on self


@pytest.mark.parametrize("fmt", [">HBBBL", "<Q", "!4sH?x", "3B", "<hf", "@i"])
def test_layout_bytes_unpack_in_their_format(fmt: str) -> None:
    made = layout_bytes(fmt)
    assert [how for _, how in made][-1].endswith("twice")
    size = struct.calcsize(fmt)
    for data, _ in made[:-1]:
        assert len(data) == size
        struct.unpack(fmt, data)
    assert len(made[-1][0]) == 2 * size


def test_what_is_not_a_format_gives_nothing() -> None:
    assert layout_bytes("hello world") == []
    assert layout_bytes("") == []


def test_a_parser_of_a_binary_header_gets_headers(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # hyperframe's parse_frame_header(header: memoryview): random bytes are never 9
    # long, so every call raised and the real path was never run.
    project = guarded("frames", SOURCE)
    text = project.guard_text()
    assert "# bytes in the code's struct layout '>HBBBL', counting up" in text
    # guards: the reserved bit no longer masked off the stream id
    project.assert_caught("stream & 0x7FFFFFFF", "stream")
    # guards: a setting after the first one read at the wrong offset
    project.assert_caught("data[i : i + 6]", "data[0:6]")
