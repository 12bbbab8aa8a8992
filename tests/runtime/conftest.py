"""Shared fixtures of the runtime tests.

The legacy guard folders are data for test_legacy_guards.py, not tests of this suite.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

collect_ignore = ["legacy"]

BASELINE = "_autoimprove_baseline"


def forget_baseline() -> None:
    """Drop every imported module of a baseline copy: each test's copy is its own."""
    for name in list(sys.modules):
        if name.split(".")[0] == BASELINE:
            del sys.modules[name]


@pytest.fixture
def baseline_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh ``_autoimprove_baseline`` package on ``sys.path``; yields its folder.

    Whatever copy another test in this worker imported is forgotten before and after,
    so ``import _autoimprove_baseline.x`` finds this test's files."""
    root = tmp_path / "baseline-copy"
    package = root / BASELINE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    forget_baseline()
    monkeypatch.syspath_prepend(str(root))
    yield package
    forget_baseline()
