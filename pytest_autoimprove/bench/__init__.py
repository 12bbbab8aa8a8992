"""The benchmark ``init`` writes for speed and memory goals that bring none of their own.

Timing the whole test suite mostly times pytest's start-up: a lexer made 35 % faster
barely moved such a score. This benchmark times what the agent may change instead:

1. the public functions, methods and constructors of the files in scope
   (:func:`pytest_autoimprove.generators.discover.discover`);
2. called with the arguments the project's own tests pass them, recorded by the
   generators' tracer (:mod:`pytest_autoimprove.generators.performance.tracer`); where
   the tests say little, the generators' planned inputs fill in
   (:func:`pytest_autoimprove.generators.performance.plan.plan_module`);
3. calibrated in a subprocess (:mod:`.calibrate`): calls that raise, hang or take
   seconds are left out, calls that change their arguments get fresh copies;
4. written as one plain script (:mod:`.template`, :mod:`.script`) that makes every
   call in one process, pass after pass, each pass from the state the code in scope
   had right after import (its caches put back, so a pass times work, not the last
   pass's results), and prints the CPU time of one pass, ``SCORE: <ms> ms``
   (``<KiB> KiB`` of peak allocations for memory). CPU time, because on a shared
   machine wall time mostly measures the other programs: on a 2-core machine with a
   load of 7, one pass read 0.59 to 0.88 ms of wall time and 0.217 to 0.229 ms of CPU.

:func:`measure_noise` then runs it a few times, and :func:`repeats_for` turns the
spread into improve.md's ``repeats:``.
"""

from __future__ import annotations

import os
import pickle
import statistics
import sys
import tempfile
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_autoimprove import paths
from pytest_autoimprove.bench.template import BenchCall, render
from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.names import GUARD_DIR
from pytest_autoimprove.plural import plural
from pytest_autoimprove.process import run_command

__all__ = [
    "HARNESS",
    "Benchmark",
    "Noise",
    "build",
    "measure_noise",
    "repeats_for",
    "score_regex",
]

#: The script's file name per goal kind.
HARNESS = {"speed": "autoimprove_bench.py", "memory": "autoimprove_memory.py"}
#: The metric each kind's script measures, and its unit.
METRICS = {"speed": ("time", "ms"), "memory": ("memory", "KiB")}
#: Rounds per benchmark run.
ROUNDS = 7
MEMORY_ROUNDS = 3
#: One pass over the calls may take at most this long (calls beyond it are left out).
MAX_PASS_SECONDS = 1.0
#: At most this many calls.
MAX_CALLS = 300
#: Fewer recorded calls than this, and the generators' inputs fill in.
FEW_RECORDED = 5
#: Seconds the project's tests may run under the tracer, and calibration may take.
TRACE_SECONDS = 180.0
CALIBRATE_SECONDS = 120.0


@dataclass(frozen=True)
class Benchmark:
    """A written benchmark: its files and what it times.

    :param files: file name (repo-relative) -> content.
    :param recorded: calls recorded from the project's tests; ``generated``: from the
        generators' inputs.
    :param missed: targets in scope no call could be timed for, with why.
    :param pass_seconds: the calibrated time of one pass over every call.
    """

    files: dict[str, bytes]
    command: str
    score: str
    targets: tuple[str, ...]
    recorded: int
    generated: int
    missed: tuple[str, ...] = ()
    pass_seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def calls(self) -> int:
        return self.recorded + self.generated

    def describe(self) -> str:
        """One paragraph for init's output."""
        script = self.command.split()[-1]
        sources = plural(self.recorded, "call") + " recorded from your tests"
        if self.generated:
            sources += f", {self.generated} from generated inputs"
        text = (
            f"wrote {script}: it times {plural(len(self.targets), 'target')} in scope on "
            f"{sources}, in one process, {ROUNDS} rounds of passes from the state after import"
        )
        if self.missed:
            text += f"; not timed: {', '.join(self.missed[:5])}"
            text += f" and {len(self.missed) - 5} more" if len(self.missed) > 5 else ""
        return text


def score_regex(kind: str) -> str:
    """improve.md's ``score:`` for the script of ``kind`` (the unit is part of the line)."""
    unit = METRICS[kind][1]
    return rf"SCORE: ([\d.]+) {unit}"


def build(
    root: Path,
    *,
    kind: str,
    scope: Sequence[str],
    exclude: Sequence[str] = (),
    test_command: str | None = None,
    trace: bool = True,
) -> Benchmark:
    """Write (return) the benchmark for the code ``scope`` names.

    :raises UsageError: nothing in scope could be called: no module, no public
        function, or every call raised.
    """
    from pytest_autoimprove.generators.discover import ModuleInfo, discover

    if kind not in HARNESS:
        raise ValueError(f"no generated benchmark for kind {kind!r}")
    notes: list[str] = []
    infos: list[ModuleInfo] = []
    for path in _modules(root, scope, exclude):
        try:
            info = discover(root, Path(path))
        except Exception as error:  # noqa: BLE001 - a file libcst cannot read: skip it
            notes.append(f"{path}: not parsed ({type(error).__name__})")
            continue
        if info.name and info.targets:
            infos.append(info)
    if not infos:
        raise UsageError(
            f"scope {', '.join(scope) or '(empty)'}: no public function or class to time; "
            "widen the scope (--scope), or pass your own benchmark with --run"
        )
    traced: dict[str, dict[str, list[dict[str, Any]]]] = {}
    if trace:
        traced, note = _trace(root, infos, test_command)
        if note:
            notes.append(note)
    specs, ctors = _candidates(infos, traced)
    results = _calibrate(root, infos, specs, ctors)
    chosen: list[tuple[dict[str, Any], dict[str, Any]]] = []
    spent = 0.0
    for spec, result in zip(specs, results, strict=True):
        if result.get("status") != "ok" or len(chosen) >= MAX_CALLS:
            continue
        if spent + result["seconds"] > MAX_PASS_SECONDS and chosen:
            continue
        spent += result["seconds"]
        chosen.append((spec, result))
    targets = [f"{i.name}.{t.qualname}" for i in infos for t in i.targets]
    timed = {f"{spec['module']}.{spec['qualname']}" for spec, _ in chosen}
    if not chosen:
        why = _why_none(results)
        raise UsageError(
            f"no call of the {plural(len(targets), 'target')} in scope could be timed ({why}); "
            "pass your own benchmark with --run 'python my_bench.py'"
        )
    return _write(root, kind, infos, chosen, spent, targets, timed, notes)


def _modules(root: Path, scope: Sequence[str], exclude: Sequence[str]) -> list[str]:
    found = paths.expand(root, scope or ["**/*.py"])
    return [
        path
        for path in found
        if path.endswith(".py")
        and not paths.matches_any(path, exclude)
        and not path.startswith((GUARD_DIR, "tests/", "test/"))
        and not Path(path).name.startswith("test_")
        and Path(path).name not in ("conftest.py", "setup.py")
        and not Path(path).name.startswith("autoimprove_")
    ]


def _trace(
    root: Path, infos: Sequence[Any], test_command: str | None
) -> tuple[dict[str, dict[str, list[dict[str, Any]]]], str | None]:
    """The arguments the project's tests pass to the targets (the generators' tracer)."""
    import shlex

    from pytest_autoimprove.generators.performance.tracer import run_tracer

    words = shlex.split(test_command) if test_command else ["pytest", "-q"]
    if words and Path(words[0]).name in ("pytest", "py.test"):
        words = [sys.executable, "-m", "pytest", *words[1:]]
    elif words[:3] == ["python", "-m", "pytest"]:
        words = [sys.executable, *words[1:]]
    # The checkout's own code first on the path, as the loop has it (src/ layouts).
    roots = [str((root / i.import_root).resolve()) for i in infos]
    pythonpath = os.pathsep.join([*dict.fromkeys(roots), os.environ.get("PYTHONPATH", "")])
    command = ["env", f"PYTHONPATH={pythonpath.rstrip(os.pathsep)}", *words]
    files = {str((root / i.path).resolve()): i.name for i in infos}
    targets = {i.name: {t.qualname: t.kind for t in i.targets} for i in infos}
    return run_tracer(root, command, files, targets, timeout=TRACE_SECONDS, ignore=[GUARD_DIR])


def _candidates(
    infos: Sequence[Any], traced: dict[str, dict[str, list[dict[str, Any]]]]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, list[bytes]]]]:
    """Calls to calibrate (recorded first, generated where the tests said little), and
    constructor calls for methods whose instance is still to be found."""
    from pytest_autoimprove.generators.performance.plan import plan_module

    specs: list[dict[str, Any]] = []
    ctors: dict[str, dict[str, list[bytes]]] = {}
    recorded_total = sum(len(calls) for m in traced.values() for calls in m.values())
    for info in infos:
        module_calls = traced.get(info.name, {})
        planned = {tc.target.qualname: tc for tc in plan_module(info, module_calls)}
        for target in info.targets:
            recorded = module_calls.get(target.qualname, [])
            for call in recorded:
                specs.append(_spec(info.name, target, call["payload"], "recorded"))
            plan = planned.get(target.qualname)
            if plan is None:
                continue
            if target.kind == "constructor":
                ctors.setdefault(info.name, {})[target.qualname] = [
                    *(call["payload"] for call in recorded),
                    *(c.payload for c in plan.candidates if c.group == "recorded"),
                ]
            if recorded and recorded_total >= FEW_RECORDED:
                continue
            for candidate in plan.candidates:
                if candidate.group == "recorded" and candidate.origin != "real":
                    specs.append(_spec(info.name, target, candidate.payload, "generated"))
    return specs, ctors


def _spec(module: str, target: Any, payload: bytes, origin: str) -> dict[str, Any]:
    return {
        "module": module,
        "qualname": target.qualname,
        "kind": target.kind,
        "payload": payload,
        "origin": origin,
    }


def _calibrate(
    root: Path,
    infos: Sequence[Any],
    specs: list[dict[str, Any]],
    ctors: dict[str, dict[str, list[bytes]]],
) -> list[dict[str, Any]]:
    request = {
        "sys_path": list(dict.fromkeys(str((root / i.import_root).resolve()) for i in infos)),
        "calls": specs,
        "ctors": ctors,
        "budget": CALIBRATE_SECONDS,
    }
    with tempfile.TemporaryDirectory(prefix="autoimprove-bench-") as tmp:
        inp, out = Path(tmp) / "in.pickle", Path(tmp) / "out.pickle"
        inp.write_bytes(pickle.dumps(request, protocol=4))
        result = run_command(
            [sys.executable, "-m", "pytest_autoimprove.bench.calibrate", str(inp), str(out)],
            cwd=root,
            timeout=CALIBRATE_SECONDS + 30,
            env={"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"},
        )
        if not out.exists():
            raise UsageError(
                f"could not time the code in scope (calibration {_status(result)}): "
                f"{result.tail(3)}; pass your own benchmark with --run"
            )
        data: dict[str, Any] = pickle.loads(out.read_bytes())  # noqa: S301 - our own output
    results: list[dict[str, Any]] = data["results"]
    return results


def _status(result: Any) -> str:
    return "timed out" if result.timed_out else f"exit {result.returncode}"


def _why_none(results: Sequence[dict[str, Any]]) -> str:
    statuses = [str(r.get("status")) for r in results]
    if not statuses:
        return "neither the tests nor the generators gave an input"
    counts = {s: statuses.count(s) for s in dict.fromkeys(statuses)}
    messages = [str(r["message"]) for r in results if r.get("message")]
    text = ", ".join(f"{n} {status}" for status, n in counts.items())
    return text + (f"; e.g. {messages[0]}" if messages else "")


def _write(
    root: Path,
    kind: str,
    infos: Sequence[Any],
    chosen: Sequence[tuple[dict[str, Any], dict[str, Any]]],
    pass_seconds: float,
    targets: Sequence[str],
    timed: set[str],
    notes: list[str],
) -> Benchmark:
    name = HARNESS[kind]
    data_name = name.replace(".py", "_inputs.pickle")
    calls = [
        BenchCall(
            spec["module"],
            spec["qualname"],
            spec["kind"],
            bool(result["fresh"]),
            source=tuple(result["source"]) if "source" in result else None,
            payload=result.get("payload"),
        )
        for spec, result in chosen
    ]
    pickled = [c for c in calls if c.source is None]
    files: dict[str, bytes] = {}
    if pickled:
        rows = [(c.module, c.qualname, c.kind, c.payload, c.fresh) for c in pickled]
        files[data_name] = pickle.dumps(rows, protocol=4)
    recorded = sum(1 for spec, _ in chosen if spec["origin"] == "recorded")
    origin = (
        "recorded from the project's tests"
        if recorded == len(chosen)
        else f"({recorded} recorded from the project's tests, "
        f"{len(chosen) - recorded} from the generators' inputs)"
    )
    text = render(
        calls,
        metric=METRICS[kind][0],
        rounds=ROUNDS if kind == "speed" else MEMORY_ROUNDS,
        modules=[info.name for info in infos],
        import_roots=list(dict.fromkeys(i.import_root.as_posix() or "." for i in infos)),
        pickled=data_name if pickled else None,
        origin=origin,
        targets=sorted(timed),
    )
    files[name] = text.encode("utf-8")
    missed = tuple(t for t in targets if t not in timed)
    return Benchmark(
        files=files,
        command=f"python {name}",
        score=score_regex(kind),
        targets=tuple(sorted(timed)),
        recorded=recorded,
        generated=len(chosen) - recorded,
        missed=missed,
        pass_seconds=pass_seconds,
        notes=tuple(notes),
    )


# ---------------------------------------------------------------------------
# Noise and repeats


@dataclass(frozen=True)
class Noise:
    """The benchmark's spread over a few runs of the unchanged code."""

    scores: tuple[float, ...]
    relative: float | None

    def __str__(self) -> str:
        if self.relative is None:
            return f"noise unknown ({plural(len(self.scores), 'run')})"
        if self.relative == 0:
            return f"no noise: {plural(len(self.scores), 'identical run')}"
        return f"noise ±{self.relative:.1%} over {plural(len(self.scores), 'run')}"


def measure_noise(runs: int, measure: Callable[[], float | None], *, budget: float = 60.0) -> Noise:
    """Run ``measure`` up to ``runs`` times (stopping when ``budget`` seconds are spent)."""
    import time

    from pytest_autoimprove.loop.keep import estimate_noise

    scores: list[float] = []
    started = time.monotonic()
    while len(scores) < runs and (len(scores) < 2 or time.monotonic() - started < budget):
        score = measure()
        if score is None:
            break
        scores.append(score)
    if len(scores) < 2:
        return Noise(tuple(scores), None)
    noise = estimate_noise(scores)
    relative = noise.relative if noise.relative is not None else None
    if relative is None and statistics.pstdev(scores) == 0:
        relative = 0.0
    return Noise(tuple(scores), relative)


#: (relative noise up to, repeats): more A/B pairs where the score wobbles more. A pair
#: runs the candidate and the best once each; the keep rule takes at least
#: :data:`~pytest_autoimprove.loop.paired.MIN_PAIRS` (8) and, left adaptive, up to 30.
REPEATS_TABLE = ((0.0, 1), (0.01, 8), (0.03, 12), (0.06, 20))
NOISY_REPEATS = 30


def repeats_for(noise: Noise) -> int | None:
    """improve.md's ``repeats:`` for a benchmark this noisy (``None``: not measured).

    A score that never moves is decided on one run. A quiet one needs few A/B pairs to
    show a real gain (the rank test can keep after 6 pairs of 8); the noisier the
    score, the more pairs it takes to tell a gain from luck, up to the adaptive
    maximum (:mod:`pytest_autoimprove.loop.paired`).
    """
    if noise.relative is None:
        return None
    for limit, repeats in REPEATS_TABLE:
        if noise.relative <= limit:
            return repeats
    return NOISY_REPEATS


def wrap(text: str) -> str:
    """init's long lines, wrapped for a terminal."""
    return textwrap.fill(text, width=100, subsequent_indent="  ")
