"""Guardrails hold under a project's ``filterwarnings = error``.

Many projects turn warnings into errors. The baseline is recorded under Python's
default filters, so a guard file must neither fail to import because rebuilding a
recorded value warns, nor fail on the baseline because a recorded call warns.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.runtime.replay import Case, load_cases

MODULE = '''\
"""Units with a deprecated spelling."""

import warnings


def to_metres(value: float, unit: str = "m") -> float:
    """Metres in ``value`` ``unit``; "meter" still works but warns."""
    if unit == "meter":
        warnings.warn("'meter' is deprecated, write 'm'", DeprecationWarning, stacklevel=2)
        unit = "m"
    factors = {"m": 1.0, "km": 1000.0, "cm": 0.01}
    return value * factors[unit]
'''


class _Warns:
    """A value whose rebuilding warns, as a pattern compiled with a deprecated flag does."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __setstate__(self, state: dict[str, int]) -> None:
        warnings.warn("rebuilt from an old pickle", DeprecationWarning, stacklevel=2)
        self.__dict__.update(state)


def test_recorded_values_load_when_rebuilding_them_warns(tmp_path: Path) -> None:
    blob = pickle.dumps(Case("sample-0", args=(1,), returns=_Warns(3)))
    path = tmp_path / "cases.pickle"
    path.write_bytes(pickle.dumps({"format": 1, "cases": {"sample-0": blob}}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cases = load_cases(path)
    assert cases["sample-0"].returns.n == 3


def _run(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=root,
        env=dict(os.environ, PYTHONHASHSEED="0"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_guards_pass_on_the_baseline_under_filterwarnings_error(tmp_path: Path) -> None:
    (tmp_path / "units.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_units.py").write_text(
        textwrap.dedent(
            """\
            import pytest
            from units import to_metres

            def test_units():
                assert to_metres(2.0, "km") == 2000.0
                with pytest.deprecated_call():
                    assert to_metres(3.0, "meter") == 3.0
            """
        ),
        encoding="utf-8",
    )
    request = GenerateRequest(root=tmp_path, modules=(Path("units.py"),), kind="speed")
    result = generate(request)
    for file in result.files:
        file.write(tmp_path)
    guard = (tmp_path / "tests/autoimprove_guard/test_guard_units.py").read_text("utf-8")
    assert "'meter'" in guard  # the warning call is among the recorded cases
    baseline = _run(tmp_path)
    assert baseline.returncode == 0, baseline.stdout[-3000:]

    # A regression is still caught under the same configuration.
    source = (tmp_path / "units.py").read_text(encoding="utf-8")
    (tmp_path / "units.py").write_text(source.replace('"cm": 0.01', '"cm": 0.1'), "utf-8")
    assert _run(tmp_path).returncode == 1
