"""Outputs as inputs: what one target returns, given to another target's parameters."""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

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
