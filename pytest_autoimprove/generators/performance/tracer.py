"""The tracer: records the arguments the project's own tests pass to the code in scope.

Real inputs beat guessed ones, above all for untyped code. The generator runs the
project's test command in a subprocess with ``PYTEST_ADDOPTS="-p
pytest_autoimprove.generators.performance.tracer"``; this plugin then installs a ``sys.setprofile``
hook that, on every call into a target of a file in scope, pickles the call's
arguments (and, for methods, the arguments that built the instance). It keeps at most
:data:`MAX_PER_TARGET` distinct calls per target and writes them out regularly, so a
run cut short by the time budget still leaves what it saw.

Configured by environment variables (set by :func:`run_tracer`): ``AUTOIMPROVE_TRACE_SPEC``
(a JSON file: ``{"files": {abs path: module}, "targets": {module: {qualname: kind}}}``)
and ``AUTOIMPROVE_TRACE_OUT`` (where to write the pickle).
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import tempfile
import time
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from pytest_autoimprove.generators.literals import to_source
from pytest_autoimprove.process import run_command

__all__ = ["MAX_PER_TARGET", "Recorder", "TracedCall", "run_tracer"]

#: Distinct calls kept per target.
MAX_PER_TARGET = 25

_VARARGS = 0x04
_VARKEYWORDS = 0x08

#: ``{module: {qualname: [{"payload": pickle of (args, kwargs, ctor), "sources": {...}}]}}``
TracedCall = dict[str, Any]


class Recorder:
    """The profile hook and what it has recorded so far."""

    def __init__(
        self, files: Mapping[str, str], targets: Mapping[str, Mapping[str, str]], out: Path
    ) -> None:
        self.files = dict(files)
        self.targets = {m: dict(q) for m, q in targets.items()}
        self.out = out
        self.records: dict[str, dict[str, list[TracedCall]]] = {}
        self.seen: set[bytes] = set()
        self.ctors: dict[int, tuple[tuple[Any, ...], dict[str, Any]]] = {}
        self.last_write = 0.0
        self.busy = False

    def profile(self, frame: types.FrameType, event: str, arg: object) -> None:
        if event != "call" or self.busy:
            return
        code = frame.f_code
        module = self.files.get(code.co_filename)
        if module is None:
            return
        self.busy = True
        try:
            self._record(frame, code, module)
        except Exception:  # noqa: BLE001, S110 - tracing must never break the user's tests
            pass
        finally:
            self.busy = False

    def _record(self, frame: types.FrameType, code: types.CodeType, module: str) -> None:
        names = code.co_varnames
        n_pos = code.co_argcount
        n_kw = code.co_kwonlyargcount
        local = frame.f_locals
        args = [local[n] for n in names[:n_pos] if n in local]
        index = n_pos + n_kw
        kwargs = {n: local[n] for n in names[n_pos:index] if n in local}
        if code.co_flags & _VARARGS:
            args.extend(local.get(names[index], ()))
            index += 1
        if code.co_flags & _VARKEYWORDS:
            kwargs.update(local.get(names[index], {}))
        qualname = getattr(code, "co_qualname", None)
        if qualname is None:  # Python 3.10: rebuild Class.method from the first argument
            qualname = code.co_name
            if args and names[:1] == ("self",):
                qualname = f"{type(args[0]).__name__}.{code.co_name}"
            elif args and names[:1] == ("cls",) and isinstance(args[0], type):
                qualname = f"{args[0].__name__}.{code.co_name}"
        ctor = None
        if code.co_name == "__init__" and "." in qualname:
            qualname = qualname.rsplit(".", 1)[0]
            if args:
                self.ctors[id(args[0])] = (tuple(args[1:]), dict(kwargs))
            args = args[1:]
        elif "." in qualname and args and names[:1] in (("self",), ("cls",)):
            first = args[0]
            if names[0] == "self":
                ctor = self.ctors.get(id(first)) or _dataclass_ctor(first)
                if ctor is None:
                    return
            args = args[1:]
        kind = self.targets.get(module, {}).get(qualname)
        if kind is None or (kind == "constructor") != (code.co_name == "__init__"):
            return  # not a target, or a class body run at import time
        bucket = self.records.setdefault(module, {}).setdefault(qualname, [])
        if len(bucket) >= MAX_PER_TARGET:
            return
        try:
            payload = pickle.dumps((tuple(args), kwargs, ctor), protocol=4)
        except Exception:  # noqa: BLE001 - values that cannot be stored are skipped
            return
        if payload in self.seen:
            return
        self.seen.add(payload)
        positional = [n for n in names[:n_pos] if n not in ("self", "cls")]
        sources = {name: to_source(value) for name, value in zip(positional, args, strict=False)}
        sources.update({name: to_source(value) for name, value in kwargs.items()})
        bucket.append({"payload": payload, "sources": sources})
        if time.monotonic() - self.last_write > 0.5:
            self.write()

    def write(self) -> None:
        self.last_write = time.monotonic()
        tmp = self.out.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(self.records, handle, protocol=4)
        os.replace(tmp, self.out)


def _dataclass_ctor(obj: object) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
    """Constructor arguments of a dataclass instance (its ``__init__`` is not in the file)."""
    import dataclasses

    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return None
    fields = [f for f in dataclasses.fields(obj) if f.init]
    return (), {f.name: getattr(obj, f.name) for f in fields}


_RECORDER = pytest.StashKey[Recorder]()


def pytest_configure(config: pytest.Config) -> None:
    spec_path = os.environ.get("AUTOIMPROVE_TRACE_SPEC")
    out = os.environ.get("AUTOIMPROVE_TRACE_OUT")
    if not spec_path or not out:
        return
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    recorder = Recorder(spec["files"], spec["targets"], Path(out))
    config.stash[_RECORDER] = recorder
    sys.setprofile(recorder.profile)


def pytest_unconfigure(config: pytest.Config) -> None:
    recorder = config.stash.get(_RECORDER, None)
    if recorder is None:
        return
    sys.setprofile(None)
    recorder.write()


def run_tracer(
    root: Path,
    command: Sequence[str],
    files: Mapping[str, str],
    targets: Mapping[str, Mapping[str, str]],
    *,
    timeout: float,
    ignore: Sequence[str] = (),
) -> tuple[dict[str, dict[str, list[TracedCall]]], str | None]:
    """Run ``command`` (the project's tests) under the tracer; return records and a note.

    The command runs in its own process group and is killed (with everything it
    started) after ``timeout`` seconds; whatever was recorded until then is kept.
    """
    with tempfile.TemporaryDirectory(prefix="autoimprove-trace-") as tmp:
        spec = Path(tmp) / "spec.json"
        out = Path(tmp) / "trace.pickle"
        spec.write_text(
            json.dumps({"files": dict(files), "targets": {k: dict(v) for k, v in targets.items()}})
        )
        env: dict[str, str] = {}
        addopts = [
            "-p",
            "pytest_autoimprove.generators.performance.tracer",
            "-p",
            "no:cacheprovider",
        ]
        addopts += [f"--ignore={path}" for path in ignore]
        env["PYTEST_ADDOPTS"] = " ".join([os.environ.get("PYTEST_ADDOPTS", ""), *addopts]).strip()
        env["AUTOIMPROVE_TRACE_SPEC"] = str(spec)
        env["AUTOIMPROVE_TRACE_OUT"] = str(out)
        env["PYTHONHASHSEED"] = "0"
        note = None
        result = run_command(list(command), cwd=root, env=env, timeout=timeout)
        if result.returncode in (126, 127) and not out.exists():
            return {}, f"could not run the tests to record real inputs: {result.output.strip()}"
        if result.timed_out:
            note = f"recording real inputs stopped after {timeout:.0f}s (time budget)"
        if not out.exists():
            return {}, note
        with open(out, "rb") as handle:
            data: dict[str, dict[str, list[TracedCall]]] = pickle.load(handle)  # noqa: S301
        return data, note
