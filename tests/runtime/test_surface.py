"""The public surface check: names and signatures kept, internal parameters aside."""

from __future__ import annotations

import re
import types

import pytest

from pytest_autoimprove.runtime.replay import check_surface, surface_of

_CHUNK = re.compile("[a-z]+")


def _module(source: str) -> types.ModuleType:
    module = types.ModuleType("scanned")
    module.__dict__["CHUNK"] = _CHUNK
    exec(source, module.__dict__)  # noqa: S102 - the test's own source
    return module


BEFORE = _module("def scan(s, end=0, _m=CHUNK.match, _len=len):\n    return _m(s, end)\n")
AFTER = _module("def scan(s, end=0):\n    return CHUNK.match(s, end)\n")


def test_internal_parameters_are_not_part_of_the_surface() -> None:
    assert surface_of(BEFORE, ["scan"]) == {"scan": "(s, end=0)"}
    frozen = surface_of(BEFORE, ["scan"])
    check_surface(AFTER, frozen)  # the local caches dropped: the same surface


def test_a_surface_frozen_with_internal_parameters_still_holds_for_the_same_code() -> None:
    frozen = surface_of(BEFORE, ["scan"], internal=True)
    assert "_m=" in str(frozen["scan"])
    check_surface(BEFORE, frozen)


def test_a_changed_public_parameter_is_still_caught() -> None:
    frozen = surface_of(BEFORE, ["scan"])
    renamed = _module("def scan(text, end=0, _m=CHUNK.match):\n    return _m(text, end)\n")
    with pytest.raises(AssertionError, match="signatures changed"):
        check_surface(renamed, frozen)
