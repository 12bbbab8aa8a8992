"""A recorded call whose values need the user's modules is skipped, never a crash.

Seen on a real library: the project's tests recorded a call with a value of the
library's own type, and ``generate`` crashed unpickling it in its own process,
where the library does not import.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest

from pytest_autoimprove.generators.performance.inputs import load_call


def test_a_call_of_builtin_values_loads() -> None:
    assert load_call(pickle.dumps(((1, "a"), {"b": 2.5}, None))) == ((1, "a"), {"b": 2.5})


def test_a_call_whose_values_need_a_missing_module_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "userlib_for_load_call.py").write_text("class Duration:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import userlib_for_load_call

    payload = pickle.dumps(((userlib_for_load_call.Duration(),), {}, None))
    monkeypatch.delitem(sys.modules, "userlib_for_load_call")
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p != str(tmp_path)])
    assert load_call(payload) is None
