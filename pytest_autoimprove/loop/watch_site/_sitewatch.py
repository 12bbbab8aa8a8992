"""Watches a test or benchmark process from inside, for the loop's sandbox.

Loaded first in every Python process the loop's tests and benchmarks start: the
sandbox (:mod:`pytest_autoimprove.loop.sandbox`) puts a two-line ``sitecustomize.py``
on ``PYTHONPATH`` that imports this module and calls :func:`install` with its spec,
before any code of the project runs. Standard library only, and only modules a
Python start-up has already loaded (a benchmark may run another interpreter, and
every process pays for what this imports).

What it does, and reports to the loop through the session's channel (a FIFO the
loop reads; what was written cannot be taken back):

- **Pins the clocks.** ``time``'s class becomes one whose attribute lookups of the
  clock functions return the clocks captured at start-up, whatever was written
  over them; each write is reported with the line that made it. The clocks handed
  out note their first and last reading and how often they were read, which tells
  the loop what share of the process the benchmark timed and how long the work
  between two readings took.
- **An audit hook** (:pep:`578`; it cannot be removed) reports, when the innermost
  frame of the tree under test on the stack is code in scope: writes outside the
  worktree and the sandbox (or new files in the worktree), reads of places where a
  previous run could have left state (the real home and temp folders, the user's
  checkout, the run folder), ``__code__``/``__defaults__`` swaps on functions it
  does not own, a module's class replaced, trace/profile/audit hooks, searches of
  the garbage collector, a look at the caller's frame, and imports of the harness.
- **At exit** (the last ``atexit`` handler, and in ``os._exit``, which it wraps):
  whether a clock, a builtin, ``sys.exit`` or ``os._exit`` was replaced, or a module
  of the harness or the benchmark holds a clock that is not the real one.

Findings carry ``where`` (``path:line`` of the culprit, repo-relative) when code in
scope did it; the loop decides what is tampering, and ignores what the untouched
baseline also does.
"""

from __future__ import annotations

import atexit
import builtins
import marshal
import os
import sys
import time

# Nothing beyond what a Python start-up has loaded: every process pays for an import here.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType, ModuleType
    from typing import Any, NoReturn
else:
    ModuleType = type(sys)

#: Clock functions of ``time`` that are pinned and checked.
CLOCKS = (
    "perf_counter",
    "perf_counter_ns",
    "monotonic",
    "monotonic_ns",
    "time",
    "time_ns",
    "process_time",
    "process_time_ns",
    "thread_time",
    "thread_time_ns",
)
#: Names under which a module may hold a clock it imported.
CLOCK_NAMES = (*CLOCKS, "default_timer")
#: Clocks whose readings measure wall time, and CPU time.
WALL_CLOCKS = ("perf_counter", "monotonic", "time")
CPU_CLOCKS = ("process_time",)
_SWAP_ATTRIBUTES = frozenset({"__code__", "__defaults__", "__kwdefaults__"})
_FRAME_HELPERS = ("inspect.py", "traceback.py")
_MAX_RECORD = 3500
_O_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class _State:
    """Everything the watcher keeps, in one object held by closures."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.label: str = spec.get("label", "")
        self.trees: tuple[str, ...] = tuple(_dir(p) for p in spec.get("trees", ()))
        self.scope: frozenset[str] = frozenset(spec.get("scope", ()))
        self.all_scope = bool(spec.get("all_scope"))
        self.frozen: frozenset[str] = frozenset(spec.get("frozen", ()))
        self.writable: tuple[str, ...] = tuple(_dir(p) for p in spec.get("writable", ()))
        self.watched: tuple[str, ...] = tuple(_dir(p) for p in spec.get("watched", ()))
        self.readable: tuple[str, ...] = tuple(
            _dir(p) for p in (*spec.get("readable", ()), *_python_dirs())
        )
        self.site: str = spec.get("site", "")
        self.fd = -1
        self.busy = [False]
        self.forked = False
        self.finished = False
        self.seen: set[tuple[str, str]] = set()
        self.relative: dict[str, str | None] = {}
        self.clocks = {name: getattr(time, name) for name in CLOCKS if hasattr(time, name)}
        self.readings: dict[str, list[float]] = {}
        self.builtins = dict(builtins.__dict__)
        self.exit = sys.exit
        self.os_exit: Callable[[int], NoReturn] = os._exit
        self.start_wall = time.perf_counter()
        self.start_cpu = time.process_time()
        self.pinned: dict[str, ModuleType] = {}

    # -- reporting ------------------------------------------------------------------

    def emit(self, record: dict[str, Any]) -> None:
        if self.fd < 0:
            return
        record.setdefault("pid", os.getpid())
        text = repr(record)
        if len(text) > _MAX_RECORD:
            record["message"] = str(record.get("message", ""))[:300]
            record.pop("detail", None)
            text = repr(record)[:_MAX_RECORD]
        try:
            os.write(self.fd, (text + "\n").encode("utf-8", "replace"))
        except OSError:
            self.fd = -1

    def finding(self, kind: str, message: str, where: str | None = None) -> None:
        key = (kind, message)
        if key in self.seen:
            return
        self.seen.add(key)
        self.emit({"e": "finding", "kind": kind, "message": message, "where": where})

    # -- where things happen ------------------------------------------------------------

    def in_tree(self, filename: str) -> str | None:
        """``filename`` relative to the tree under test, or ``None`` outside it."""
        found = self.relative.get(filename, "")
        if found != "":
            return found
        result = None
        if not filename.startswith("<"):
            path = filename if os.path.isabs(filename) else os.path.join(os.getcwd(), filename)
            for variant in (path, os.path.realpath(path)):
                for tree in self.trees:
                    if variant.startswith(tree) or variant + os.sep == tree:
                        result = variant[len(tree) :]
                        break
                if result is not None:
                    break
        if len(self.relative) < 50_000:
            self.relative[filename] = result
        return result

    def in_scope(self, relative: str | None) -> bool:
        """Whether a repo-relative file is code under experiment (not a test, not frozen)."""
        if relative is None:
            return False
        if not self.all_scope:
            return relative in self.scope
        if relative in self.frozen or not relative.endswith(".py"):
            return False
        parts = relative.split("/")
        return not (
            parts[-1].startswith("test_")
            or parts[-1].endswith("_test.py")
            or parts[-1] == "conftest.py"
            or any(p in ("tests", "test", "testing") for p in parts[:-1])
        )

    def culprit(self, frame: FrameType | _Trigger | None) -> str | None:
        """``path:line`` when the innermost frame of the tree on the stack is code in scope."""
        if isinstance(frame, _Trigger):
            frame = frame.frame()
        while frame is not None:
            relative = self.in_tree(frame.f_code.co_filename)
            if relative is not None:
                return f"{relative}:{frame.f_lineno}" if self.in_scope(relative) else None
            frame = frame.f_back
        return None

    def caller_in_scope(self, depth: int) -> str | None:
        """:meth:`culprit` of the frame ``depth`` levels above the method that asks, with
        the audit hook held off while the stack is walked; ``None`` from C code."""
        self.busy[0] = True
        try:
            return self.culprit(sys._getframe(depth + 1))
        except ValueError:
            return None
        finally:
            self.busy[0] = False

    # -- the audit hook -------------------------------------------------------------------

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        handler = _EVENTS.get(event)
        if handler is None or self.busy[0]:
            return
        if event == "object.__getattr__" and args[1] != "tb_frame":
            return  # every read of a function's __code__: thousands per test session
        self.busy[0] = True
        try:
            handler(self, args, _Trigger())
        except Exception:  # noqa: BLE001, S110 - an audit hook must never break the program
            pass
        finally:
            self.busy[0] = False

    def on_open(self, args: tuple[Any, ...], frame: FrameType | _Trigger | None) -> None:
        path, mode, flags = (tuple(args) + (None, None, None))[:3]
        if path is None or isinstance(path, int):
            return
        if isinstance(mode, str):
            writing = any(c in mode for c in "wax+")
        else:
            writing = isinstance(flags, int) and bool(flags & _O_WRITE)
        self.touch(os.fsdecode(path), writing, "open", frame)

    def touch(self, path: str, writing: bool, op: str, frame: FrameType | _Trigger | None) -> None:
        if not os.path.isabs(path):
            path = os.path.join(os.getcwd(), path)
        if not writing:
            if not path.startswith(self.watched):
                return
            real = os.path.realpath(path)
            if real.startswith(self.writable) or real.startswith(self.readable):
                return
            if not real.startswith(self.watched):
                return
            where = self.culprit(frame)
            if where:
                self.finding("read", f"reads {real}, where an earlier run could leave state", where)
            return
        real = os.path.realpath(path)
        if real.startswith(self.writable) or real.startswith(("/dev/", "/proc/")):
            return
        if os.path.basename(os.path.dirname(real)) == "__pycache__" and ".pyc" in real:
            return
        where = self.culprit(frame)
        if not where:
            return
        relative = self.in_tree(real)
        if relative is not None:
            if relative.startswith((".hypothesis/", ".pytest_cache/")):
                return
            existed = os.path.exists(real)
            verb = "rewrites" if existed else "creates"
            self.finding("write", f"{verb} {relative} in the tree under test ({op})", where)
        else:
            self.finding("write", f"writes {real}, outside the tree and the sandbox ({op})", where)

    def on_rename(self, args: tuple[Any, ...], frame: FrameType | _Trigger | None) -> None:
        if len(args) > 1 and isinstance(args[1], str | bytes):
            self.touch(os.fsdecode(args[1]), True, "rename", frame)

    def on_mkdir(self, args: tuple[Any, ...], frame: FrameType | _Trigger | None) -> None:
        if args and isinstance(args[0], str | bytes) and not os.path.isdir(args[0]):
            self.touch(os.fsdecode(args[0]), True, "mkdir", frame)

    def on_path_write(self, args: tuple[Any, ...], frame: FrameType | _Trigger | None) -> None:
        if args and isinstance(args[0], str | bytes):
            self.touch(os.fsdecode(args[0]), True, "remove/truncate", frame)

    def on_copy(self, args: tuple[Any, ...], frame: FrameType | _Trigger | None) -> None:
        if len(args) > 1 and isinstance(args[1], str | bytes):
            self.touch(os.fsdecode(args[1]), True, "copy", frame)

    def on_sqlite(self, args: tuple[Any, ...], frame: FrameType | _Trigger | None) -> None:
        if args and isinstance(args[0], str | bytes) and args[0] not in (":memory:", b":memory:"):
            self.touch(os.fsdecode(args[0]), True, "sqlite3.connect", frame)

    def on_setattr(self, args: tuple[Any, ...], frame: FrameType | _Trigger | None) -> None:
        target, name = args[0], args[1]
        if name == "__class__" and isinstance(target, ModuleType):
            where = self.culprit(frame)
            if where or target.__name__ in self.pinned:
                self.finding("patch", f"replaces the class of module {target.__name__}", where)
            return
        if name not in _SWAP_ATTRIBUTES:
            return
        code = getattr(target, "__code__", None)
        filename = getattr(code, "co_filename", "<")
        if filename.startswith("<") or self.in_tree(filename) is not None:
            return
        where = self.culprit(frame)
        if where:
            qualname = getattr(target, "__qualname__", "?")
            module = getattr(target, "__module__", "?")
            self.finding("patch", f"sets {name} of {module}.{qualname}", where)

    def on_call(self, what: str, frame: FrameType | _Trigger | None) -> None:
        where = self.culprit(frame)
        if where:
            self.finding("hook", what, where)

    def on_getframe(self, args: tuple[Any, ...], trigger: _Trigger) -> None:
        frame = trigger.frame()
        while frame is not None and frame.f_code.co_filename.endswith(_FRAME_HELPERS):
            frame = frame.f_back
        if frame is None:
            return
        relative = self.in_tree(frame.f_code.co_filename)
        if self.in_scope(relative):
            self.finding(
                "probe",
                "inspects its caller's frame (sys._getframe)",
                f"{relative}:{frame.f_lineno}",
            )

    def on_getattr(self, args: tuple[Any, ...], trigger: _Trigger) -> None:
        if len(args) > 1 and args[1] == "tb_frame":
            frame = trigger.frame()
            relative = self.in_tree(frame.f_code.co_filename) if frame else None
            if frame is not None and self.in_scope(relative):
                self.finding(
                    "probe",
                    "walks a traceback to the frames of its callers",
                    f"{relative}:{frame.f_lineno}",
                )

    def on_import(self, args: tuple[Any, ...], frame: FrameType | _Trigger | None) -> None:
        module = str(args[0]) if args else ""
        top = module.split(".")[0]
        if top in ("_pytest", "pytest_autoimprove", "pluggy"):
            where = self.culprit(frame)
            if where:
                self.finding("import", f"imports {module}, the test harness's internals", where)

    # -- the exit check ----------------------------------------------------------------------

    def exit_check(self, how: str) -> None:
        if self.finished:
            return
        self.finished = True
        self.busy[0] = True
        try:
            self._exit_check(how)
        finally:
            self.busy[0] = False

    def _exit_check(self, how: str) -> None:
        for name, module in self.pinned.items():
            if _WRAPPERS and type(module) is not _Pinned:
                self.finding("patch", f"replaces the class of module {name} (unpins its clocks)")
            values = module.__dict__
            for clock in CLOCKS:
                value = values.get(clock)
                if clock in self.clocks and value is not self.clocks[clock]:
                    self.finding(
                        "patch",
                        f"replaces {name}.{clock}{_origin(value)}",
                        _where_defined(self, value),
                    )
        timeit = sys.modules.get("timeit")
        timer = timeit.__dict__.get("default_timer") if timeit is not None else None
        if timer is not None and timer not in (
            self.clocks.get("perf_counter"),
            _WRAPPERS.get("perf_counter"),
        ):
            value = timer
            self.finding(
                "patch",
                f"replaces timeit.default_timer{_origin(value)}",
                _where_defined(self, value),
            )
        current = builtins.__dict__
        for name, value in self.builtins.items():
            if current.get(name, _MISSING) is not value:
                now = current.get(name, _MISSING)
                verb = "deletes" if now is _MISSING else "replaces"
                self.finding(
                    "patch", f"{verb} the builtin {name}{_origin(now)}", _where_defined(self, now)
                )
        if sys.exit is not self.exit:
            self.finding(
                "patch", f"replaces sys.exit{_origin(sys.exit)}", _where_defined(self, sys.exit)
            )
        if os._exit is not _exit_wrapper:
            self.finding(
                "patch", f"replaces os._exit{_origin(os._exit)}", _where_defined(self, os._exit)
            )
        self._scan_modules()
        self._shadowed()
        self.emit(
            {
                "e": "end",
                "how": how,
                "label": self.label,
                "forked": self.forked,
                "argv": [str(a)[:200] for a in sys.argv[:8]],
                "wall": self.clocks["perf_counter"]() - self.start_wall,
                "cpu": self.clocks["process_time"]() - self.start_cpu,
                "spans": {name: (marks[1] - marks[0]) for name, marks in self.readings.items()},
                "reads": {name: marks[2] for name, marks in self.readings.items()},
            }
        )

    def _shadowed(self) -> None:
        """A module of the standard library or the harness that was loaded from the tree."""
        names: frozenset[str] = getattr(sys, "stdlib_module_names", frozenset())
        for name, module in list(sys.modules.items()):
            top = name.partition(".")[0]
            if top not in names and top not in _HARNESS:
                continue
            file = getattr(module, "__file__", None)
            relative = self.in_tree(file) if isinstance(file, str) else None
            if relative is not None:
                what = "the test harness's" if top in _HARNESS else "the standard library's"
                self.finding("shadow", f"{relative} was imported as {what} {name}", relative + ":1")

    def _scan_modules(self) -> None:
        """A module of the benchmark or the harness that holds a fake clock."""
        originals = {id(v) for v in self.clocks.values()} | {id(v) for v in _WRAPPERS.values()}
        for name, module in list(sys.modules.items()):
            values = getattr(module, "__dict__", None)
            file = getattr(module, "__file__", None) or ""
            if not isinstance(values, dict) or name in ("time", __name__):
                continue
            relative = self.in_tree(file) if file else None
            if self.in_scope(relative):
                continue
            watched = name == "__main__" or relative in self.frozen or relative is not None
            for key in CLOCK_NAMES:
                value = values.get(key)
                if value is None or not callable(value) or isinstance(value, type | ModuleType):
                    continue
                if id(value) in originals:
                    continue
                where = _where_defined(self, value)
                if where or watched:
                    self.finding(
                        "patch", f"{name}.{key} is not the real clock{_origin(value)}", where
                    )


_MISSING = object()
_HARNESS = frozenset({"pytest", "_pytest", "pluggy", "hypothesis", "pytest_autoimprove"})
_REAL_EXIT = os._exit
_STATE: _State | None = None
_WRAPPERS: dict[str, Any] = {}


def _origin(value: object) -> str:
    code = getattr(value, "__code__", None)
    if code is None:
        return ""
    return f" (by {getattr(value, '__qualname__', '?')} of {os.path.basename(code.co_filename)})"


def _where_defined(state: _State, value: object) -> str | None:
    code = getattr(value, "__code__", None)
    if code is None:
        return None
    relative = state.in_tree(code.co_filename)
    if not state.in_scope(relative):
        return None
    return f"{relative}:{code.co_firstlineno}"


def _dir(path: str) -> str:
    return os.path.join(os.path.realpath(path), "")


def _python_dirs() -> list[str]:
    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    dirs.update(p for p in sys.path if p and os.path.isabs(p))
    return sorted(dirs)


class _Trigger:
    """The frame that raised an audit event, found only when a handler needs it."""

    def frame(self) -> FrameType | None:
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and frame.f_code is not _AUDIT_CODE:
            frame = frame.f_back
        return frame.f_back if frame is not None else None


class _Pinned(ModuleType):
    """A module whose clock functions always answer with the real clocks."""

    def __getattribute__(self, name: str) -> Any:
        if name in _WRAPPERS:
            return _WRAPPERS[name]
        return ModuleType.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _WRAPPERS and _STATE is not None:
            _STATE.busy[0] = True
            try:
                where = _STATE.culprit(sys._getframe(1))
            finally:
                _STATE.busy[0] = False
            _STATE.finding("patch", f"replaces time.{name}{_origin(value)}", where)
        ModuleType.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name in _WRAPPERS and _STATE is not None:
            _STATE.finding("patch", f"deletes time.{name}", None)
        ModuleType.__delattr__(self, name)


def _clock(state: _State, name: str, real: Any) -> Any:
    readings = state.readings

    def clock() -> Any:
        value = real()
        marks = readings.get(name)
        if marks is None:
            readings[name] = [value, value, 1]
        else:
            marks[1] = value
            marks[2] += 1
        return value

    clock.__name__ = clock.__qualname__ = name
    clock.__doc__ = real.__doc__
    return clock


def _exit_wrapper(status: int) -> NoReturn:
    state = _STATE
    if state is not None and not state.forked and not state.finished:
        state.busy[0] = True
        try:
            where = state.culprit(sys._getframe(1))
        except ValueError:  # called from C: an atexit handler, with no Python caller
            state.finding(
                "exit",
                f"os._exit({status}) ran as an exit handler (it hides how the process ended)",
            )
            where = None
        finally:
            state.busy[0] = False
        if where:
            state.finding("exit", f"calls os._exit({status}), which skips every report", where)
        state.exit_check("os._exit")
    real: Callable[[int], NoReturn] = state.os_exit if state is not None else _REAL_EXIT
    real(status)


class _Argv(list):  # type: ignore[type-arg]
    """``sys.argv``, reporting code in scope that reads it (how it was started)."""

    def _seen(self) -> None:
        state = _STATE
        if state is None or state.busy[0]:
            return
        where = state.caller_in_scope(2)
        if where:
            state.finding("probe", "reads sys.argv: behaves by how the process was started", where)

    def __getitem__(self, index: Any) -> Any:
        self._seen()
        return list.__getitem__(self, index)

    def __iter__(self) -> Any:
        self._seen()
        return list.__iter__(self)

    def __len__(self) -> int:
        self._seen()
        return list.__len__(self)

    def __contains__(self, value: object) -> bool:
        self._seen()
        return list.__contains__(self, value)

    def __reduce__(self) -> Any:  # pickled (multiprocessing) as the plain list it is
        return (list, (list(list.__iter__(self)),))


#: Environment variables only a test harness sets: code that looks for them can tell a
#: test run from the benchmark.
_HARNESS_VARIABLES = ("PYTEST_", "AUTOIMPROVE_", "HYPOTHESIS_", "_PYTEST")


class _Environ(os._Environ):  # type: ignore[type-arg]
    """``os.environ``, reporting code in scope that looks up a harness's variable."""

    def _seen(self, key: object) -> None:
        state = _STATE
        if state is None or state.busy[0]:
            return
        if not isinstance(key, str) or not key.startswith(_HARNESS_VARIABLES):
            return
        where = state.caller_in_scope(2)
        if where:
            state.finding(
                "probe",
                f"looks up ${key}: tells a test run from the benchmark by the environment",
                where,
            )

    def __getitem__(self, key: Any) -> Any:
        self._seen(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._seen(key)
        return super().__contains__(key)


def _after_fork() -> None:
    if _STATE is not None:
        _STATE.forked = True


_AUDIT_CODE = _State.audit.__code__
_EVENTS: dict[str, Any] = {
    "open": _State.on_open,
    "os.rename": _State.on_rename,
    "os.link": _State.on_rename,
    "os.symlink": _State.on_rename,
    "os.mkdir": _State.on_mkdir,
    "os.remove": _State.on_path_write,
    "os.truncate": _State.on_path_write,
    "shutil.copyfile": _State.on_copy,
    "shutil.copytree": _State.on_copy,
    "shutil.move": _State.on_copy,
    "sqlite3.connect": _State.on_sqlite,
    "object.__setattr__": _State.on_setattr,
    "object.__getattr__": _State.on_getattr,
    "sys._getframe": _State.on_getframe,
    "sys._getframemodulename": _State.on_getframe,
    "sys.monitoring.register_callback": lambda s, a, f: s.on_call(
        "installs a sys.monitoring callback", f
    ),
    "import": _State.on_import,
    "sys.settrace": lambda s, a, f: s.on_call("installs a trace function (sys.settrace)", f),
    "sys.setprofile": lambda s, a, f: s.on_call("installs a profile function (sys.setprofile)", f),
    "sys.addaudithook": lambda s, a, f: s.on_call("installs an audit hook", f),
    "gc.get_referrers": lambda s, a, f: s.on_call("searches the interpreter's objects", f),
    "gc.get_referents": lambda s, a, f: s.on_call("searches the interpreter's objects", f),
    "gc.get_objects": lambda s, a, f: s.on_call("searches the interpreter's objects", f),
}


def install(spec_path: str) -> None:
    """Read the spec, open the channel, pin the clocks, hook, and register the exit check."""
    global _STATE
    try:
        with open(spec_path, "rb") as handle:
            spec = marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        return
    state = _State(spec)
    try:
        state.fd = os.open(spec["channel"], os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        os.set_blocking(state.fd, True)
    except (OSError, KeyError):
        state.fd = -1
    _STATE = state
    state.pinned["time"] = time
    if spec.get("pin"):
        for name, real in state.clocks.items():
            _WRAPPERS[name] = _clock(state, name, real)
        time.__class__ = _Pinned
    os._exit = _exit_wrapper
    sys.argv = _Argv(sys.argv)
    if type(os.environ) is os._Environ:
        os.environ.__class__ = _Environ
    os.register_at_fork(after_in_child=_after_fork)
    atexit.register(state.exit_check, "exit")
    sys.addaudithook(state.audit)


def chain(site_dir: str, trees: list[str]) -> None:
    """Import the ``sitecustomize`` this one shadows, unless it lies in the tree under test."""
    here = os.path.realpath(site_dir)
    sys.path[:] = [p for p in sys.path if os.path.realpath(p or ".") != here]
    this = sys.modules.pop("sitecustomize", None)
    roots = tuple(_dir(t) for t in trees)
    for entry in sys.path:
        candidate = os.path.join(entry or ".", "sitecustomize.py")
        if os.path.isfile(candidate):
            if os.path.realpath(candidate).startswith(roots):
                if _STATE is not None:
                    _STATE.finding(
                        "startup", f"a sitecustomize.py in the tree was not loaded: {candidate}"
                    )
                break
            try:  # noqa: SIM105 - contextlib is not loaded at start-up; this runs first
                import sitecustomize  # type: ignore[import-not-found]  # noqa: F401
            except ImportError:
                pass
            break
    if "sitecustomize" not in sys.modules and this is not None:
        sys.modules["sitecustomize"] = this
