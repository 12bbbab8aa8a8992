"""Fixture packages are data for the tests beside them, not tests of this suite; the
``guarded`` fixture builds the one-module project of :mod:`guarded`."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from guarded import Guarded

from pytest_autoimprove.generators import SLOWNESS_ENV, GenerateRequest
from pytest_autoimprove.generators.performance import generate

collect_ignore = ["fixture_fmtkit", "fixture_query"]


@pytest.fixture
def guarded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], Guarded]:
    """``guarded(name, source)``: ``name.py`` written, its speed guardrails generated
    without tracing or mutation testing (what one input source gives, alone).

    No test is dropped as too slow because other test processes share the machine:
    these tests check what is generated, not how fast it runs."""
    monkeypatch.setenv(SLOWNESS_ENV, "20")

    def make(name: str, source: str) -> Guarded:
        text = textwrap.dedent(source)
        (tmp_path / f"{name}.py").write_text(text, encoding="utf-8")
        request = GenerateRequest(
            root=tmp_path, modules=(Path(f"{name}.py"),), kind="speed", time_budget=30
        )
        for file in generate(request, trace=False, mutate=False).files:
            file.write(tmp_path)
        return Guarded(tmp_path, name, text)

    return make
