"""The benchmark init writes: what it times, how it is calibrated, how repeats follow noise."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove import bench
from pytest_autoimprove.bench import calibrate
from pytest_autoimprove.bench.template import BenchCall, render

MODULE = """
def lazy(n):
    return (i * i for i in range(n))

def grow(items):
    items.append(1)
    return len(items)

def fails(x):
    raise KeyError(x)

class Box:
    def __init__(self, size):
        self.size = size
    def area(self):
        return self.size * self.size

def area_of(box):
    return box.area()
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    (tmp_path / "boxes.py").write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    sys.modules.pop("boxes", None)
    return importlib.import_module("boxes")


def spec(
    qualname: str, kind: str, args: tuple[object, ...], ctor: object = None
) -> dict[str, object]:
    return {
        "module": "boxes",
        "qualname": qualname,
        "kind": kind,
        "payload": pickle.dumps((args, {}, ctor)),
        "origin": "recorded",
    }


def test_calibration_skips_what_raises_and_copies_what_mutates(module: object) -> None:
    ok = calibrate.measure_call(module, spec("lazy", "function", (50,)), {})  # type: ignore[arg-type]
    assert ok["status"] == "ok" and ok["fresh"] is False and ok["source"][0] == "(50,)"
    grows = calibrate.measure_call(module, spec("grow", "function", ([0],)), {})  # type: ignore[arg-type]
    assert grows["status"] == "ok" and grows["fresh"] is True
    raised = calibrate.measure_call(module, spec("fails", "function", (1,)), {})  # type: ignore[arg-type]
    assert raised["status"] == "raised" and "KeyError" in raised["message"]
    area = calibrate.measure_call(
        module,  # type: ignore[arg-type]
        spec("Box.area", "method", (), "auto"),
        {"Box": [pickle.dumps(((3,), {}, None))]},
    )
    assert area["status"] == "ok" and area["source"][2] == "((3,), {})"


def test_planned_values_are_built_before_they_are_stored(module: object) -> None:
    """The generators may plan an argument as a recipe (``Build("Box", 3)``); the
    benchmark stores the value itself, so it needs none of our runtime."""
    from pytest_autoimprove.runtime.replay import Build

    result = calibrate.measure_call(module, spec("area_of", "function", (Build("Box", 3),)), {})  # type: ignore[arg-type]
    assert result["status"] == "ok", result
    args, _, _ = pickle.loads(result["payload"])
    assert type(args[0]).__name__ == "Box" and args[0].size == 3


def test_the_script_is_plain_python_and_deterministic() -> None:
    calls = [
        BenchCall("boxes", "lazy", "function", False, source=("(50,)", "{}", "None")),
        BenchCall("boxes", "grow", "function", True, source=("([0],)", "{}", "None")),
    ]
    options = {
        "metric": "time", "rounds": 3, "modules": ["boxes"], "import_roots": ["."], "pickled": None,
        "origin": "from the tests", "targets": ["boxes.grow", "boxes.lazy"],
    }  # fmt: skip
    text = render(calls, **options)  # type: ignore[arg-type]
    assert text == render(calls, **options)  # type: ignore[arg-type]
    compile(text, "autoimprove_bench.py", "exec")
    assert "import pytest" not in text and "pytest_autoimprove" not in text


def test_the_script_times_and_prints_the_score_with_its_unit(tmp_path: Path) -> None:
    (tmp_path / "boxes.py").write_text(MODULE)
    calls = [BenchCall("boxes", "lazy", "function", False, source=("(200,)", "{}", "None"))]
    for metric, kind in (("time", "speed"), ("memory", "memory")):
        script = tmp_path / f"bench_{metric}.py"
        script.write_text(
            render(
                calls,
                metric=metric,
                rounds=2,
                modules=["boxes"],
                import_roots=["."],
                pickled=None,
                origin="",
                targets=["boxes.lazy"],
            )  # fmt: skip
        )
        done = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        found = re.search(bench.score_regex(kind), done.stdout)
        assert found and float(found[1]) > 0, done.stdout


@pytest.mark.parametrize(
    ("relative", "repeats"),
    [(None, None), (0.0, 1), (0.008, 8), (0.02, 12), (0.05, 20), (0.2, bench.NOISY_REPEATS)],
)
def test_repeats_follow_the_measured_noise(relative: float | None, repeats: int | None) -> None:
    assert bench.repeats_for(bench.Noise((1.0, 1.0), relative)) == repeats


def test_noise_of_a_few_runs() -> None:
    values = iter([10.0, 10.2, 9.9, 10.1, 10.0])
    noise = bench.measure_noise(5, lambda: next(values))
    assert noise.scores == (10.0, 10.2, 9.9, 10.1, 10.0)
    assert noise.relative is not None and 0.005 < noise.relative < 0.02
    assert str(noise).startswith("noise ±") and str(noise).endswith("over 5 runs")
    flat = bench.measure_noise(4, lambda: 3.0)
    assert flat.relative == 0 and str(flat) == "no noise: 4 identical runs"
    assert bench.measure_noise(5, lambda: None).relative is None


CACHING = """
import functools

_CACHE = {}
REGISTRY = {"json": "builtin"}


def cached(n):
    if n not in _CACHE:
        _CACHE[n] = sum(range(n))
    return _CACHE[n]


@functools.lru_cache(maxsize=None)
def memo(n):
    return n * 2


def by_default(n, _seen={}):
    _seen[n] = True
    return len(_seen)


def make_counter():
    calls = []

    def count(n):
        calls.append(n)
        return len(calls)

    return count


count = make_counter()


class Parser:
    _CACHE = {}

    def parse(self, text):
        return self._CACHE.setdefault(text, text.split())
"""


def test_a_pass_starts_from_the_state_after_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caches of the code in scope are put back before every pass: a pass times work."""
    from pytest_autoimprove.bench.script import State

    (tmp_path / "caching.py").write_text(CACHING)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("caching", None)
    import importlib

    mod = importlib.import_module("caching")
    state = State(["caching"])
    for n in (10, 20):
        mod.cached(n), mod.memo(n), mod.by_default(n), mod.count(n), mod.Parser().parse(f"a {n}")
    mod.REGISTRY["yaml"] = "plugin"
    assert mod.memo.cache_info().currsize == 2 and mod.count(1) == 3
    state.reset()
    assert mod._CACHE == {} and mod.Parser._CACHE == {}
    assert mod.memo.cache_info().currsize == 0
    assert mod.by_default(1) == 1 and mod.count(1) == 1
    assert mod.REGISTRY == {"json": "builtin"}  # as imported, not emptied
