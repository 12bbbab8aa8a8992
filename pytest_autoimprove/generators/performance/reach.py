"""Reached calls: what inner code receives when the module's own working calls run.

Without the project's tests, nothing records the inputs of code reached only through
other code: simpleeval's ``SimpleEval._eval_compare(node)`` takes an ``ast.Compare``
that only ``eval("1 < 2")`` builds, a decoder class's methods take the state its
public ``loads`` sets up. Guessed values (``{}``, ``'hello'``) only make such methods
raise, so they had no test, and a rewrite of their real path went unseen.

After the first probe, :func:`reached_calls` replays the calls that worked (the
baseline returned) in a subprocess with the tracer's :class:`~.tracer.Recorder`
installed, and returns what every *other* target in scope received, as the tracer
returns the project's test calls (``"via": "reached"``). The generator plans those
targets again with them. The inputs are the code's own, built on a path that
returned normally: valid by construction, not guessed.

Runs as ``python -m pytest_autoimprove.generators.performance.reach IN OUT``, in a
process group of its own with a timeout, like the probe.
"""

from __future__ import annotations

import importlib
import pickle
import sys
import tempfile
import time
import types
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pytest_autoimprove.generators import scratch_env
from pytest_autoimprove.generators.discover import ModuleInfo
from pytest_autoimprove.generators.performance.plan import TargetCandidates
from pytest_autoimprove.generators.performance.probe import _CallTimeout, _deadline, serve
from pytest_autoimprove.generators.performance.tracer import Recorder, TracedCall
from pytest_autoimprove.runtime.replay import call

__all__ = ["MAX_REACHED", "MAX_REPLAYED", "reached_calls", "run", "with_reached"]

#: Working calls replayed per target (the recorded ones first).
MAX_REPLAYED = 6
#: Reached calls a target is planned with, at most.
MAX_REACHED = 5
#: A target whose first probe had this many working calls is not planned again (unless
#: improve.md names it): reached calls matter where guessed inputs only raised.
ENOUGH_WORKING = 3
#: Seconds one replayed call may take, and the subprocess beyond its budget (its start
#: and imports) before its process group is killed.
CALL_TIMEOUT = 1.5
START_GRACE = 5.0

Runner = Callable[..., tuple[int, str]]
#: ``module -> qualname -> calls``, as the tracer returns them.
Reached = dict[str, dict[str, list[TracedCall]]]


class _Reacher(Recorder):
    """A recorder that leaves out the target being replayed (its own call is no news)."""

    replaying: tuple[str, str] = ("", "")

    def _record(self, frame: types.FrameType, code: types.CodeType, module: str) -> None:
        qualname = getattr(code, "co_qualname", code.co_name)
        replayed = self.replaying[1]
        # The replayed call itself, and the instance it is called on, are known already.
        own = (replayed, f"{replayed}.__init__", f"{replayed.partition('.')[0]}.__init__")
        if module == self.replaying[0] and qualname in own:
            return
        super()._record(frame, code, module)


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Replay ``request["cases"]`` under a recorder; ``{"reached": {module: {qualname:
    calls}}}``, with ``"stopped"`` when the budget ran out first."""
    stop_at = time.monotonic() + float(request.get("budget", 5.0))
    for entry in reversed(request["sys_path"]):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    with tempfile.TemporaryDirectory(prefix="autoimprove-reach-") as tmp:
        recorder = _Reacher(
            request["files"], request["targets"], Path(tmp) / "reached.pickle", request["internal"]
        )
        stopped = False
        for module_name, qualname, kind, data in request["cases"]:
            if time.monotonic() > stop_at:
                stopped = True
                break
            try:
                module = importlib.import_module(module_name)
                case = pickle.loads(data)  # noqa: S301 - the probe's own records
            except BaseException as error:  # noqa: BLE001 - a module that does not import
                if isinstance(error, KeyboardInterrupt):
                    raise
                continue
            recorder.replaying = (module_name, qualname)
            sys.setprofile(recorder.profile)
            try:
                with _deadline(CALL_TIMEOUT):
                    call(module, qualname, kind, case.args, case.kwargs, case.ctor)
            except _CallTimeout:
                pass
            finally:
                sys.setprofile(None)
        return {"reached": recorder.records, "stopped": stopped}


def reached_calls(
    root: Path,
    infos: Sequence[ModuleInfo],
    planned: Mapping[str, Sequence[TargetCandidates]],
    probed: Mapping[str, Any],
    *,
    sys_path: list[str],
    budget: float,
    runner: Runner,
) -> Reached:
    """What the targets of ``infos`` received while the first probe's working calls
    were replayed (see the module docstring); ``{}`` when nothing could run."""
    cases: list[tuple[str, str, str, bytes]] = []
    for info in infos:
        kinds = {t.qualname: t.kind for t in info.targets}
        origins = {
            (tc.target.qualname, c.id): c.origin
            for tc in planned.get(info.name, ())
            for c in tc.candidates
        }

        records = probed.get("modules", {}).get(info.name, {}).get("cases", [])
        # The project's and the documented calls first, then the generated ones.
        firsts = [
            origins.get((str(r.get("qualname")), str(r.get("id")))) in ("real", "doctest")
            for r in records
        ]
        per_target: dict[str, int] = {}
        for _, record in sorted(zip(firsts, records, strict=True), key=lambda p: not p[0]):
            qualname = record.get("qualname", "")
            if record.get("status") != "ok" or record.get("pickle") is None:
                continue
            if qualname not in kinds or per_target.get(qualname, 0) >= MAX_REPLAYED:
                continue
            per_target[qualname] = per_target.get(qualname, 0) + 1
            cases.append((info.name, qualname, kinds[qualname], record["pickle"]))
    if not cases or budget < 1.0:
        return {}
    request = {
        "sys_path": sys_path,
        "budget": budget,
        "cases": cases,
        "files": {str((root / i.path).resolve()): i.name for i in infos},
        "targets": {i.name: {t.qualname: t.kind for t in i.targets} for i in infos},
        "internal": {
            i.name: {t.qualname: [p.name for p in t.params if p.internal] for t in i.targets}
            for i in infos
        },
    }
    with tempfile.TemporaryDirectory(prefix="autoimprove-reach-") as tmp:
        inp, out = Path(tmp) / "in.pickle", Path(tmp) / "out.pickle"
        inp.write_bytes(pickle.dumps(request, protocol=4))
        env = scratch_env(PYTHONHASHSEED="0")
        module = "pytest_autoimprove.generators.performance.reach"
        runner(
            [sys.executable, "-m", module, str(inp), str(out)],
            cwd=root,
            env=env,
            timeout=budget + START_GRACE,
        )
        if not out.exists():
            return {}
        result: dict[str, Any] = pickle.loads(out.read_bytes())  # noqa: S301 - ours
    return {
        module: {
            qualname: [{**c, "via": "reached"} for c in calls] for qualname, calls in by.items()
        }
        for module, by in result.get("reached", {}).items()
    }


def with_reached(
    traced: dict[str, dict[str, list[TracedCall]]],
    reached: Reached,
    probed: Mapping[str, Any],
    named: Mapping[str, set[str]],
) -> dict[str, set[str]]:
    """Add ``reached`` calls to ``traced`` (in place) for the targets that need them: named
    ones, and those with fewer than :data:`ENOUGH_WORKING` working calls in the first
    probe; calls the project's tests made come first. ``module -> qualnames`` changed."""
    changed: dict[str, set[str]] = {}
    for module, by_target in reached.items():
        records = probed.get("modules", {}).get(module, {}).get("cases", [])
        working: dict[str, int] = {}
        for record in records:
            if record.get("status") == "ok":
                working[record["qualname"]] = working.get(record["qualname"], 0) + 1
        for qualname, calls in by_target.items():
            wanted = qualname in named.get(module, ()) or working.get(qualname, 0) < ENOUGH_WORKING
            if not wanted:
                continue
            have = traced.setdefault(module, {}).setdefault(qualname, [])
            known = {c["payload"] for c in have}
            new = [c for c in calls if c["payload"] not in known][:MAX_REACHED]
            if new:
                have.extend(new)
                changed.setdefault(module, set()).add(qualname)
    return changed


if __name__ == "__main__":
    sys.exit(serve(run, sys.argv[1:]))
