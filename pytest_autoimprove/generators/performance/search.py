"""The search for inputs that tell a surviving mutant from the baseline.

Runs as ``python -m pytest_autoimprove.generators.performance.search IN OUT`` in a subprocess of
its own (own process group, timeout, ``PYTHONHASHSEED=0``), like the probe: it imports
the code. For each surviving mutant (a job) it executes the mutated module source as a
separate module object beside the untouched one, then tries inputs, cheapest and most
trusted first:

1. every call planned for the target (the project's recorded inputs, inferred ones,
   edge values), including those no test kept;
2. those calls with one argument nudged: text cut short, missing a character or
   split over two lines, a number one off, a sequence shorter or reversed, a mapping
   missing a key;
3. recombinations of the calls' argument values across parameters (seeded);
3a. for a method, the same on the instance it is called on: what a method does
   depends on the instance as much as on its arguments (a branch on an attribute, a
   cache keyed on the arguments only), so the constructor's arguments are nudged and
   recombined across the instances the planned calls build;
3b. the calls with text inside their arguments replaced by the code's own words,
   guided by the lines they run (:mod:`.explore`);
4. Hypothesis draws from the generator's strategies mixed with those values
   (``find``, derandomized, bounded by examples and time), the instance's constructor
   arguments drawn the same way;
5. for state-shaped mutants (a cache, a reused result, an argument mutated), pairs of
   working calls played in sequence, as the state guardrail plays them;
6. for a method of a class with a sequence test, short sequences of the class's calls
   on one instance (:mod:`.scenario_search`): found, one joins that test's scenarios.

Each input is recorded on the baseline exactly as the probe records a case
(determinism check, argument state, freshness), then replayed against the mutant with
the runtime the frozen tests use (:func:`~.replay.replay`,
:func:`~.replay.check_sequence`): an input counts only when that replay fails, and
again on a freshly loaded mutant. Only inputs the baseline handles normally or rejects
with an exception it raises on purpose count, so a found case is frozen as ordinary
behaviour, never as a failing test. A job with nothing found is "possibly equivalent".
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import pickle
import random
import sys
import time
import types
import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pytest_autoimprove.generators import drawing_settings
from pytest_autoimprove.generators.literals import EVAL_BUILTINS
from pytest_autoimprove.generators.performance.explore import (
    EXPLORED_PREFIX,
    Call,
    Explorer,
    code_texts,
)
from pytest_autoimprove.generators.performance.probe import (
    SEED_CHECK_SECONDS,
    _CallTimeout,
    _deadline,
    _record_case,
    seed_moved,
    serve,
)
from pytest_autoimprove.generators.performance.scenario_search import find_scenario
from pytest_autoimprove.runtime.replay import Build, Case, check_sequence, replay

__all__ = ["run"]

#: Recombined calls tried per job (step 3), and per method job with other instances
#: (step 3a); Hypothesis examples (step 4).
RECOMBINATIONS = 40
HYPOTHESIS_EXAMPLES = 60
#: Instances whose constructor arguments are nudged, per method job (step 3a); the
#: constructor's planned calls, and the method's calls made on each of them.
NUDGED_RECEIVERS = 4
CROSSED_CTORS = 16
CROSSED_CALLS = 6
#: Pairs of calls tried in sequence per state-shaped job (step 5).
MAX_PAIRS = 12
#: Seconds one replay on the mutant may take.
CALL_TIMEOUT = 1.5
STATE_OPERATORS = frozenset({"add-cache", "shared-result", "mutate-argument"})


class _Found(Exception):
    """Stops a Hypothesis search at the first distinguishing input."""


def load_mutant(baseline: types.ModuleType, source: str) -> types.ModuleType:
    """The mutated source executed as a module of its own, beside ``baseline``.

    It has the baseline's name and package, so its relative imports reach the real
    (unmutated) rest of the package; it is never put into ``sys.modules``.
    """
    mutant = types.ModuleType(baseline.__name__)
    for name in ("__file__", "__package__", "__path__", "__spec__", "__loader__"):
        if hasattr(baseline, name):
            setattr(mutant, name, getattr(baseline, name))
    code = compile(source, getattr(baseline, "__file__", None) or "<mutant>", "exec")
    exec(code, mutant.__dict__)  # noqa: S102 - the user's own code, one edit applied
    return mutant


class _Job:
    """One surviving mutant and what the search may draw from."""

    def __init__(self, spec: dict[str, Any], baseline: types.ModuleType) -> None:
        self.spec = spec
        self.baseline = baseline
        self.qualname: str = spec["qualname"]
        self.kind: str = spec["kind"]
        self.expected = set(spec.get("expected", ()))
        self.tolerance: float | None = spec.get("tolerance")
        self.ctors: dict[str, list[tuple[int, bytes]]] = {
            self.qualname.partition(".")[0]: [
                (0, payload) for payload in spec.get("ctor_payloads", ())
            ]
        }
        #: The constructor's parameters and strategies (a method's job), as ``params``.
        self.ctor_params: list[dict[str, Any]] = list(spec.get("ctor_params") or ())
        self.ctor_strategies: dict[str, str] = spec.get("ctor_strategies") or {}
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any], Any]] = []
        #: The planned calls as the generator pickled them, with their case ids.
        self.planned: list[tuple[str, bytes]] = [tuple(p) for p in spec.get("payloads", ())]
        for _, payload in self.planned:
            try:
                args, kwargs, ctor = pickle.loads(payload)  # noqa: S301 - our own data
            except Exception:  # noqa: BLE001 - a value that no longer loads
                continue
            self.calls.append((tuple(args), dict(kwargs), ctor))
        self.working: list[dict[str, Any]] = []
        self.seen: set[bytes] = set()

    # --- inputs ---------------------------------------------------------------------

    def pools(self) -> tuple[dict[str, list[Any]], list[Any]]:
        """Values seen per parameter, and the receivers seen (methods)."""
        params = self.spec.get("params", [])
        positional = [p["name"] for p in params if p["kind"] == "positional"]
        pools: dict[str, list[Any]] = {p["name"]: [] for p in params}
        receivers: list[Any] = []
        seen: set[bytes] = set()
        for args, kwargs, ctor in self.calls:
            for name, value in zip(positional, args, strict=False):
                pools[name].append(value)
            for name, value in kwargs.items():
                pools.setdefault(name, []).append(value)
            if ctor is None:
                continue
            try:
                key = pickle.dumps(ctor, protocol=4)
            except Exception:  # noqa: BLE001, S112 - a receiver that cannot be stored
                continue
            if key not in seen:
                seen.add(key)
                receivers.append(ctor)
        return pools, receivers

    def build(self, chosen: dict[str, Any], ctor: Any) -> bytes | None:
        call = _arguments(self.spec.get("params", []), chosen)
        if call is None:
            return None
        try:
            return pickle.dumps((*call, ctor), protocol=4)
        except Exception:  # noqa: BLE001 - a value that cannot be stored
            return None

    def recombined(self, rng: random.Random) -> Iterator[bytes]:
        pools, receivers = self.pools()
        params = [
            p for p in self.spec.get("params", []) if p["kind"] not in ("star", "double_star")
        ]
        if not params and not receivers:
            return
        for _ in range(RECOMBINATIONS):
            chosen: dict[str, Any] = {}
            for p in params:
                pool = pools.get(p["name"]) or []
                if pool and (not p["default"] or rng.random() < 0.5):
                    chosen[p["name"]] = rng.choice(pool)
            ctor = rng.choice(receivers) if receivers else self._default_ctor()
            payload = self.build(chosen, ctor)
            if payload is not None:
                yield payload

    def neighbours(self) -> Iterator[bytes]:
        """Each planned call with one argument nudged (see :func:`_nudged`)."""
        for args, kwargs, ctor in self.calls:
            for changed, changed_kwargs in _one_nudged(args, kwargs):
                with contextlib.suppress(Exception):
                    yield pickle.dumps((changed, changed_kwargs, ctor), protocol=4)

    def other_instances(self, rng: random.Random) -> Iterator[bytes]:
        """The planned calls on instances built another way (step 3a): the first calls
        the baseline rejected on purpose so far, and the first planned ones, on each
        instance the constructor's own plan builds (its edge cases too: a flag the
        other way), each of the first receivers with one constructor argument
        nudged, then receivers whose arguments are recombined from those of the
        others, position by position."""
        # Arguments the baseline rejected on purpose (a check was hit: another
        # instance, a flag the other way, may take them), then the planned ones.
        rejected = [
            pickle.loads(r["payload"])  # noqa: S301 - our own data
            for r in self.working
            if r.get("status") == "raised"
        ]
        crossed: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        for group in (rejected, self.calls):
            distinct: dict[bytes, tuple[tuple[Any, ...], dict[str, Any]]] = {}
            for args, kwargs, _ in group:
                with contextlib.suppress(Exception):
                    distinct.setdefault(pickle.dumps((args, kwargs), protocol=4), (args, kwargs))
            crossed += list(distinct.values())[:CROSSED_CALLS]
        for _, payload in self.ctors.get(self.qualname.partition(".")[0], [])[:CROSSED_CTORS]:
            try:
                cargs, ckwargs, _ = pickle.loads(payload)  # noqa: S301 - our own data
            except Exception:  # noqa: BLE001, S112 - a value that no longer loads
                continue
            for args, kwargs in crossed:
                with contextlib.suppress(Exception):
                    yield pickle.dumps((args, kwargs, (tuple(cargs), dict(ckwargs))), protocol=4)
        by_receiver: dict[bytes, tuple[tuple[Any, ...], dict[str, Any], Any]] = {}
        for args, kwargs, ctor in self.calls:
            if _built(ctor):
                with contextlib.suppress(Exception):
                    by_receiver.setdefault(pickle.dumps(ctor, protocol=4), (args, kwargs, ctor))
        chosen = list(by_receiver.values())[:NUDGED_RECEIVERS]
        for args, kwargs, (cargs, ckwargs) in chosen:
            for changed in _one_nudged(cargs, ckwargs):
                with contextlib.suppress(Exception):
                    yield pickle.dumps((args, kwargs, changed), protocol=4)
        calls = list(by_receiver.values())
        if len(calls) < 2:
            return
        for _ in range(RECOMBINATIONS):
            args, kwargs, (cargs, ckwargs) = rng.choice(calls)
            mixed = list(cargs)
            for i in range(len(mixed)):
                donors = [c for _, _, c in calls if len(c[0]) > i]
                mixed[i] = rng.choice(donors)[0][i]
            with contextlib.suppress(Exception):
                yield pickle.dumps((args, kwargs, (tuple(mixed), ckwargs)), protocol=4)

    def _default_ctor(self) -> Any:
        return "auto" if self.kind in ("method", "property") else None

    # --- judging --------------------------------------------------------------------

    def record(self, payload: bytes) -> dict[str, Any] | None:
        """The baseline's record of this call, when it would be frozen as ordinary."""
        if payload in self.seen:
            return None
        self.seen.add(payload)
        spec = {"id": "search", "qualname": self.qualname, "kind": self.kind, "payload": payload}
        record = _record_case(self.baseline, spec, 2 * CALL_TIMEOUT, self.ctors)
        if record.get("pickle") is None or record.get("status") not in ("ok", "raised"):
            return None
        raised = record["status"] == "raised"
        if raised and not (
            set(record.get("raises_mro", [])) & self.expected or record["deliberate"]
        ):
            return None  # outside the domain: such a call is never frozen
        record["payload"] = payload
        # The instance it ran on, as built: ``"auto"`` picks a receiver by the case's
        # id, and the call is recorded again under another id before it is frozen.
        case = pickle.loads(record["pickle"])  # noqa: S301 - our own data
        with contextlib.suppress(Exception):
            record["resolved"] = pickle.dumps((case.args, case.kwargs, case.ctor), protocol=4)
        return record

    def fails(self, mutant: types.ModuleType, cases: list[Case]) -> bool:
        """Does the replay the frozen tests do fail on ``mutant``?"""
        try:
            with _deadline(CALL_TIMEOUT * (len(cases) + 1)):
                if len(cases) == 1:
                    replay(mutant, self.qualname, self.kind, cases[0], tolerance=self.tolerance)
                else:
                    check_sequence(
                        mutant, self.qualname, self.kind, cases, tolerance=self.tolerance
                    )
        except AssertionError:
            return True
        except _CallTimeout:
            return True  # the mutant hangs where the baseline answers
        except Exception:  # noqa: BLE001 - a replay that cannot run tells nothing
            return False
        return False

    def distinguishes(self, records: list[dict[str, Any]], mutant: types.ModuleType) -> bool:
        cases = [pickle.loads(r["pickle"]) for r in records]  # noqa: S301 - our own data
        if not self.fails(mutant, cases):
            return False
        # Again on a fresh copy: state left by earlier tries must not be what fails.
        fresh = load_mutant(self.baseline, self.spec["source"])
        return self.fails(fresh, cases)


#: Variants of one value tried per argument.
MAX_NUDGES = 30
#: Longest text also tried split over two lines (twice as long).
MAX_SPLIT = 1_000
#: Positions cut at each end of a text or sequence (and one in the middle).
CUT_ENDS = 3


def _one_nudged(
    args: Sequence[Any], kwargs: Mapping[str, Any]
) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """A call's arguments with one of them nudged, for each argument and each nudge."""
    for i, value in enumerate(args):
        for other in _nudged(value):
            yield (*args[:i], other, *args[i + 1 :]), dict(kwargs)
    for name, value in kwargs.items():
        for other in _nudged(value):
            yield tuple(args), {**kwargs, name: other}


def _nudged(value: Any) -> list[Any]:
    """Values next to ``value`` where a fast path or a dropped check shows.

    Text cut short (prefixes, a character dropped), split over two lines (``\\n`` and
    ``\\r\\n``), in other case, with its first character or separator repeated, as
    bytes or None (a narrowed ``except`` lets a TypeError out that the baseline turned
    into its own error), a number one off or negated, a sequence cut short, empty, or
    reversed, a mapping missing one key; the argument a value is built from
    (``memoryview(b"...")``), nudged the same way; at most :data:`MAX_NUDGES`, cut at
    both ends and the middle of a long value (:func:`_cuts`).
    """
    if type(value) is Build and len(value.args) == 1 and not value.kwargs:
        # A value built from one argument (``memoryview(b"...")``): that argument nudged.
        return [Build(value.path, other) for other in _nudged(value.args[0])]
    out: list[Any] = []
    if isinstance(value, (str, bytes)) and value.isascii() and value.isdigit() and len(value) < 20:
        following = str(int(value) + 1)  # the next number
        out.append(following if isinstance(value, str) else following.encode("ascii"))
    if isinstance(value, str):
        out += [value.upper(), value.lower(), value.swapcase(), f" {value} ", None]
        out += [value.encode("utf-8", "surrogatepass")]
        if len(value) <= MAX_SPLIT:
            out += [f"{value}\n{value}", f"{value}\r\n{value}"]
        out += _repeated(value)
        out += [value[:i] for i in _cuts(len(value))]
        out += [value[:i] + value[i + 1 :] for i in _cuts(len(value))]
    elif isinstance(value, bytes):
        out += [value.upper(), value.lower(), b" " + value + b" ", None]
        if len(value) <= MAX_SPLIT:
            out.append(value + b"\r\n" + value)
        out += _repeated(value)
        out += [value[:i] for i in _cuts(len(value))]
    elif isinstance(value, bool):
        out.append(not value)
    elif isinstance(value, int):
        out += [value - 1, value + 1, -value, 0]
    elif isinstance(value, float):
        out += [-value, value + 1.0, 0.0]
    elif isinstance(value, (list, tuple)):
        out += [value[:i] for i in _cuts(len(value))]
        out += [value[::-1], value[1:]]
    elif isinstance(value, dict):
        keys = list(value)
        out += [{k: v for k, v in value.items() if k != keys[i]} for i in _cuts(len(keys))]
    unique: list[Any] = []
    for item in out:
        if item != value and all(type(item) is not type(u) or item != u for u in unique):
            unique.append(item)
    return unique[:MAX_NUDGES]


def _repeated(value: Any) -> list[Any]:
    """``value`` with its first character twice (two byte-order marks, two signs) and
    with its first separator twice (an empty field between two ``&``, ``//`` in a path)."""
    if not value:
        return []
    out: list[Any] = [value[:1] + value]
    for i in range(len(value)):
        piece = value[i : i + 1]
        if not piece.isalnum() and not piece.isspace() and piece.isascii():
            out.append(value[: i + 1] + value[i:])
            break
    return out


def _cuts(length: int) -> list[int]:
    """Where to cut a text or sequence of ``length``: at both ends and in the middle
    (every position of a long edge value would cost time quadratic in its length)."""
    if length <= 2 * CUT_ENDS + 1:
        return list(range(length))
    return [*range(CUT_ENDS), length // 2, *range(length - CUT_ENDS, length)]


def _strategies(job: _Job) -> Any:
    """A Hypothesis strategy of payloads: the generator's strategies mixed with real values."""
    from hypothesis import strategies as st

    pools, receivers = job.pools()
    namespace = {"st": st, "__builtins__": builtins, "current": job.baseline, **EVAL_BUILTINS}
    sources: dict[str, str] = job.spec.get("strategies") or {}
    parts: dict[str, Any] = {}
    for p in job.spec.get("params", []):
        if p["kind"] in ("star", "double_star"):
            continue
        options = []
        pool = pools.get(p["name"]) or []
        if pool:
            options.append(st.sampled_from(pool))
        source = sources.get(p["name"])
        if source:
            with contextlib.suppress(Exception):  # a strategy that does not build
                options.append(eval(source, namespace))  # noqa: S307 - the generator's text
        if not options:
            if not p["default"]:
                return None
            continue
        parts[p["name"]] = st.one_of(*options)
    ctor = st.sampled_from(receivers) if receivers else st.just(job._default_ctor())
    drawn = _drawn_instances(job, receivers, namespace)
    if drawn is not None:
        ctor = st.one_of(ctor, drawn)
    return st.fixed_dictionaries(parts).flatmap(lambda chosen: ctor.map(lambda c: (chosen, c)))


def _drawn_instances(job: _Job, receivers: list[Any], namespace: dict[str, Any]) -> Any:
    """Constructor arguments drawn like a call's (a method's job): each parameter from
    the values the planned instances were built with and the constructor's strategy."""
    from hypothesis import strategies as st

    if not job.ctor_params:
        return None
    built = [c for c in receivers if _built(c)]
    positional = [p["name"] for p in job.ctor_params if p["kind"] == "positional"]
    pools: dict[str, list[Any]] = {p["name"]: [] for p in job.ctor_params}
    for cargs, ckwargs in built:
        for name, value in [*zip(positional, cargs, strict=False), *ckwargs.items()]:
            pools.setdefault(name, []).append(value)
    parts: dict[str, Any] = {}
    for p in job.ctor_params:
        if p["kind"] in ("star", "double_star"):
            continue
        options = [st.sampled_from(pools[p["name"]])] if pools.get(p["name"]) else []
        source = job.ctor_strategies.get(p["name"])
        if source:
            with contextlib.suppress(Exception):  # a strategy that does not build
                options.append(eval(source, namespace))  # noqa: S307 - the generator's text
        if options:
            parts[p["name"]] = st.one_of(*options)
        elif not p["default"]:
            return None
    return st.fixed_dictionaries(parts).map(
        lambda chosen: _arguments(job.ctor_params, chosen) or ((), {})
    )


def _arguments(
    params: list[dict[str, Any]], chosen: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
    """``(args, kwargs)`` passing ``chosen``: required positional parameters by position,
    the others by name; ``None`` when a required one has no value."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in params:
        name = p["name"]
        if p["kind"] in ("star", "double_star"):
            continue
        if name not in chosen:
            if not p["default"]:
                return None
            continue
        if p["kind"] == "positional" and not p["default"]:
            args.append(chosen[name])
        else:
            kwargs[name] = chosen[name]
    return tuple(args), kwargs


def _built(ctor: Any) -> bool:
    """Is ``ctor`` a constructor call ``(args, kwargs)`` (not a recorded instance, not
    ``"auto"``)?"""
    return (
        isinstance(ctor, tuple)
        and len(ctor) == 2
        and isinstance(ctor[0], tuple)
        and isinstance(ctor[1], dict)
    )


def _hypothesis(job: _Job, mutant: types.ModuleType, stop_at: float) -> list[dict[str, Any]]:
    from hypothesis import find
    from hypothesis.errors import NoSuchExample

    strategy = _strategies(job)
    if strategy is None:
        return []
    found: list[dict[str, Any]] = []

    def distinguishes(drawn: tuple[dict[str, Any], Any]) -> bool:
        if found or time.monotonic() > stop_at:
            return False
        payload = job.build(*drawn)
        record = job.record(payload) if payload is not None else None
        if record is not None and job.distinguishes([record], mutant):
            found.append(record)
            return True
        return False

    try:
        find(strategy, distinguishes, settings=drawing_settings(HYPOTHESIS_EXAMPLES))
    except NoSuchExample:
        pass
    except Exception:  # noqa: BLE001, S110 - a strategy failing on this code: no input
        pass
    return found[:1]


def search(spec: dict[str, Any], baseline: types.ModuleType, stop_at: float) -> dict[str, Any]:
    """Look for an input telling one mutant from the baseline; ``{"records": [...]}``."""
    job = _Job(spec, baseline)
    try:
        mutant = load_mutant(baseline, spec["source"])
    except BaseException as error:  # noqa: BLE001 - a mutant that does not even load
        if isinstance(error, KeyboardInterrupt):
            raise
        return {"records": [], "error": f"{type(error).__name__}: {error}"[:200]}
    rng = random.Random(zlib.crc32(f"{spec['qualname']}:{spec['id']}".encode()))
    tried = 0

    def first(payloads: Iterator[bytes]) -> list[dict[str, Any]]:
        nonlocal tried
        for payload in payloads:
            if time.monotonic() > stop_at:
                return []
            record = job.record(payload)
            tried += 1
            if record is None:
                continue
            job.working.append(record)
            if job.distinguishes([record], mutant):
                return [record]
        return []

    origins = {payload: cid for cid, payload in job.planned}
    planned = (payload for _, payload in job.planned)
    found = (
        first(planned)
        or first(job.neighbours())
        or first(job.recombined(rng))
        or first(job.other_instances(rng))
    )
    if not found and time.monotonic() < stop_at:
        found = _explored(job, mutant, stop_at)
    if not found and time.monotonic() < stop_at:
        found = _hypothesis(job, mutant, stop_at)
    sequence = False
    if not found and spec.get("operator") in STATE_OPERATORS:
        found = _pairs(job, stop_at)
        sequence = bool(found)
    if not found and spec.get("calls"):
        scenario = find_scenario(
            spec, baseline, lambda: load_mutant(baseline, spec["source"]), stop_at
        )
        if scenario is not None:
            return {"records": [], "sequence": False, "tried": tried, "scenario": scenario}
    # Recorded again under the ids the generator will freeze them with.
    ids = spec.get("case_ids") or ["mutant"]
    final = []
    for record, cid in zip(found, ids, strict=False):
        again = {
            "id": cid,
            "qualname": job.qualname,
            "kind": job.kind,
            "payload": record.get("resolved", record["payload"]),
        }
        redone = _record_case(baseline, again, 2 * CALL_TIMEOUT, job.ctors)
        if redone.get("status") != record.get("status"):
            return {"records": [], "sequence": False, "tried": tried}
        redone["id"] = cid
        # A planned call keeps its own id: the generator may already freeze it.
        redone["origin"] = origins.get(record["payload"])
        final.append(redone)
    return {"records": final, "sequence": sequence, "tried": tried}


#: module:qualname -> its exploration and where it stands, shared by a target's jobs.
_EXPLORERS: dict[str, tuple[Explorer, Iterator[Call]]] = {}


def _explored(
    job: _Job, mutant: types.ModuleType, stop_at: float, *, judge: bool = True
) -> list[dict[str, Any]]:
    """Calls whose text leaves were replaced by the code's own words (:mod:`.explore`):
    first those an earlier job of the target kept, then the exploration goes on."""
    filename = getattr(job.baseline, "__file__", None)
    if not filename:
        return []
    key = f"{job.spec['module']}:{job.qualname}"
    if key not in _EXPLORERS:
        texts = code_texts(job.baseline, job.qualname)
        explorer = Explorer(job.calls, texts, filename, _nudged)
        _EXPLORERS[key] = (explorer, iter(explorer))
    explorer, calls = _EXPLORERS[key]
    planned = {payload for _, payload in job.planned}

    def judged(call: Call, *, traced: bool) -> list[dict[str, Any]]:
        try:
            payload = pickle.dumps(call, protocol=4)
        except Exception:  # noqa: BLE001 - a value that cannot be stored
            return []
        if traced:
            job.seen.discard(payload)  # a planned call runs again: its lines are the start
            kept = len(explorer.kept)
            with explorer.tracing(call):
                record = job.record(payload)
            if record is not None and len(explorer.kept) > kept and payload not in planned:
                explorer.ordinary[kept] = (payload, record["status"] == "ok")
        else:
            record = job.record(payload)
        if record is None:
            return []
        job.working.append(record)
        return [record] if judge and job.distinguishes([record], mutant) else []

    for call in list(explorer.kept):
        if time.monotonic() > stop_at:
            return []
        if found := judged(call, traced=False):
            return found
    for call in calls:
        if time.monotonic() > stop_at:
            return []
        if found := judged(call, traced=True):
            return found
    return []


def _explore_only(
    spec: dict[str, Any], baseline: types.ModuleType, stop_at: float
) -> dict[str, Any]:
    """Explore a target no mutant is searched for: the planned calls run first (their
    lines are the start), then the exploration until it or its time ends."""
    job = _Job(spec, baseline)
    for _, payload in job.planned:
        if time.monotonic() > stop_at:
            break
        job.record(payload)
    _explored(job, baseline, stop_at, judge=False)
    return {"records": []}


def _pairs(job: _Job, stop_at: float) -> list[dict[str, Any]]:
    ok = [r for r in job.working if r.get("status") == "ok"][:8]
    pairs = [(a, b) for a in ok for b in ok if a is not b][:MAX_PAIRS]
    pairs += [(a, a) for a in ok[:2]]
    for a, b in pairs:
        if time.monotonic() > stop_at:
            break
        mutant = load_mutant(job.baseline, job.spec["source"])
        if job.distinguishes([a, b] if a is not b else [a], mutant):
            return [a, b] if a is not b else [a]
    return []


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Search every job of ``request`` until its budget; ``{"jobs": {id: result}}``.

    Jobs run in order (the generator puts the named targets first); each mutant's
    search gets an equal share of the time left when it starts, among the searches
    still to run; explorations without a mutant share what the searches leave.
    """
    started = time.monotonic()
    stop_all = started + float(request.get("budget", 10.0))
    for entry in reversed(request["sys_path"]):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    out: dict[str, Any] = {"jobs": {}}
    # Explorations of targets no mutant is searched for take the time the mutants'
    # searches leave: they never shorten those.
    searches = [j for j in request["jobs"] if not j.get("explore_only")]
    jobs = searches + [j for j in request["jobs"] if j.get("explore_only")]
    _EXPLORERS.clear()  # one request, one exploration per target
    for index, spec in enumerate(jobs):
        left = stop_all - time.monotonic()
        if left <= 0:
            out["stopped"] = True
            break
        sharing = len(searches) - index if index < len(searches) else len(jobs) - index
        stop_at = time.monotonic() + left / sharing
        try:
            baseline = importlib.import_module(spec["module"])
            if spec.get("explore_only"):
                result = _explore_only(spec, baseline, stop_at)
            else:
                result = search(spec, baseline, stop_at)
        except BaseException as error:  # noqa: BLE001 - a search must survive its code
            if isinstance(error, KeyboardInterrupt):
                raise
            result = {"records": [], "error": f"{type(error).__name__}: {error}"[:200]}
        result["searched"] = True
        out["jobs"][spec["id"]] = result
    out["explored"] = _explored_cases(jobs, stop_all)
    _without_seed_dependent(out, jobs, request["sys_path"], stop_all)
    return out


def _without_seed_dependent(
    out: dict[str, Any], jobs: list[dict[str, Any]], sys_path: list[str], stop_at: float
) -> None:
    """``out`` without the records whose outcome moves with the hash seed (see
    :func:`~.probe.seed_moved`): the search and the exploration freeze what they find."""
    kinds = {
        f"{j['module']}:{j['qualname']}": (j["module"], j["qualname"], j["kind"]) for j in jobs
    }
    lists = [
        (kinds[f"{j['module']}:{j['qualname']}"], out["jobs"][j["id"]].get("records", []))
        for j in jobs
        if j["id"] in out["jobs"]
    ]
    lists += [(kinds[key], records) for key, records in out["explored"].items() if key in kinds]
    entries = [(*where, record) for where, records in lists for record in records]
    left = min(SEED_CHECK_SECONDS, stop_at - time.monotonic())
    moved = seed_moved(entries, sys_path, max(2.0, left))
    if not moved:
        return
    dropped = {id(entries[i][3]) for i in moved}
    for _, records in lists:
        records[:] = [r for r in records if id(r) not in dropped]


#: Calls the exploration kept that are frozen per target, at most: the deepest first;
#: and variants of the first working ones (a text in capitals, between blanks).
MAX_EXPLORED_CASES = 6
VARIED_CALLS = 2
MAX_VARIANT_CASES = 2  # per varied call


def _explored_cases(jobs: list[dict[str, Any]], stop_at: float) -> dict[str, list[dict[str, Any]]]:
    """``module:qualname -> records`` of the calls the exploration kept beyond the planned
    ones (each ran code no earlier call ran), then of the first working ones with a text
    inside them in capitals or between blanks where the baseline still works (a dropped
    ``.lower()`` or ``.strip()`` shows there), recorded under ``explored-N`` ids: inputs
    that reach what a regression the mutants did not foresee may change."""
    out: dict[str, list[dict[str, Any]]] = {}
    for spec in jobs:
        key = f"{spec['module']}:{spec['qualname']}"
        if key not in out and key in _EXPLORERS:
            out[key] = _explored_of(spec, _EXPLORERS[key][0], stop_at)
    return out


def _explored_of(spec: dict[str, Any], explorer: Explorer, stop_at: float) -> list[dict[str, Any]]:
    """The records :func:`_explored_cases` freezes for one target."""
    baseline = importlib.import_module(spec["module"])
    ctors = _Job(spec, baseline).ctors

    def recorded(payload: bytes, cid: str) -> dict[str, Any] | None:
        again = {"id": cid, "qualname": spec["qualname"], "kind": spec["kind"]}
        record = _record_case(baseline, {**again, "payload": payload}, 2 * CALL_TIMEOUT, ctors)
        if record.get("pickle") is None or record.get("status") not in ("ok", "raised"):
            return None
        return {**record, "id": cid, "payload": payload}

    deepest = [explorer.ordinary[i] for i in sorted(explorer.ordinary, reverse=True)]
    found = deepest[: 2 * MAX_EXPLORED_CASES]
    # Calls that return first: a whole valid structure says more than a rejected one.
    found.sort(key=lambda item: not item[1])
    chosen = [payload for payload, _ in found[:MAX_EXPLORED_CASES]]
    working = [payload for payload, returned in found if returned][:VARIED_CALLS]
    for payload in working:
        variants = 0
        for variant in explorer.variants(pickle.loads(payload)):  # noqa: S301 - ours
            if variants == MAX_VARIANT_CASES or time.monotonic() > stop_at:
                break
            with contextlib.suppress(Exception):
                data = pickle.dumps(variant, protocol=4)
                record = recorded(data, "")
                if record is not None and record["status"] == "ok" and data not in chosen:
                    chosen.append(data)
                    variants += 1
    out = []
    for number, payload in enumerate(chosen):
        if time.monotonic() > stop_at:
            break
        record = recorded(payload, f"{EXPLORED_PREFIX}{number}")
        if record is not None:
            out.append(record)
    return out


if __name__ == "__main__":
    sys.exit(serve(run, sys.argv[1:]))
