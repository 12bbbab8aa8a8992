"""Fixtures of the loop tests; the helpers live in toyrepo.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from toyrepo import ToyRepo, make_repo


@pytest.fixture
def toy(tmp_path: Path) -> Callable[..., ToyRepo]:
    def build(**kwargs: object) -> ToyRepo:
        return make_repo(tmp_path, **kwargs)  # type: ignore[arg-type]

    return build
