"""Watches a quality benchmark from inside: who reads the golden files, and how entry points behave.

Put on ``PYTHONPATH`` by :mod:`pytest_autoimprove.runtime.harness` together
with ``AUTOIMPROVE_QUALITY_SPEC`` (a JSON file), so every Python process the user's
``run`` command starts loads it first. It depends on the standard library only (the
benchmark may run under another interpreter) and does two things:

- an audit hook (:pep:`578`) logs every ``open`` of a golden file, and every
  subprocess naming one or calling git, made while code *in scope* is on the stack:
  the system reading the answers, however it builds the path; it also notes the data
  files in the repository that code in scope reads (its corpus, whose ids are the
  only ones it may return);
- an import hook wraps the query-like entry points of the files in scope. The first
  call of each (with the harness's own instance and arguments) also runs the edge
  inputs of the spec with the query replaced, and each call on a golden query runs a
  few whitespace and case variants of it; outcomes are summarized into the log (type,
  length, ids, scores), from which invariants are learned at generation time and
  checked at test time.

After installing itself it imports any other ``sitecustomize`` further down the path,
so an environment's own one still runs.
"""

from __future__ import annotations

import collections.abc
import contextlib
import contextvars
import functools
import importlib.abc
import importlib.machinery
import inspect
import itertools
import json
import linecache
import os
import sys
import threading
import types
from collections.abc import Iterator
from typing import Any

_SPEC_ENV = "AUTOIMPROVE_QUALITY_SPEC"
#: Files whose reads are noted as the system's data (its corpus, its catalogue).
_DATA_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".tsv")
#: Set while an entry point is being probed: the calls it makes are not probed again.
#: A context variable, not a thread local: tasks of one event loop (asyncio.gather) each
#: have their own, so one task's probe does not hide the others' calls.
_PROBING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "autoimprove_probing", default=False
)


class _Outcome:
    """What a watched call returned (set inside the ``with``)."""

    value: Any = None


@contextlib.contextmanager
def _probing() -> Iterator[None]:
    """Calls made while a watched call runs are its own: not probed again."""
    token = _PROBING.set(True)
    try:
        yield
    finally:
        _PROBING.reset(token)


class _Watcher:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.log_path: str = spec["log"]
        self.protected = {os.path.realpath(p) for p in spec.get("protected", [])}
        self.protected_dirs = [os.path.realpath(p) + os.sep for p in spec.get("protected_dirs", [])]
        self.protected_names = [n for n in spec.get("protected_names", []) if n]
        self.scope = {os.path.realpath(p) for p in spec.get("scope", [])}
        root = spec.get("root")
        self.data_root = os.path.realpath(root) + os.sep if root else None
        self.data_seen: set[str] = set()
        self.probe: dict[str, Any] | None = spec.get("probe")
        self.busy = threading.local()
        self._real: dict[str, str] = {}
        self._log: Any = None
        self.seen_queries: dict[str, int] = {}
        # golden queries, whitespace-collapsed and case-folded: how a parameter is recognized
        self.queries = {
            " ".join(q.split()).casefold() for q in (self.probe or {}).get("queries") or []
        }

    # -- logging ------------------------------------------------------------------

    def emit(self, event: dict[str, Any]) -> None:
        self.busy.on = True
        try:
            if self._log is None:
                self._log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115
            self._log.write(json.dumps(event, default=repr) + "\n")
            self._log.flush()
        except OSError:
            pass
        finally:
            self.busy.on = False

    # -- the audit hook -----------------------------------------------------------

    def real(self, path: str) -> str:
        found = self._real.get(path)
        if found is None:
            found = os.path.realpath(path)
            if len(self._real) < 100_000:
                self._real[path] = found
        return found

    def in_scope_frame(self) -> str | None:
        frame: types.FrameType | None = sys._getframe(2)
        while frame is not None:
            name = frame.f_code.co_filename
            if not name.startswith("<") and self.real(name) in self.scope:
                return f"{name}:{frame.f_lineno}"
            frame = frame.f_back
        return None

    def is_protected(self, path: str) -> bool:
        real = self.real(path)
        return real in self.protected or any(real.startswith(d) for d in self.protected_dirs)

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        if getattr(self.busy, "on", False):
            return
        try:
            if event in ("open", "os.listdir", "os.scandir", "glob.glob"):
                target = args[0] if args else None
                if target is None or isinstance(target, int):
                    return
                path = os.fsdecode(os.fspath(target))
                if event == "glob.glob":
                    path = os.path.dirname(path) or "."
                if self.is_protected(path):
                    where = self.in_scope_frame()
                    if where is not None:
                        self.emit({"e": "read", "op": event, "path": path, "by": where})
                elif event == "open" and path.endswith(_DATA_SUFFIXES):
                    self.data_read(path)
            elif event in ("subprocess.Popen", "os.system", "os.posix_spawn", "os.exec"):
                text = " ".join(str(a) for a in args[:2])
                suspicious = any(n in text for n in self.protected_names) or any(
                    part.rsplit("/", 1)[-1] == "git" for part in text.replace("'", " ").split()
                )
                if suspicious:
                    where = self.in_scope_frame()
                    if where is not None:
                        self.emit({"e": "spawn", "op": event, "args": text[:500], "by": where})
        except Exception:  # noqa: BLE001 - an audit hook must never break the program
            return

    def data_read(self, path: str) -> None:
        """Note a data file of the repository read by code in scope (once per path)."""
        if self.data_root is None or path in self.data_seen:
            return
        self.data_seen.add(path)
        real = self.real(path)
        if real.startswith(self.data_root) and self.in_scope_frame() is not None:
            # relative: in `copy` mode the run's root is a scratch copy, gone afterwards
            self.emit({"e": "data", "path": real[len(self.data_root) :]})

    # -- the entry point probe -------------------------------------------------------

    def patch(self, module: types.ModuleType, targets: list[dict[str, Any]]) -> None:
        for target in targets:
            try:
                self._patch_one(module, target)
            except Exception as exc:  # noqa: BLE001
                self.emit({"e": "missing", "t": target["id"], "why": repr(exc)})

    def _patch_one(self, module: types.ModuleType, target: dict[str, Any]) -> None:
        parts = target["qualname"].split(".")
        if len(parts) == 1:
            func = module.__dict__.get(parts[0])
            if not callable(func):
                self.emit({"e": "missing", "t": target["id"], "why": "not found"})
                return
            setattr(module, parts[0], self.wrap(func, target, skip_self=False))
        else:
            cls = module.__dict__.get(parts[0])
            raw = getattr(cls, "__dict__", {}).get(parts[1]) if cls is not None else None
            if raw is None:
                self.emit({"e": "missing", "t": target["id"], "why": "not found"})
                return
            if isinstance(raw, staticmethod):
                setattr(cls, parts[1], staticmethod(self.wrap(raw.__func__, target, False)))
            elif isinstance(raw, classmethod):
                setattr(cls, parts[1], classmethod(self.wrap(raw.__func__, target, True)))
            else:
                setattr(cls, parts[1], self.wrap(raw, target, skip_self=True))
        self.emit({"e": "patched", "t": target["id"]})

    def wrap(self, func: Any, target: dict[str, Any], skip_self: bool) -> Any:
        if target.get("discover"):
            return self.wrap_discover(func, target, skip_self)
        return self.wrap_param(func, target, skip_self)

    def wrap_discover(self, func: Any, target: dict[str, Any], skip_self: bool) -> Any:
        """Wrap a callable whose query parameter is unknown: the one given a golden query.

        Any public callable in scope may take the user's query under any name; the
        first call that passes a golden query (or a list of them) names the parameter,
        and from then on it is probed like a known entry point.
        """
        try:
            signature = inspect.signature(func)
        except (TypeError, ValueError):
            return func
        queries = self.queries
        longest = max((len(q) for q in queries), default=0) + 8
        by_param: dict[str, Any] = {}
        watcher = self

        def golden(value: object) -> bool:
            if isinstance(value, (list, tuple)) and value:
                value = value[0]
            return (
                isinstance(value, str)
                and len(value) <= longest
                and " ".join(value.split()).casefold() in queries
            )

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            busy = _PROBING.get()
            if busy or not any(golden(v) for v in (*args, *kwargs.values())):
                return func(*args, **kwargs)
            try:
                bound = signature.bind_partial(*args, **kwargs).arguments
            except TypeError:
                return func(*args, **kwargs)
            name = next((n for n, v in bound.items() if golden(v)), None)
            if name is None:
                return func(*args, **kwargs)
            if name not in by_param:
                by_param[name] = watcher.wrap_param(func, {**target, "param": name}, skip_self)
                watcher.emit({"e": "seen", "t": target["id"], "param": name})
            return by_param[name](*args, **kwargs)

        return wrapper

    def wrap_param(self, func: Any, target: dict[str, Any], skip_self: bool) -> Any:
        try:
            names = list(inspect.signature(func).parameters)
            params = inspect.signature(func).parameters
        except (TypeError, ValueError):
            return func
        param = target["param"]
        if param not in names:
            return func
        index = names.index(param)
        limit_param: str | None = target.get("limit_param")
        limit_default = None
        if (
            limit_param is not None
            and limit_param in params
            and params[limit_param].default is not inspect.Parameter.empty
        ):
            limit_default = params[limit_param].default
        limit_index = names.index(limit_param) if limit_param in names else None
        watcher = self

        def locate(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            if param in kwargs:
                return kwargs[param]
            return args[index] if len(args) > index else None

        def replace(args: tuple[Any, ...], kwargs: dict[str, Any], value: str) -> Any:
            if param in kwargs:
                return args, {**kwargs, param: value}
            new = list(args)
            new[index] = value
            return tuple(new), kwargs

        def limit_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            if limit_param is None:
                return None
            if limit_param in kwargs:
                value = kwargs[limit_param]
            elif limit_index is not None and len(args) > limit_index:
                value = args[limit_index]
            else:
                value = limit_default
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        def prepare(args: tuple[Any, ...], kwargs: dict[str, Any], caller: str) -> Any:
            """What one call is probed with, or ``None`` (not a text query, or nested)."""
            query = locate(args, kwargs)
            # A list of texts (annotated as one or not: untyped code) is a batch, probed
            # one text at a time in a container of the caller's type.
            queries = [query] if isinstance(query, str) else _texts(query)
            if _PROBING.get() or not queries:
                return None
            container = None if isinstance(query, str) else type(query)
            limit = limit_of(args, kwargs)
            todo: list[tuple[str, str, str | None]] = []
            if watcher.claim(target["id"]):
                todo += [("edge", edge, None) for edge in watcher.probe_spec("edges")]
            count = watcher.seen_queries.get(target["id"], 0)
            room = int(watcher.probe_spec("max_observed") or 0) - count
            observed = queries[: max(room, 0)]
            watcher.seen_queries[target["id"]] = count + len(observed)
            for text in observed:
                todo += [(f"variant:{n}", v, text) for n, v in _variants(text)]
            probes = []
            for source, text, base in todo:
                value: Any = text if container is None else container([text])
                new_args, new_kwargs = replace(args, kwargs, value)
                batch = container is not None
                probes.append((target, source, text, base, new_args, new_kwargs, limit, batch))
            return _Prepared(
                queries,
                observed,
                container is not None,
                limit,
                probes,
                # Called by the benchmark (or a library), not by other code in scope: an
                # entry point, not an internal helper.
                caller.startswith("<") or watcher.real(caller) not in watcher.scope,
            )

        def finish(prep: Any, result: Any, exc: BaseException | None) -> None:
            """Log the golden call itself (one event per text of a batch)."""
            if exc is not None:
                for text in prep.observed:
                    event = _call_event(target, "golden", text, None, prep.limit)
                    event.update(ok=False, error=type(exc).__name__, message=str(exc)[:300])
                    event["ext"] = prep.external
                    watcher.emit(event)
                return
            if prep.batch:
                watcher.emit(
                    {
                        "e": "batch",
                        "t": target["id"],
                        "n_in": len(prep.queries),
                        "n_out": _length(result),
                    }
                )
            items = _items(result, len(prep.queries)) if prep.batch else [result]
            for text, item in zip(prep.observed, items, strict=False):
                event = _call_event(target, "golden", text, None, prep.limit)
                event.update(ok=True, summary=summarize(item), ext=prep.external)
                watcher.emit(event)

        @contextlib.contextmanager
        def logged(prep: Any) -> Iterator[_Outcome]:
            """The golden call itself logged, whether it returns or raises."""
            outcome = _Outcome()
            try:
                yield outcome
            except BaseException as exc:
                finish(prep, None, exc)
                raise
            finish(prep, outcome.value, None)

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                prep = prepare(args, kwargs, _caller())
                if prep is None:
                    return await func(*args, **kwargs)
                with _probing():
                    for probe in prep.probes:
                        await watcher.observe_async(func, probe)
                    with logged(prep) as outcome:
                        outcome.value = await func(*args, **kwargs)
                return outcome.value

            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prep = prepare(args, kwargs, _caller())
            if prep is None:
                return func(*args, **kwargs)
            with _probing():
                for probe in prep.probes:
                    watcher.observe(func, probe)
                with logged(prep) as outcome:
                    outcome.value = func(*args, **kwargs)
            return outcome.value

        return wrapper

    def probe_spec(self, key: str) -> Any:
        return (self.probe or {}).get(key) or ([] if key == "edges" else None)

    def claim(self, target_id: str) -> bool:
        """True once per target across every process of the run."""
        claim_dir = self.probe_spec("claim_dir")
        if not claim_dir:
            return False
        name = "".join(c if c.isalnum() else "_" for c in target_id)
        self.busy.on = True
        try:
            fd = os.open(os.path.join(claim_dir, name), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except OSError:
            return False
        finally:
            self.busy.on = False
        os.close(fd)
        return True

    def _start(self, probe: tuple[Any, ...]) -> tuple[dict[str, Any], Any, Any, bool, float]:
        """A probed call's event, its arguments, whether it is a batch, and its time limit.

        ``probe`` is ``(target, source, query, base, args, kwargs, limit[, batch])``.
        """
        target, source, query, base, args, kwargs, limit, *rest = probe
        event = _call_event(target, source, query, base, limit)
        timeout = float(self.probe_spec("call_timeout") or 10.0)
        return event, args, kwargs, bool(rest and rest[0]), timeout

    def observe(self, func: Any, probe: tuple[Any, ...]) -> None:
        """Call ``func`` once as ``probe`` says, bounded in time; record what it did."""
        event, args, kwargs, batch, timeout = self._start(probe)
        try:
            with _deadline(timeout):
                value = func(*args, **kwargs)
                if isinstance(value, collections.abc.Iterator):
                    # a lazy answer (a generator) fails when read, not when called
                    value = list(itertools.islice(value, 1000))
            self.outcome(event, value, None, batch, timeout)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - any crash is what we record
            self.outcome(event, None, exc, batch, timeout)
        self.emit(event)

    async def observe_async(self, func: Any, probe: tuple[Any, ...]) -> None:
        """:meth:`observe` for a coroutine function, awaited in the caller's event loop."""
        import asyncio

        event, args, kwargs, batch, timeout = self._start(probe)
        try:
            value = await asyncio.wait_for(func(*args, **kwargs), timeout)
            self.outcome(event, value, None, batch, timeout)
        except asyncio.TimeoutError:
            self.outcome(event, None, _CallTimeout(), batch, timeout)
        except (KeyboardInterrupt, asyncio.CancelledError):
            raise
        except BaseException as exc:  # noqa: BLE001 - any crash is what we record
            self.outcome(event, None, exc, batch, timeout)
        self.emit(event)

    def outcome(
        self,
        event: dict[str, Any],
        value: Any,
        exc: BaseException | None,
        batch: bool,
        timeout: float,
    ) -> None:
        """Fill ``event`` with a probed call's answer or exception."""
        if isinstance(exc, _CallTimeout):
            event.update(ok=False, error="Timeout", message=f"no answer within {timeout:g}s")
        elif exc is not None:
            event.update(ok=False, error=type(exc).__name__, message=str(exc)[:300])
            event["deliberate"] = self.deliberate(exc)
        else:
            event["ok"] = True
            items = _items(value, 1) if batch else [value]
            if items:
                event["summary"] = summarize(items[0])
            else:
                event["summary"] = {"type": "<no item>", "batch_len": _length(value)}

    def deliberate(self, exc: BaseException) -> bool:
        """Whether code in scope raised ``exc`` with a ``raise`` statement (input validation).

        An exception from inside a library, a builtin (``int("")``) or an unpacking
        is a crash, even when the module documents the exception type.
        """
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is None:
            return False
        name = tb.tb_frame.f_code.co_filename
        if self.real(name) not in self.scope:
            return False
        self.busy.on = True
        try:
            line = linecache.getline(name, tb.tb_lineno).strip()
        finally:
            self.busy.on = False
        return line.startswith("raise ")


class _Finder(importlib.abc.MetaPathFinder):
    """Wraps the entry points of a target file right after its module has run."""

    def __init__(self, watcher: _Watcher, by_file: dict[str, list[dict[str, Any]]]) -> None:
        self.watcher = watcher
        self.by_file = by_file

    def find_spec(
        self, fullname: str, path: Any, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        spec: Any = None
        for finder in sys.meta_path:
            if finder is self:
                continue
            find = getattr(finder, "find_spec", None)
            if find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        if spec is None or not spec.origin or spec.loader is None:
            return None
        targets = self.by_file.get(os.path.realpath(spec.origin))
        if not targets or not hasattr(spec.loader, "exec_module"):
            return None
        loader = spec.loader
        original = loader.exec_module
        watcher = self.watcher

        def exec_module(module: types.ModuleType) -> None:
            original(module)
            watcher.patch(module, targets)

        loader.exec_module = exec_module
        found: importlib.machinery.ModuleSpec = spec
        return found


def _caller() -> str:
    """The file of the code that called the wrapped entry point (past the watcher's frames)."""
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else "<unknown>"


def _sibling(name: str) -> types.ModuleType:
    """A module of this folder, loaded from its path (the folder leaves ``sys.path``)."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    module_spec = importlib.util.spec_from_file_location(name, path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


_summary = _sibling("_autoimprove_summary")
summarize = _summary.summarize
_call_event = _summary.call_event
_texts = _summary.texts
_length = _summary.length
_items = _summary.items
_variants = _summary.variants
_CallTimeout = _summary.CallTimeout
_Prepared = _summary.Prepared
_deadline = _summary.deadline


def _install() -> None:
    spec_path = os.environ.get(_SPEC_ENV)
    if not spec_path:
        return
    try:
        with open(spec_path, encoding="utf-8") as handle:
            spec = json.load(handle)
    except (OSError, ValueError):
        return
    watcher = _Watcher(spec)
    sys.addaudithook(watcher.audit)
    probe = spec.get("probe") or {}
    by_file: dict[str, list[dict[str, Any]]] = {}
    programs = []
    for target in probe.get("targets", []):
        if target.get("cli"):
            programs.append(target)
        else:
            by_file.setdefault(os.path.realpath(target["file"]), []).append(target)
    if by_file:
        sys.meta_path.insert(0, _Finder(watcher, by_file))
    if programs:
        _install_cli_probe(watcher, programs, probe)


def _install_cli_probe(
    watcher: _Watcher, programs: list[dict[str, Any]], probe: dict[str, Any]
) -> None:
    """Re-run the command lines of programs in scope at exit (:mod:`_autoimprove_cli_probe`)."""
    import atexit

    module = _sibling("_autoimprove_cli_probe")
    cli = module.CliProbe(
        programs,
        list(probe.get("queries") or []),
        watcher.emit,
        watcher.claim,
        _variants,
        list(probe.get("edges") or []),
        float(probe.get("call_timeout") or 10.0),
    )
    cli.summarize_json = summarize
    atexit.register(cli.at_exit)


def _chain() -> None:
    """Import the ``sitecustomize`` this one shadows, if there is one."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    this = sys.modules.pop("sitecustomize", None)
    try:
        import sitecustomize  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        if this is not None:
            sys.modules["sitecustomize"] = this


_install()
_chain()
