"""Outputs as inputs: text or bytes one target returned, given to the others' parameters.

A module's functions often speak one format: an encoder's output is what its decoder
takes, a formatter's what its parser reads (``encode``/``decode``,
``rgb_to_hex``/``hex_to_rgb``, ``duration_isoformat``/``parse_duration``). Random and
typical strings seldom are valid in that format, so without the project's tests the
decoder only ever sees input it rejects, and a regression on its real path goes unseen.
After the first probe, :func:`echo_candidates` gives each text parameter a few of the
strings the *other* targets in its module returned, and each binary parameter (bytes,
or a ``memoryview``/``bytearray`` built from bytes: a frame parser's ``data``) a few of
the bytes they returned: valid by construction, in the module's own format. What a
method returning ``None`` wrote counts too: what the receiver's reading methods showed
(an encoder's ``output()`` after ``write(-128)``, :mod:`.readiness`), and what it wrote
into an in-memory stream it was given (a PNG writer's ``write(outfile, rows)``).

The same goes for what the package's writers outside the scope write
(:mod:`.writers`: ``toml.encoder.dumps`` for the parser in ``toml/decoder.py``),
offered beside those, up to :data:`WRITTEN_PER_PARAM` more (a writer's documents
each hold other tricky values: escapes, dates, signs).

They are ordinary inputs, but of no declared origin: a crash on one is not reported as
a finding (only kept as a case if the baseline answers it the same every time).
"""

from __future__ import annotations

import ast
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from pytest_autoimprove.generators.discover import ModuleInfo, Target
from pytest_autoimprove.generators.performance.plan import Candidate, TargetCandidates, build_call
from pytest_autoimprove.generators.performance.typespec import FROM_BYTES_NAMES
from pytest_autoimprove.runtime.replay import Build

__all__ = ["ECHO_PER_PARAM", "echo_candidates", "with_constructors"]

#: Strings offered per parameter, and kept per producing target.
ECHO_PER_PARAM = 4
PER_PRODUCER = 3
#: What the package's writers wrote, offered per parameter and kept per writer.
WRITTEN_PER_PARAM = 8
#: Longer strings are not offered (they would make a frozen test hard to read).
MAX_CHARS = 200
_TEXT_KINDS = {"str", "unknown"}


def echo_candidates(
    infos: Sequence[ModuleInfo],
    planned: Mapping[str, list[TargetCandidates]],
    probed: Mapping[str, Any],
    written: Mapping[str, Mapping[str, Sequence[str | bytes]]] | None = None,
) -> dict[str, list[TargetCandidates]]:
    """Add echo candidates to ``planned`` (in place); what is left to probe.

    ``written``: module -> writer of its package -> what it wrote (:mod:`.writers`).
    Returns, per module, the targets with new candidates, each holding only those (and
    the constructors of their classes, which a method's instance is built from).
    """
    todo: dict[str, list[TargetCandidates]] = {}
    for info in infos:
        plans = planned.get(info.name, [])
        outputs = _outputs(plans, probed.get("modules", {}).get(info.name, {}))
        writers = {
            name: [(value, None, "returned") for value in values[:WRITTEN_PER_PARAM]]
            for name, values in (written or {}).get(info.name, {}).items()
        }
        fresh: list[TargetCandidates] = []
        for tc in plans:
            added = _add(tc, outputs, "echo", ECHO_PER_PARAM) + _add(
                tc, writers, "written", WRITTEN_PER_PARAM
            )
            if added:
                fresh.append(replace(tc, candidates=added))
        if fresh:
            todo[info.name] = with_constructors(plans, fresh)
    return todo


def with_constructors(
    plans: Sequence[TargetCandidates], chosen: Sequence[TargetCandidates]
) -> list[TargetCandidates]:
    """``chosen`` and the constructors of their classes: a method probed again needs
    the constructor calls its instance is built from, or it has no instance at all."""
    classes = {tc.target.qualname.partition(".")[0] for tc in chosen}
    have = {tc.target.qualname for tc in chosen}
    ctors = [
        tc
        for tc in plans
        if tc.target.kind == "constructor"
        and tc.target.qualname in classes
        and tc.target.qualname not in have
    ]
    return [*chosen, *ctors]


#: A string (or bytes) a call made, the instance it was called on (a method's), and how
#: it made it ("returned", "wrote", "left for output()").
_Output = tuple[str | bytes, Any, str]


def _outputs(
    plans: Sequence[TargetCandidates], record: Mapping[str, Any]
) -> dict[str, list[_Output]]:
    """qualname -> distinct non-empty strings and bytes its ordinary calls returned,
    each with the constructor call of the instance it was called on (``None`` for a
    function); at most :data:`PER_PRODUCER` of each type."""
    recorded = {
        (tc.target.qualname, c.id) for tc in plans for c in tc.candidates if c.group == "recorded"
    }
    found: dict[str, list[_Output]] = {}
    for case in record.get("cases", []):
        key = (case.get("qualname"), case.get("id"))
        if key not in recorded or case.get("status") != "ok":
            continue
        sources = case.get("sources") or {}
        values = found.setdefault(str(key[0]), [])
        made = [(_literal(sources.get("returns")), "returned")]
        made += _read(sources.get("state")) + _written(sources.get("streams"))
        for value, how in made:
            same_type = [v for v, _, _ in values if type(v) is type(value)]
            if (
                isinstance(value, (str, bytes))
                and (value.strip() if isinstance(value, str) else value)
                and len(value) <= MAX_CHARS
                and value not in same_type
                and len(same_type) < PER_PRODUCER
            ):
                values.append((value, _literal(sources.get("ctor")), how))
    return {name: values for name, values in found.items() if values}


def _written(streams_source: object) -> list[tuple[object, str]]:
    """What the call wrote into the in-memory streams it was given (a PNG writer's
    ``write(outfile, rows)`` returns ``None``; the image is in ``outfile``): the stream
    up to where the call left it, since it wrote over what the stream held from the
    start (a reader's stream: what it read, which it took as valid)."""
    streams = _literal(streams_source)
    if not isinstance(streams, tuple):
        return []
    return [
        (content[:position] if position > 0 else content, "wrote")
        for content, position in (s for s in streams if isinstance(s, tuple) and len(s) == 2)
        if isinstance(content, (str, bytes)) and isinstance(position, int)
    ]


def _read(state_source: object) -> list[tuple[object, str]]:
    """What the receiver's reading methods answered after the call (``'<output()>'``,
    :mod:`.readiness`): a writer returning ``None`` shows its output there."""
    state = _literal(state_source)
    if not isinstance(state, dict):
        return []
    return [
        (v, f"left for {k[1:-1]}")
        for k, v in state.items()
        if isinstance(k, str) and k.endswith("()>")
    ]


def _literal(source: object) -> object:
    if not isinstance(source, str):
        return None
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def _add(
    tc: TargetCandidates, outputs: Mapping[str, list[_Output]], prefix: str, most: int
) -> list[Candidate]:
    """Echo candidates for ``tc``'s text and binary parameters, at most ``most`` each,
    appended to its candidates (ids ``{prefix}-{parameter}-{n}``)."""
    target = tc.target
    base = next((c for c in tc.candidates if c.id == tc.base_id), None)
    if base is None or any(p.kind == "star" for p in target.params):
        return []
    chosen = _chosen(target, base.payload)
    if chosen is None:
        return []
    ctor = pickle.loads(base.payload)[2]  # noqa: S301 - our own data
    producers = [name for name in sorted(outputs) if name != target.qualname]
    seen = {c.payload for c in tc.candidates}
    added: list[Candidate] = []
    for p in target.params:
        if p.kind not in ("positional", "keyword"):
            continue
        taken = _taken(tc.kinds[p.name].name, chosen.get(p.name))
        if taken is None:
            continue
        wanted, wrap = taken
        offered = 0
        # Round robin over the producers: one value of each before a second of any.
        for round_ in range(max((len(v) for v in outputs.values()), default=0)):
            for producer in producers:
                values = [v for v in outputs[producer] if type(v[0]) is wanted]
                if round_ >= len(values) or offered >= most:
                    continue
                value, made_on, how = values[round_]
                passed = Build(wrap, value) if wrap else value
                call = build_call(target.params, {**chosen, p.name: passed})
                if call is None:
                    continue
                # A method of the same class reads it on the instance that wrote it
                # (a decoder keyed like its encoder).
                same_class = _owner(producer) == _owner(target.qualname) != ""
                on = made_on if same_class and made_on is not None else ctor
                payload = pickle.dumps((*call, on), protocol=4)
                if payload in seen:
                    continue
                seen.add(payload)
                offered += 1
                added.append(
                    Candidate(
                        f"{prefix}-{p.name}-{offered}",
                        "recorded",
                        "changed-behaviour",
                        payload,
                        True,
                        "echo",
                        f"{'text' if wanted is str else 'bytes'} {producer}() {how}",
                        p.name,
                        frozenset({wrap or wanted.__name__}),
                    )
                )
    tc.candidates.extend(added)
    return added


def _taken(kind: str, base_value: object) -> tuple[type, str] | None:
    """What a parameter takes from another target's output: ``(str, "")`` for text,
    ``(bytes, "")`` for bytes, ``(bytes, "memoryview")`` for a view built from bytes
    (as the base call builds it); ``None`` for anything else."""
    if kind in _TEXT_KINDS:
        return str, ""
    if kind == "bytes":
        return bytes, ""
    if isinstance(base_value, Build) and base_value.path in FROM_BYTES_NAMES:
        return bytes, base_value.path
    return None


def _owner(qualname: str) -> str:
    """The class of a method's qualname (``""`` for a function)."""
    return qualname.rpartition(".")[0]


def _chosen(target: Target, payload: bytes) -> dict[str, object] | None:
    """The base call's arguments by parameter name (as :func:`build_call` takes them)."""
    try:
        args, kwargs, _ = pickle.loads(payload)  # noqa: S301 - our own data
    except Exception:  # noqa: BLE001 - values of types this process cannot load
        return None
    required = [p.name for p in target.params if p.kind == "positional" and p.default is None]
    if len(args) != len(required):
        return None
    return {**dict(zip(required, args, strict=True)), **kwargs}
