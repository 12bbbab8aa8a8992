"""The project's doctests, run under the tracer: real calls where no test reaches.

A library's docstrings and README show its public API at work (``json.loads(...)``,
``sqlparse.format(...)``), and that API funnels into the inner functions an optimizer
is pointed at (the scanner, the decoder, the filter stack). The harvest
(:mod:`.doctests`) turns an example into a case only when it calls a target by name;
running the examples under the tracer (:mod:`.tracer`) records every call they make
into a target, however deep: real inputs for code the project's own tests may never
show (or that has no tests at all).

The examples run with pytest's own doctest support (``--doctest-modules`` over the
packages in scope, ``--doctest-glob`` for the README and the pages under ``docs/``
that hold an example), every example of a docstring even after one fails, a module
that cannot be imported skipped. Whether they pass does not matter: only the calls
they make are kept.

The README's and docs pages' code blocks that are not sessions (``html =
mistune.html(text)`` in a fenced block) are run the same way, in a process of their
own while the doctests and tests run: each block that imports a package in scope and
is safe to run (:func:`~.examples.page_scripts`) becomes one test of a scratch file
(:func:`examples_file`), run in a scratch folder, stopped after
:data:`EXAMPLE_SECONDS`. Without the project's tests, they are often the only real
calls that reach a parser's inner methods: the state objects and matches those
methods take are built by the package itself.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from pathlib import Path

from pytest_autoimprove.generators.discover import ModuleInfo
from pytest_autoimprove.generators.performance.doctests import doc_files
from pytest_autoimprove.generators.performance.examples import free_names, page_scripts
from pytest_autoimprove.generators.performance.tracer import MAX_PER_TARGET, TracedCall

__all__ = ["doctest_command", "examples_command", "examples_file", "with_doctest_calls"]

#: Source files scanned for a ``>>>`` before deciding there is nothing to run.
MAX_SCANNED = 400
#: Text files pytest reads as doctests (besides the modules).
_GLOBS = ("*.md", "*.rst", "*.txt")
#: Code blocks of the README and docs run under the tracer, at most, and the seconds
#: each may take.
MAX_SCRIPTS = 60
EXAMPLE_SECONDS = 2.0
#: Values tried for the names a block leaves to the reader, at most.
MAX_GUESSES = 3
MAX_GUESS_LENGTH = 400
#: The scratch test file running them, in the tracer's process.
_EXAMPLES_FILE = '''"""Code blocks of the README and docs, run for the calls they make."""

import contextlib
import os
import signal
import sys

import pytest

from pytest_autoimprove.generators.performance.tracer import only_if_it_works

sys.path[:0] = {paths!r}
HERE = os.path.dirname(os.path.abspath(__file__))
#: where -> (source, whether it runs on guessed values)
SCRIPTS = {scripts!r}


def _stop(signum, frame):
    raise TimeoutError("the example ran too long")


@pytest.mark.parametrize("where", list(SCRIPTS))
def test_example(where, monkeypatch):
    source, guessed = SCRIPTS[where]
    monkeypatch.chdir(HERE)
    signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, {seconds!r})
    try:
        with only_if_it_works() if guessed else contextlib.nullcontext():
            exec(compile(source, where, "exec"), {{"__name__": "__example__"}})
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
'''


def doctest_command(root: Path, infos: Sequence[ModuleInfo]) -> list[str] | None:
    """The pytest command running the doctests of the packages in scope and of the
    docs, or None when none holds an example."""
    paths: list[str] = []
    for folder in _packages(root, infos):
        files = sorted(folder.rglob("*.py"))[:MAX_SCANNED] if folder.is_dir() else [folder]
        if any(">>>" in _text(f) for f in files):
            paths.append(folder.relative_to(root).as_posix())
    for file in doc_files(root):
        if file.suffix in (".md", ".rst", ".txt") and ">>>" in _text(file):
            paths.append(file.relative_to(root).as_posix())
    if not paths:
        return None
    globs = [f"--doctest-glob={glob}" for glob in _GLOBS]
    return [
        sys.executable, "-m", "pytest", "-q", "--doctest-modules",
        "--doctest-continue-on-failure", "--continue-on-collection-errors",
        "-o", "addopts=", "-o", "python_files=", *globs, *paths,
    ]  # fmt: skip


def _packages(root: Path, infos: Sequence[ModuleInfo]) -> list[Path]:
    """The top-level package of each module in scope (the module itself when it is
    not in a package), each once."""
    found: list[Path] = []
    for info in infos:
        top = info.name.split(".")[0]
        base = root / info.import_root
        folder = base / top if (base / top).is_dir() else root / info.path
        if folder.resolve().is_relative_to(root.resolve()) and folder not in found:
            found.append(folder)
    return found


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def examples_file(
    folder: Path, root: Path, infos: Sequence[ModuleInfo], sys_path: Sequence[str]
) -> Path | None:
    """Write the test file running the documented code blocks into ``folder`` (see the
    module docstring); None when no block imports a package in scope.

    A block reading a name its page never defines (``mistune.html(your_markdown_text)``)
    runs once with each of the pages' own longest texts in that name, its calls kept
    only when it works (:func:`~.tracer.only_if_it_works`)."""
    found = list(islice(page_scripts(root, infos), MAX_SCRIPTS))
    if not found:
        return None
    guesses = _texts(tree for _, tree in found)
    scripts: dict[str, tuple[str, bool]] = {}
    for script, tree in found:
        missing = free_names(tree)
        if not missing:
            scripts[script.id] = (script.source, False)
            continue
        for i, text in enumerate(guesses):
            given = "".join(f"{name} = {text!r}\n" for name in missing)
            scripts[f"{script.id}~{i}"] = (given + script.source, True)
    path = folder / "test_autoimprove_documented.py"
    text = _EXAMPLES_FILE.format(paths=list(sys_path), scripts=scripts, seconds=EXAMPLE_SECONDS)
    path.write_text(text, encoding="utf-8")
    return path


def _texts(trees: Iterable[ast.Module]) -> list[str]:
    """The pages' own texts to try for a name left to the reader: the longest of their
    string literals, at most :data:`MAX_GUESSES`."""
    found: dict[str, None] = {}
    for tree in trees:
        for node in ast.walk(tree):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and 0 < len(value) <= MAX_GUESS_LENGTH:
                found.setdefault(value)
    return sorted(found, key=len, reverse=True)[:MAX_GUESSES]


def examples_command(path: Path) -> list[str]:
    """The pytest command running :func:`examples_file`'s file, apart from the project's
    configuration (its own folder is the root)."""
    return [
        sys.executable, "-m", "pytest", "-q", "-o", "addopts=",
        "--rootdir", str(path.parent), str(path),
    ]  # fmt: skip


def with_doctest_calls(
    traced: Mapping[str, Mapping[str, list[TracedCall]]],
    documented: Mapping[str, Mapping[str, list[TracedCall]]],
    via: str = "doctests",
) -> dict[str, dict[str, list[TracedCall]]]:
    """The test run's records, then the documented run's (marked ``"via": via`` unless
    marked already) where a target has room left, each call once."""
    merged = {module: {q: list(calls) for q, calls in by.items()} for module, by in traced.items()}
    for module, by_target in documented.items():
        for qualname, calls in by_target.items():
            kept = merged.setdefault(module, {}).setdefault(qualname, [])
            seen = {call["payload"] for call in kept}
            for call in calls:
                if len(kept) >= MAX_PER_TARGET:
                    break
                if call["payload"] not in seen:
                    seen.add(call["payload"])
                    kept.append({"via": via, **call})
    return merged
