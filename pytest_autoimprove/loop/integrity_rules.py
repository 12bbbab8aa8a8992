"""The rules of the static check: what added code may not do, found in its syntax tree.

Used by :mod:`~pytest_autoimprove.loop.integrity` on each Python file a proposal added
or changed; the module is parsed with :mod:`ast`, never imported. Each rule names what
the code does in one line (``replaces time.perf_counter: a clock, in a module it does
not own``); docs/guard.md lists them with the checks at run time that back them up.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pytest_autoimprove.pysource import import_bindings, spelled_text

#: The judge's packages: code under test has no business importing them.
HARNESS = ("_pytest", "pytest_autoimprove", "pluggy", "_hypothesis_pytestplugin")
#: Also off limits to library code (a test file in scope may import them).
HARNESS_PUBLIC = ("pytest", "hypothesis")

#: Attributes that swap an object's behaviour in place.
DUNDER_SWAPS = {
    "__code__": "swaps the code of a function in place",
    "__class__": "changes the class of an object in place",
    "__globals__": "writes into another function's globals",
    "__defaults__": "changes a function's default arguments in place",
    "__kwdefaults__": "changes a function's default arguments in place",
    "__closure__": "changes a function's closure",
    "__builtins__": "replaces the builtins",
}
#: Calls that hook into or search the interpreter.
INTERPRETER_HOOKS = {
    "sys.settrace": "installs a trace function (sys.settrace)",
    "sys.setprofile": "installs a profile function (sys.setprofile)",
    "threading.settrace": "installs a trace function (threading.settrace)",
    "threading.setprofile": "installs a profile function (threading.setprofile)",
    "threading.settrace_all_threads": "installs a trace function in every thread",
    "threading.setprofile_all_threads": "installs a profile function in every thread",
    "sys.addaudithook": "installs an audit hook (sys.addaudithook)",
    "sys.monitoring.register_callback": "installs a sys.monitoring callback",
    "sys.monitoring.use_tool_id": "installs a sys.monitoring tool",
    "gc.get_referrers": "searches the interpreter's objects (gc.get_referrers)",
    "gc.get_referents": "searches the interpreter's objects (gc.get_referents)",
    "gc.get_objects": "searches the interpreter's objects (gc.get_objects)",
}
#: Ways to look at who called, or how the process was started.
FRAME_PROBES = {
    "sys._getframe": "inspects its caller's frame (sys._getframe)",
    "sys._getframemodulename": "inspects its caller's module (sys._getframemodulename)",
    "inspect.currentframe": "inspects its caller's frame (inspect.currentframe)",
    "inspect.stack": "inspects the call stack (inspect.stack)",
    "inspect.getouterframes": "inspects the call stack (inspect.getouterframes)",
    "inspect.trace": "inspects the call stack (inspect.trace)",
    "traceback.extract_stack": "inspects the call stack (traceback.extract_stack)",
    "traceback.walk_stack": "inspects the call stack (traceback.walk_stack)",
}
FRAME_ATTRIBUTES = frozenset({"f_back", "f_globals", "f_locals", "f_code", "tb_frame", "gi_frame"})
#: Places that outlive a process: state kept there is read back by the next run.
PERSISTENT_CALLS = {
    "tempfile.gettempdir": "tempfile.gettempdir()",
    "tempfile.gettempdirb": "tempfile.gettempdirb()",
    "pathlib.Path.home": "Path.home()",
    "os.path.expanduser": "os.path.expanduser()",
    "shelve.open": "shelve.open()",
    "dbm.open": "dbm.open()",
}
PERSISTENT_MODULES = ("platformdirs", "appdirs", "diskcache", "joblib")
PERSISTENT_ENV = frozenset(
    {"HOME", "TMPDIR", "TEMP", "TMP", "USERPROFILE", "APPDATA", "LOCALAPPDATA"}
    | {"XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"}
)
PERSISTENT_PREFIXES = ("/tmp/", "/var/tmp/", "/dev/shm/", "~/", "~\\")
#: String constants that name the harness or the judge.
HARNESS_WORDS = frozenset({"pytest", "_pytest", "pytest_autoimprove", "hypothesis", "conftest"})
HARNESS_PREFIXES = ("PYTEST_", "_PYTEST", "AUTOIMPROVE", "HYPOTHESIS_")
DECODERS = frozenset(
    {"b64decode", "b32decode", "b85decode", "a85decode", "decompress", "fromhex", "decode"}
)
#: Functions where reading ``sys.argv`` or exiting is a program's business, not a library's.
_IMPORTERS = ("importlib.import_module", "builtins.__import__")
ENTRY_FUNCTION = re.compile(r"(?:^|_)(?:main|cli|argv|parse_args|entry|command)(?:$|_)")


@dataclass(frozen=True)
class Finding:
    """One thing a proposal does that an honest optimization does not.

    :param path: the repo-relative file.
    :param line: 1-based line (1 for a file refused as a whole).
    :param message: what it does, for the experiment's reason.
    :param rule: which rule, for counting.
    :param key: the offending source text, so code that was already there is not blamed.
    """

    path: str
    line: int
    message: str
    rule: str
    key: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def scan_source(path: str, text: str, *, owned: frozenset[str] = frozenset()) -> list[Finding]:
    """Every finding in one Python file (``owned``: the repository's own top-level modules)."""
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError):
        return []  # the tests will say so
    scanner = _Scanner(path, owned, is_test_file(path))
    scanner.scan(tree)
    return scanner.findings


def is_test_file(path: str) -> bool:
    """A test module the user owns: ``test_*.py``, ``*_test.py``, or under ``tests/``."""
    parts = path.split("/")
    name = parts[-1]
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or any(part in ("tests", "test", "testing") for part in parts[:-1])
    )


class _Scanner(ast.NodeVisitor):
    """Walks one module, tracking what each imported name refers to."""

    def __init__(self, path: str, owned: frozenset[str], test_file: bool) -> None:
        self.path = path
        self.owned = owned
        self.test_file = test_file
        self.findings: list[Finding] = []
        #: local name -> dotted module path it was imported as
        self.aliases: dict[str, str] = {}
        #: depth of `if __name__ == "__main__":` blocks and entry-point functions
        self.entry = 0
        self.docstrings: set[int] = set()
        self.parent: dict[int, ast.AST] = {}
        #: names bound to a string the code spells out
        self.constants: dict[str, str] = {}
        #: a module with an ``if __name__ == "__main__":`` block: a program may exit
        self.script = False

    # -- driving ------------------------------------------------------------------

    def scan(self, tree: ast.Module) -> None:
        self.script = any(isinstance(n, ast.If) and _is_main_guard(n.test) for n in tree.body)
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[id(child)] = node
            if isinstance(node, ast.Import | ast.ImportFrom):
                self._bind(node)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                self._bind_value(node.targets[0], node.value)
            body = getattr(node, "body", None)
            if (
                isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                and body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
            ):
                self.docstrings.add(id(body[0].value))
        self.visit(tree)

    def add(self, node: ast.AST, rule: str, message: str) -> None:
        line = getattr(node, "lineno", 1)
        try:
            key = ast.unparse(node)
        except Exception:  # noqa: BLE001 - unparse of an odd node must not hide the finding
            key = type(node).__name__
        self.findings.append(Finding(self.path, line, message, rule, " ".join(key.split())))

    # -- names --------------------------------------------------------------------

    def _bind(self, node: ast.Import | ast.ImportFrom) -> None:
        self.aliases.update(import_bindings(node))

    def _bind_value(self, target: ast.AST, value: ast.AST) -> None:
        """``x = importlib.import_module("time")`` and ``PATH = "/tmp/" + "x"``: remembered."""
        if not isinstance(target, ast.Name):
            return
        text = self.text(value)
        if text is not None:
            self.constants[target.id] = text
        elif isinstance(value, ast.Subscript) or (
            isinstance(value, ast.Call) and self.call_name(value) in _IMPORTERS
        ):
            module = self.dotted(value)
            if module:
                self.aliases[target.id] = module

    def text(self, node: ast.AST | None) -> str | None:
        """A string the code spells out: a literal, a name bound to one, their sum."""
        return spelled_text(node, self.constants)

    def dotted(self, node: ast.AST) -> str | None:
        """``time.perf_counter`` for an expression naming a module attribute, else ``None``."""
        if isinstance(node, ast.Name):
            if node.id in ("__builtins__", "__main__"):
                return node.id
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            if node.attr == "__dict__":
                return self.dotted(node.value)
            base = self.dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call):
            func = self.call_name(node)
            literal = _literal(node.args[0]) if node.args else None
            if func in ("importlib.import_module", "builtins.__import__") and literal:
                return literal
            if func == "builtins.vars" and node.args:
                return self.dotted(node.args[0])
            if (
                func == "builtins.getattr"
                and len(node.args) >= 2
                and _literal(node.args[1]) == "__dict__"
            ):
                return self.dotted(node.args[0])
            return None
        if isinstance(node, ast.Subscript):
            base = self.dotted(node.value)
            key = _literal(node.slice)
            if base == "sys.modules" and key:
                return key
            return None
        return None

    def foreign(self, dotted: str | None) -> bool:
        """Whether ``dotted`` lives in a module this repository does not own."""
        if not dotted:
            return False
        top = dotted.split(".")[0]
        if top in ("__builtins__", "builtins", "__main__"):
            return True
        return top not in self.owned

    def call_name(self, node: ast.Call) -> str | None:
        if isinstance(node.func, ast.Name) and node.func.id not in self.aliases:
            return f"builtins.{node.func.id}"
        return self.dotted(node.func)

    # -- context ------------------------------------------------------------------

    def visit_If(self, node: ast.If) -> None:
        main_guard = _is_main_guard(node.test)
        if main_guard:
            self.entry += 1
        self.visit(node.test)
        for stmt in node.body:
            self.visit(stmt)
        if main_guard:
            self.entry -= 1
        for stmt in node.orelse:
            self.visit(stmt)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        entry = ENTRY_FUNCTION.search(node.name.lower()) is not None
        self.entry += entry
        self.generic_visit(node)
        self.entry -= entry

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    # -- imports ------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._check_import(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and node.level == 0:
            self._check_import(node, node.module)
            if node.module in ("sys", "os") and any(a.name == "_exit" for a in node.names):
                self.add(node, "exit", "imports os._exit (ends the interpreter without cleanup)")

    def _check_import(self, node: ast.AST, module: str) -> None:
        top = module.split(".")[0]
        if top in HARNESS or module.startswith("hypothesis.internal"):
            self.add(node, "harness-import", f"imports {module}, the test harness's internals")
        elif top in HARNESS_PUBLIC and not self.test_file:
            self.add(
                node, "harness-import", f"imports {module} (the test harness) from library code"
            )
        elif top == "__main__" and not self.entry:
            self.add(node, "probe", "imports __main__: looks at the program that imported it")
        elif top in PERSISTENT_MODULES:
            self.add(node, "persist", f"imports {module}: keeps state on disk across processes")
        elif top == "posix" and not self.entry:
            self.add(node, "exit", "imports posix (os's raw system calls, such as posix._exit)")

    # -- writes -------------------------------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._check_target(target, node)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._check_target(node.target, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._check_target(node.target, node)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._check_target(target, node, deleting=True)
        self.generic_visit(node)

    def _check_target(self, target: ast.AST, node: ast.AST, *, deleting: bool = False) -> None:
        if isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._check_target(element, node, deleting=deleting)
            return
        if isinstance(target, ast.Attribute):
            if target.attr in DUNDER_SWAPS:
                self.add(node, "dunder", f"assigns {target.attr}: {DUNDER_SWAPS[target.attr]}")
                return
            owner = self.dotted(target.value)
            if self.foreign(owner):
                self._patched(node, f"{owner}.{target.attr}", deleting)
            return
        if isinstance(target, ast.Subscript):
            container = target.value
            if isinstance(container, ast.Attribute) and container.attr in (
                "__globals__",
                "f_globals",
                "f_locals",
                "__dict__",
            ):
                key = _literal(target.slice) or "?"
                if container.attr != "__dict__":
                    self._patched(node, f"{ast.unparse(container)}[{key!r}]", deleting)
                    return
                owner = self.dotted(container.value)
                if self.foreign(owner):
                    self._patched(node, f"{owner}.{key}", deleting, via=" through __dict__")
                return
            base = self.dotted(container)
            if base == "sys.modules":
                self.add(
                    node, "sys-modules", "writes sys.modules: replaces a module for every importer"
                )
            elif base in ("__builtins__", "builtins"):
                self._patched(node, f"builtins.{_literal(target.slice) or '?'}", deleting)
            elif isinstance(container, ast.Call) and self.foreign(base):
                key = _literal(target.slice) or "?"
                self._patched(node, f"{base}.{key}", deleting, via=" through vars()")

    def _patched(self, node: ast.AST, what: str, deleting: bool, via: str = "") -> None:
        verb = "deletes" if deleting else "replaces"
        top = what.split(".")[0].split("[")[0]
        if what in ("sys.exit", "os._exit", "builtins.exit", "builtins.quit"):
            detail = "the way a process exits"
        elif top in ("time", "timeit") or what.endswith(
            ("perf_counter", "monotonic", "process_time")
        ):
            detail = "a clock, in a module it does not own"
        elif top in HARNESS or top in HARNESS_PUBLIC:
            detail = "part of the test harness"
        elif top in ("builtins", "__builtins__"):
            detail = "a builtin, for every module"
        elif "f_globals" in what or "__globals__" in what:
            detail = "a name in another module, through a frame or a function"
        elif top == "__main__":
            detail = "a name in the program that imported it"
        else:
            detail = "an attribute of a module it does not own"
        self.add(node, "patch", f"{verb} {what}{via}: {detail}")

    # -- calls --------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        name = self.call_name(node)
        if name:
            self._check_call(node, name)
        self.generic_visit(node)

    def _check_call(self, node: ast.Call, name: str) -> None:
        short = name.removeprefix("builtins.")
        if short in ("setattr", "delattr") and node.args:
            target = node.args[0]
            attr = _literal(node.args[1]) if len(node.args) > 1 else None
            if attr in DUNDER_SWAPS:
                self.add(node, "dunder", f"sets {attr}: {DUNDER_SWAPS[attr]}")
                return
            owner = self.dotted(target)
            if self.foreign(owner):
                self._patched(node, f"{owner}.{attr or '?'}", short == "delattr")
            return
        if name in INTERPRETER_HOOKS:
            self.add(node, "hook", INTERPRETER_HOOKS[name])
        elif name in FRAME_PROBES:
            self.add(node, "probe", FRAME_PROBES[name])
        elif name in ("os._exit", "posix._exit"):
            self.add(
                node, "exit", f"calls {name} (ends the interpreter without cleanup or reports)"
            )
        elif name in ("sys.exit", "builtins.exit", "builtins.quit") and not (
            self.entry or self.script
        ):
            self.add(node, "exit", f"calls {short} from library code (ends the process)")
        elif name in PERSISTENT_CALLS:
            self.add(
                node,
                "persist",
                f"uses {PERSISTENT_CALLS[name]}: a place outside the process, where state "
                "kept by one run is read by the next",
            )
        elif name in ("os.getenv", "os.environ.get", "os.environ.setdefault", "os.putenv"):
            literal = _literal(node.args[0]) if node.args else None
            self._env_name(node, literal)
        elif (
            name == "sqlite3.connect"
            and node.args
            and _literal(node.args[0])
            not in (
                None,
                ":memory:",
                "",
            )
        ):
            self.add(node, "persist", "opens an SQLite file at a fixed path: state across runs")
        elif name in ("builtins.exec", "builtins.eval", "builtins.compile") and _decodes(node):
            self.add(node, "exec", f"{short}s encoded code: hides what it runs from review")
        elif name in ("importlib.import_module", "builtins.__import__") and node.args:
            argument = node.args[0]
            literal = _literal(argument)
            if literal:
                self._check_import(node, literal)
            elif _built_string(argument):
                self.add(node, "exec", "imports a module whose name it builds at run time")
        elif short == "open" and node.args:
            path, mode = self.text(node.args[0]), _mode(node)
            if path and mode and any(c in mode for c in "wax+"):
                self.add(
                    node, "persist", f"writes a file at a fixed path ({path}): state across runs"
                )
            elif path and path.startswith(PERSISTENT_PREFIXES):
                self.add(
                    node, "persist", f"reads a file at a fixed path ({path}), outside the tree"
                )
        elif name.endswith((".write_text", ".write_bytes")) and isinstance(
            node.func, ast.Attribute
        ):
            receiver = node.func.value
            if isinstance(receiver, ast.Call) and receiver.args and _literal(receiver.args[0]):
                path = _literal(receiver.args[0])
                self.add(
                    node, "persist", f"writes a file at a fixed path ({path}): state across runs"
                )

    # -- reads --------------------------------------------------------------------

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in FRAME_ATTRIBUTES and isinstance(node.ctx, ast.Load):
            self.add(node, "probe", f"reads {node.attr}: looks at the frames of its callers")
        elif isinstance(node.ctx, ast.Load):
            dotted = self.dotted(node)
            if dotted in ("sys.argv", "sys.orig_argv") and not self.entry:
                self.add(
                    node,
                    "probe",
                    f"reads {dotted} from library code: behaves by how the process was started",
                )
            elif dotted in ("os._exit", "posix._exit") and not _called(node, self.parent):
                self.add(node, "exit", f"hands {dotted} to other code (an exit without cleanup)")
            elif dotted == "ctypes.pythonapi":
                self.add(node, "hook", "reaches CPython's internals (ctypes.pythonapi)")
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load):
            base = self.dotted(node.value)
            key = _literal(node.slice)
            if base == "os.environ":
                self._env_name(node, key)
            elif base == "sys.modules" and key == "__main__" and not self.entry:
                self.add(node, "probe", "reads sys.modules['__main__']: looks at the program")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if not isinstance(value, str) or id(node) in self.docstrings or len(value) > 60:
            return
        if (
            value in HARNESS_WORDS
            or value.startswith(HARNESS_PREFIXES)
            or ("autoimprove" in value.lower() and " " not in value)
        ):
            if not (self.test_file and value in ("pytest", "hypothesis")):
                self.add(
                    node,
                    "probe",
                    f"names {value!r}: looks for the test harness, to behave differently "
                    "when tested or measured",
                )
        elif value.startswith(PERSISTENT_PREFIXES) or value in ("/tmp", "/var/tmp", "/dev/shm"):
            self.add(
                node, "persist", f"names {value!r}: a place outside the process that outlives it"
            )

    def _env_name(self, node: ast.AST, name: str | None) -> None:
        if name in PERSISTENT_ENV:
            self.add(
                node, "persist", f"reads ${name}: a place outside the process that outlives it"
            )


def _called(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    parent = parents.get(id(node))
    return isinstance(parent, ast.Call) and parent.func is node


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _mode(node: ast.Call) -> str | None:
    if len(node.args) > 1:
        return _literal(node.args[1])
    for keyword in node.keywords:
        if keyword.arg == "mode":
            return _literal(keyword.value)
    return None


def _is_main_guard(test: ast.AST) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(_literal(c) == "__main__" for c in test.comparators)
    )


def _calls(node: ast.AST) -> Iterator[str]:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            func = inner.func
            if isinstance(func, ast.Attribute):
                yield func.attr
            elif isinstance(func, ast.Name):
                yield func.id


def _decodes(node: ast.Call) -> bool:
    """Whether an exec/eval/compile argument is decoded or assembled at run time."""
    return any(
        name in DECODERS or name in ("chr", "bytes", "bytearray", "join")
        for arg in node.args
        for name in _calls(arg)
    )


def _built_string(node: ast.AST) -> bool:
    """A string put together from pieces: ``"ti" + "me"``, ``"".join(...)``, an f-string."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Call) and any(n in ("join", "chr", "decode") for n in _calls(node))
