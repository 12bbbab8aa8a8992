"""The tracer: records the arguments the project's own tests pass to the code in scope.

Real inputs beat guessed ones, above all for untyped code. The generator runs the
project's test command in a subprocess with ``PYTEST_ADDOPTS="-p
pytest_autoimprove.generators.performance.tracer"``; this plugin then installs a ``sys.setprofile``
hook that, on every call into a target of a file in scope (whoever calls it: the
tests, or other code in scope), pickles the call's arguments and, for methods, the
arguments that built the instance. It keeps at most
:data:`MAX_PER_TARGET` distinct calls per target (:data:`MAX_PER_NAMED` for one
improve.md names), of as many shapes as it can
(:mod:`.variety`), and writes them out regularly, so a run cut short by the time
budget still leaves what it saw.

Configured by environment variables (set by :func:`run_tracer`): ``AUTOIMPROVE_TRACE_SPEC``
(a JSON file: ``{"files": {abs path: module}, "targets": {module: {qualname: kind}}}``)
and ``AUTOIMPROVE_TRACE_OUT`` (where to write the pickle).
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import pickle
import re
import sys
import tempfile
import time
import types
import weakref
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from pytest_autoimprove.generators.literals import to_source
from pytest_autoimprove.generators.performance.variety import call_features, replaceable
from pytest_autoimprove.process import run_command
from pytest_autoimprove.runtime.matches import recipe, rematch
from pytest_autoimprove.runtime.replay import Build

__all__ = ["MAX_PER_TARGET", "Recorder", "TracedCall", "only_if_it_works", "run_tracer"]

#: Distinct calls kept per target, and per target improve.md names (the one the night
#: is about: a validator's ``validate`` meets a hundred schemas in its tests).
MAX_PER_TARGET = 25
MAX_PER_NAMED = 100
#: Instances whose constructor calls are remembered at once (the oldest are forgotten).
MAX_INSTANCES = 4096
#: Generator and coroutine frames remembered at once, to tell a resume from a call.
MAX_FRAMES = 512

#: The call that finds a recorded match again, as a test writes it.
REMATCH = f"{rematch.__module__}.{rematch.__qualname__}"

_VARARGS = 0x04
_VARKEYWORDS = 0x08
#: CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR: a "call" event fires on each resume.
_SUSPENDABLE = 0x20 | 0x80 | 0x200

#: ``{module: {qualname: [{"payload": pickle of (args, kwargs, ctor), "sources": {...}}]}}``
TracedCall = dict[str, Any]


class Recorder:
    """The profile hook and what it has recorded so far.

    Every call into a file in scope is seen, whoever makes it: a public ``search()``
    that builds a ``Parser`` and calls ``parse`` leaves records for ``search``, for
    ``Parser`` and for ``Parser.parse``. A method's record carries its receiver as
    the constructor call that built it (pickled when ``__init__`` starts, so later
    changes to the arguments do not leak in), or, for an instance built without a
    constructor call we saw, as the pickled instance itself (``(None, instance)``).
    """

    def __init__(
        self,
        files: Mapping[str, str],
        targets: Mapping[str, Mapping[str, str]],
        out: Path,
        internal: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
        named: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.files = dict(files)
        self.targets = {m: dict(q) for m, q in targets.items()}
        #: ``module -> qualnames improve.md names``: they keep :data:`MAX_PER_NAMED` calls.
        self.named = {m: set(q) for m, q in (named or {}).items()}
        #: ``module -> qualname -> internal parameters`` (``_w=WHITESPACE.match``): not
        #: recorded, so a rewrite that drops or renames such a local cache still replays.
        self.internal = {
            m: {q: set(n) for q, n in by.items()} for m, by in (internal or {}).items()
        }
        self.out = out
        self.records: dict[str, dict[str, list[TracedCall]]] = {}
        self.seen: set[tuple[str, str, bytes]] = set()
        #: ``(module, qualname) -> how many kept calls have each shape feature``.
        self.shapes: dict[tuple[str, str], Counter[str]] = {}
        #: ``id(instance) -> (weakref or type, pickled (args, kwargs))``
        self.ctors: dict[int, tuple[Any, bytes]] = {}
        #: Classes in scope (their ``__init__`` may live elsewhere: a base class, a
        #: dataclass), found once their module is imported.
        self.classes: dict[type, str] = {}
        #: Their ``__init__`` code objects, wherever those are defined.
        self.init_codes: set[types.CodeType] = set()
        self._unresolved = {
            m for m, q in self.targets.items() if any(k == "constructor" for k in q.values())
        }
        #: Generator and coroutine frames already recorded (a resume is no new call).
        self.started: dict[int, types.FrameType] = {}
        self.last_write = 0.0
        self.busy = False

    def snapshot(self) -> Any:
        """What has been recorded so far, for :meth:`restore`."""
        return (
            {m: {q: list(c) for q, c in by.items()} for m, by in self.records.items()},
            set(self.seen),
            {key: Counter(counts) for key, counts in self.shapes.items()},
        )

    def restore(self, state: Any) -> None:
        """Forget what was recorded since ``state`` was taken."""
        self.records, self.seen, self.shapes = state

    def profile(self, frame: types.FrameType, event: str, arg: object) -> None:
        if event != "call" or self.busy:
            return
        code = frame.f_code
        module = self.files.get(code.co_filename)
        if module is None:
            # Out of scope: only the constructor of a class in scope (inherited from a
            # base class elsewhere, or generated by dataclass) is of interest.
            if code.co_name != "__init__":
                return
            if self._unresolved:
                self._resolve_classes()
            if code not in self.init_codes:
                return
        self.busy = True
        try:
            if code.co_name == "__init__":
                self._constructed(frame, code)
            if module is not None and not self._resumed(frame, code):
                self._record(frame, code, module)
        except Exception:  # noqa: BLE001, S110 - tracing must never break the user's tests
            pass
        finally:
            self.busy = False

    def _resumed(self, frame: types.FrameType, code: types.CodeType) -> bool:
        """A generator or coroutine frame seen before: the call event of a resume."""
        if not code.co_flags & _SUSPENDABLE:
            return False
        known = self.started.get(id(frame))
        if known is frame:
            return True
        self.started[id(frame)] = frame
        if len(self.started) > MAX_FRAMES:
            del self.started[next(iter(self.started))]
        return False

    def _constructed(self, frame: types.FrameType, code: types.CodeType) -> None:
        """Remember how an instance of a class in scope was built (the outermost ``__init__``)."""
        names = code.co_varnames
        if not names or code.co_argcount == 0:
            return
        local = frame.f_locals
        obj = local.get(names[0])
        if obj is None:
            return
        if self._unresolved:
            self._resolve_classes()
        if type(obj) not in self.classes and self.files.get(code.co_filename) is None:
            return
        if self._ctor_bytes(obj) is not None:
            return  # a base class's __init__, called by the subclass's
        args, kwargs = _arguments(code, local)
        try:
            data = pickle.dumps((tuple(args[1:]), kwargs), protocol=4)
        except Exception:  # noqa: BLE001 - arguments that cannot be stored
            return
        try:
            anchor: Any = weakref.ref(obj)
        except TypeError:  # no weak references (``__slots__``): the type must match
            anchor = type(obj)
        self.ctors[id(obj)] = (anchor, data)
        if len(self.ctors) > MAX_INSTANCES:
            del self.ctors[next(iter(self.ctors))]

    def _ctor_bytes(self, obj: object) -> bytes | None:
        entry = self.ctors.get(id(obj))
        if entry is None:
            return None
        anchor, data = entry
        alive = anchor() is obj if isinstance(anchor, weakref.ref) else type(obj) is anchor
        return data if alive else None

    def _resolve_classes(self) -> None:
        for module in list(self._unresolved):
            loaded = sys.modules.get(module)
            spec = getattr(loaded, "__spec__", None)
            if loaded is None or getattr(spec, "_initializing", False):
                continue  # not imported yet, or still running its module body
            self._unresolved.discard(module)
            for qualname, kind in self.targets[module].items():
                cls = getattr(loaded, qualname, None)
                if kind == "constructor" and isinstance(cls, type):
                    self.classes[cls] = qualname
                    init = getattr(getattr(cls, "__init__", None), "__code__", None)
                    if init is not None:
                        self.init_codes.add(init)

    def _receiver(self, obj: object) -> Any:
        """The receiver as ``(args, kwargs)`` of its constructor.

        An instance built without a constructor call we saw (``__new__``, a copy) is
        not recorded: pickled by its attributes, it would load into the optimized
        class with the old layout, and an honest rewrite that adds an attribute in
        ``__init__`` would fail every case built on it.
        """
        data = self._ctor_bytes(obj)
        if data is not None:
            return pickle.loads(data)  # noqa: S301 - pickled by this recorder
        found = _dataclass_ctor(obj)
        if found is not None:
            return found
        if type(obj).__init__ is object.__init__ and not getattr(obj, "__dict__", None):
            return ((), {})  # no constructor of its own, no state: built by ``Cls()``
        raise _Unportable(type(obj).__qualname__)

    def _receiver_of(self, obj: object, qualname: str) -> Any:
        """The receiver of a call of ``qualname``: its constructor's ``(args, kwargs)``,
        or ``(None, Build(subclass))`` when the method is inherited by a subclass (a
        base class may refuse to be built, as an abstract one does)."""
        cls = type(obj)
        if cls.__qualname__ == qualname.rsplit(".", 1)[0]:
            return self._receiver(obj)
        if self.classes.get(cls) is None:
            raise _Unportable(cls.__qualname__)
        return (None, self._portable(obj))

    def _portable(self, value: object) -> object:
        """An argument that is an instance of a class in scope, as the call that builds
        it (``Build("pkg.mod.Reader", "a=b")``), a regular expression's match as the
        search that finds it again (:mod:`~pytest_autoimprove.runtime.matches`);
        anything else as it is."""
        cls = type(value)
        if cls is re.Match:
            found = recipe(value)  # type: ignore[arg-type]
            if found is None:
                raise _Unportable("re.Match")
            return Build(REMATCH, *found)
        if cls.__module__ not in self.targets or isinstance(value, _BY_VALUE):
            return value
        qualname = self.classes.get(cls)
        if qualname is None:
            raise _Unportable(cls.__qualname__)
        args, kwargs = self._receiver(value)
        return Build(f"{cls.__module__}.{qualname}", *args, **kwargs)

    def _record(self, frame: types.FrameType, code: types.CodeType, module: str) -> None:
        names = code.co_varnames
        n_pos = code.co_argcount
        args, kwargs = _arguments(code, frame.f_locals)
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
            args = args[1:]
        elif "." in qualname and args and names[:1] in (("self",), ("cls",)):
            first = args[0]
            if names[0] == "self":
                kind = self.targets.get(module, {}).get(qualname)
                if kind is None:
                    return
                ctor = self._receiver_of(first, qualname)
            args = args[1:]
        kind = self.targets.get(module, {}).get(qualname)
        if kind is None or (kind == "constructor") != (code.co_name == "__init__"):
            return  # not a target, or a class body run at import time
        positional = [n for n in names[:n_pos] if n not in ("self", "cls")]
        internal = self.internal.get(module, {}).get(qualname, set())
        while args and len(args) <= len(positional) and positional[len(args) - 1] in internal:
            args = args[:-1]
        kwargs = {name: value for name, value in kwargs.items() if name not in internal}
        try:
            args = [self._portable(value) for value in args]
            kwargs = {name: self._portable(value) for name, value in kwargs.items()}
        except _Unportable:
            return
        features = call_features(args, kwargs)
        bucket = self.records.setdefault(module, {}).setdefault(qualname, [])
        counts = self.shapes.setdefault((module, qualname), Counter())
        slot = None
        most = MAX_PER_NAMED if qualname in self.named.get(module, ()) else MAX_PER_TARGET
        if len(bucket) >= most:
            # Full: a call of a new shape takes the place of one whose shape repeats.
            slot = replaceable([r["features"] for r in bucket], features, counts)
            if slot is None:
                return
        try:
            payload = pickle.dumps((tuple(args), kwargs, ctor), protocol=4)
        except Exception:  # noqa: BLE001 - values that cannot be stored are skipped
            return
        key = (module, qualname, payload)
        if key in self.seen:
            return
        self.seen.add(key)
        sources = {name: to_source(value) for name, value in zip(positional, args, strict=False)}
        sources.update({name: to_source(value) for name, value in kwargs.items()})
        record = {"payload": payload, "sources": sources, "features": sorted(features)}
        if slot is None:
            bucket.append(record)
        else:
            counts.subtract(bucket[slot]["features"])
            bucket[slot] = record
        counts.update(features)
        if time.monotonic() - self.last_write > 0.5:
            self.write()

    def write(self) -> None:
        self.last_write = time.monotonic()
        tmp = self.out.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(self.records, handle, protocol=4)
        os.replace(tmp, self.out)


def _arguments(code: types.CodeType, local: Mapping[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The call's arguments as the frame holds them when the call starts."""
    names = code.co_varnames
    n_pos = code.co_argcount
    n_kw = code.co_kwonlyargcount
    args = [local[n] for n in names[:n_pos] if n in local]
    index = n_pos + n_kw
    kwargs = {n: local[n] for n in names[n_pos:index] if n in local}
    if code.co_flags & _VARARGS:
        args.extend(local.get(names[index], ()))
        index += 1
    if code.co_flags & _VARKEYWORDS:
        kwargs.update(local.get(names[index], {}))
    return args, kwargs


#: Instances of a class in scope that pickle as what they are, not by their attributes.
_BY_VALUE = (tuple, BaseException, enum.Enum)


class _Unportable(Exception):
    """An instance of a class in scope that no recorded constructor call can rebuild."""


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
    recorder = Recorder(
        spec["files"], spec["targets"], Path(out), spec.get("internal"), spec.get("named")
    )
    config.stash[_RECORDER] = recorder
    sys.setprofile(recorder.profile)


@contextlib.contextmanager
def only_if_it_works() -> Iterator[None]:
    """Calls recorded in the block are forgotten when it raises: an example run with a
    guessed value for a name its page leaves to the reader (``your_markdown_text``)
    shows the code's real inputs only when the example works."""
    # The recorder whose hook is installed (none: nothing is recorded anyway).
    recorder = getattr(sys.getprofile(), "__self__", None)
    if not isinstance(recorder, Recorder):
        recorder = None
    state = recorder.snapshot() if recorder is not None else None
    try:
        yield
    except BaseException:
        if recorder is not None:
            recorder.restore(state)
        raise


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
    internal: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    named: Mapping[str, Sequence[str]] | None = None,
) -> tuple[dict[str, dict[str, list[TracedCall]]], str | None]:
    """Run ``command`` (the project's tests) under the tracer; return records and a note.

    The command runs in its own process group and is killed (with everything it
    started) after ``timeout`` seconds; whatever was recorded until then is kept.
    """
    with tempfile.TemporaryDirectory(prefix="autoimprove-trace-") as tmp:
        spec = Path(tmp) / "spec.json"
        out = Path(tmp) / "trace.pickle"
        spec.write_text(
            json.dumps(
                {
                    "files": dict(files),
                    "targets": {k: dict(v) for k, v in targets.items()},
                    "internal": {
                        k: {q: list(n) for q, n in v.items()} for k, v in (internal or {}).items()
                    },
                    "named": {k: sorted(v) for k, v in (named or {}).items()},
                }
            )
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
