"""Watches a quality benchmark from inside: who reads the golden files, and how entry points behave.

Put on ``PYTHONPATH`` by :mod:`pytest_autoimprove.generators.quality_harness` together
with ``AUTOIMPROVE_QUALITY_SPEC`` (a JSON file), so every Python process the user's
``run`` command starts loads it first. It depends on the standard library only (the
benchmark may run under another interpreter) and does two things:

- an audit hook (:pep:`578`) logs every ``open`` of a golden file, and every
  subprocess naming one or calling git, made while code *in scope* is on the stack:
  the system reading the answers, however it builds the path;
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

import functools
import importlib.abc
import importlib.machinery
import inspect
import json
import linecache
import os
import signal
import sys
import threading
import types
from typing import Any

_SPEC_ENV = "AUTOIMPROVE_QUALITY_SPEC"


class _CallTimeout(BaseException):
    """Raised by the alarm inside an edge call that takes too long."""


class _Watcher:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.log_path: str = spec["log"]
        self.protected = {os.path.realpath(p) for p in spec.get("protected", [])}
        self.protected_dirs = [os.path.realpath(p) + os.sep for p in spec.get("protected_dirs", [])]
        self.protected_names = [n for n in spec.get("protected_names", []) if n]
        self.scope = {os.path.realpath(p) for p in spec.get("scope", [])}
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
            busy = getattr(watcher.busy, "probing", False)
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

        def probe_one(
            args: tuple[Any, ...], kwargs: dict[str, Any], source: str, text: str,
            base: str | None, container: Any, limit: Any,
        ) -> None:
            value: Any = text if container is None else container([text])
            new_args, new_kwargs = replace(args, kwargs, value)
            batch = container is not None
            watcher.observe(func, target, source, text, base, new_args, new_kwargs, limit, batch)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            query = locate(args, kwargs)
            # A list of texts (annotated as one or not: untyped code) is a batch, probed
            # one text at a time in a container of the caller's type.
            queries = [query] if isinstance(query, str) else _texts(query)
            if getattr(watcher.busy, "probing", False) or not queries:
                return func(*args, **kwargs)
            container = None if isinstance(query, str) else type(query)
            batch = container is not None
            # Called by the benchmark (or a library), not by other code in scope: an
            # entry point, not an internal helper.
            caller = sys._getframe(1).f_code.co_filename
            external = caller.startswith("<") or watcher.real(caller) not in watcher.scope
            watcher.busy.probing = True
            try:
                limit = limit_of(args, kwargs)
                if watcher.claim(target["id"]):
                    for edge in watcher.probe_spec("edges"):
                        probe_one(args, kwargs, "edge", edge, None, container, limit)
                count = watcher.seen_queries.get(target["id"], 0)
                room = int(watcher.probe_spec("max_observed") or 0) - count
                observed = queries[: max(room, 0)]
                watcher.seen_queries[target["id"]] = count + len(observed)
                for text in observed:
                    for name, variant in _variants(text):
                        probe_one(args, kwargs, f"variant:{name}", variant, text, container, limit)
                try:
                    result = func(*args, **kwargs)
                except BaseException as exc:
                    for text in observed:
                        event = _call_event(target, "golden", text, None, limit)
                        event.update(ok=False, error=type(exc).__name__, message=str(exc)[:300])
                        event["ext"] = external
                        watcher.emit(event)
                    raise
                if batch:
                    watcher.emit({"e": "batch", "t": target["id"], "n_in": len(queries),
                                  "n_out": _length(result)})
                items = _items(result, len(queries)) if batch else [result]
                for text, item in zip(observed, items, strict=False):
                    event = _call_event(target, "golden", text, None, limit)
                    event.update(ok=True, summary=summarize(item), ext=external)
                    watcher.emit(event)
                return result
            finally:
                watcher.busy.probing = False

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

    def observe(
        self,
        func: Any,
        target: dict[str, Any],
        source: str,
        query: str,
        base: str | None,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        limit: Any,
        batch: bool = False,
    ) -> None:
        event = _call_event(target, source, query, base, limit)
        timeout = float(self.probe_spec("call_timeout") or 10.0)
        try:
            with _deadline(timeout):
                value = func(*args, **kwargs)
            event["ok"] = True
            items = _items(value, 1) if batch else [value]
            if items:
                event["summary"] = summarize(items[0])
            else:
                event["summary"] = {"type": "<no item>", "batch_len": _length(value)}
        except _CallTimeout:
            event["ok"] = False
            event["error"] = "Timeout"
            event["message"] = f"no answer within {timeout:g}s"
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - any crash is what we record
            event["ok"] = False
            event["error"] = type(exc).__name__
            event["message"] = str(exc)[:300]
            event["deliberate"] = self.deliberate(exc)
        self.emit(event)

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


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False
        self.previous: Any = None

    def __enter__(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def alarm(signum: int, frame: types.FrameType | None) -> None:
            raise _CallTimeout

        self.previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        self.armed = True

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


def _deadline(seconds: float) -> _Deadline:
    return _Deadline(seconds)


def _call_event(
    target: dict[str, Any], source: str, query: str, base: str | None, limit: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {"e": "call", "t": target["id"], "src": source, "q": query}
    if base is not None:
        event["base"] = base
    if limit is not None:
        event["limit"] = limit
    return event


def _texts(value: object) -> list[str] | None:
    """The texts of a batch argument (a list or tuple of str), else ``None``."""
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _length(value: object) -> int | None:
    try:
        return len(value)  # type: ignore[arg-type]
    except TypeError:
        return None


def _items(value: object, expected: int) -> list[Any]:
    """The per-text answers of a batch result (a sequence, or an array's rows)."""
    if isinstance(value, (str, bytes, dict)) or _length(value) != expected:
        return []
    try:
        return [value[i] for i in range(expected)]  # type: ignore[index]
    except (TypeError, IndexError, KeyError):
        return []


def _variants(query: str) -> list[tuple[str, str]]:
    words = query.split()
    out = [("padded", f"  {query}  "), ("double-spaced", "  ".join(words))]
    if query.upper() != query:
        out.append(("upper-case", query.upper()))
    if query.lower() != query:
        out.append(("lower-case", query.lower()))
    return out


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


def _sibling(name: str) -> types.ModuleType:
    """A module of this folder, loaded from its path (the folder leaves ``sys.path``)."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    module_spec = importlib.util.spec_from_file_location(name, path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


summarize = _sibling("_autoimprove_summary").summarize


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
