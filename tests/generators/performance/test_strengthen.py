"""End to end through the CLI: a project whose own tests call only a public function.

``fixture_query`` is a tiny query language: its tests call ``search()`` only, which
drives ``steps()`` (a generator function), ``Parser.parse`` and ``Lexer.tokenize`` (a
generator method). ``generate`` must record what those see, name ``Parser.parse``
(improve.md asks to speed it up) first, strengthen the guardrails against mutants,
and report the strength per target, in the terminal, in ``strength.json`` and
``STRENGTH.md``, and again in ``status``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove.generators import SLOWNESS_ENV
from pytest_autoimprove.generators.performance.mutants import Mutant
from pytest_autoimprove.generators.performance.render import ModulePlan, TargetPlan
from pytest_autoimprove.generators.performance.strengthen import (
    _add_cases,
    _all_dropped,
    _reaching,
    _restore_state_tests,
    _Run,
    _survivor_text,
)

HERE = Path(__file__).parent
FIXTURE = HERE / "fixture_query"
GUARD = Path("tests/autoimprove_guard")


def _cli(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    # No case may be dropped as "too slow" because other jobs share the machine.
    env = dict(os.environ, **{SLOWNESS_ENV: "20"})
    return subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "-C", str(root), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("query")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"]):
        subprocess.run(["git", *argv], cwd=root, check=True, capture_output=True)
    proc = _cli(root, "generate", "--budget", "3m")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, proc.stdout


def _guard_text(root: Path, module: str) -> str:
    return (root / GUARD / f"test_guard_{module}.py").read_text(encoding="utf-8")


@pytest.mark.slow(seconds=42)
def test_methods_reached_through_the_public_function_get_recorded_cases(
    generated: tuple[Path, str],
) -> None:
    root, _ = generated
    parser = _guard_text(root, "tinyquery_parser")
    # The receiver is rebuilt from the constructor call the tracer saw.
    assert "Case('real-0', args=('a.b[1].c',), ctor=((True,), {}), returns=[('field', 'a')" in (
        parser
    )
    lexer = _guard_text(root, "tinyquery_lexer")
    assert re.search(r"Case\('real-\d+', args=\('a\\x01',\), ctor=\(\(\), \{\}\), raises=", lexer)
    # A generator method: its tokens consumed and frozen as a list, element by element.
    assert (
        "returns=[('name', 'a'), ('dot', '.'), ('name', 'b'), ('lbracket', '['), ('number', 1)"
        in (lexer)
    )


def test_a_generator_function_is_consumed_and_frozen(generated: tuple[Path, str]) -> None:
    root, _ = generated
    text = _guard_text(root, "tinyquery")
    assert "# --- steps (src/tinyquery/__init__.py" in text
    assert "Case('real-0', args=('a.b[1].c',), returns=[('field', 'a'), ('field', 'b')" in text


def test_every_section_header_has_a_test_under_it(generated: tuple[Path, str]) -> None:
    root, _ = generated
    for path in (root / GUARD).glob("test_guard_*.py"):
        sections = re.split(r"\n# --- ", path.read_text(encoding="utf-8"))[1:]
        assert sections
        for section in sections:
            assert "@pytest.mark.autoimprove_guard" in section, (path.name, section[:80])


def test_the_named_target_comes_first_and_is_strengthened(generated: tuple[Path, str]) -> None:
    root, stdout = generated
    parser = _guard_text(root, "tinyquery_parser")
    headers = re.findall(r"^# --- (\S+) ", parser, re.MULTILINE)
    assert headers[0] == "Parser.parse"  # improve.md names it: covered first
    # The search found an input no recorded call had: an unclosed bracket.
    assert re.search(r"Case\('mutant-\d+', args=\('[a-z.]*\[',\).*ParseError", parser)
    report = json.loads((root / GUARD / "strength.json").read_text(encoding="utf-8"))
    rows = {row["target"]: row for row in report["targets"]}
    assert report["targets"][0]["target"] == "tinyquery.parser.Parser.parse"
    for row in report["targets"]:
        assert set(row) == {"target", "tests", "killed", "total", "survivors", "reason"}
        assert row["tests"] > 0 or row["reason"], row
    parse = rows["tinyquery.parser.Parser.parse"]
    assert parse["tests"] > 0 and parse["total"] >= 5
    assert parse["killed"] == parse["total"], parse["survivors"]
    # The one mutant nothing can tell apart is reported, not frozen.
    search = rows["tinyquery.search"]
    assert any("possibly equivalent" in s for s in search["survivors"]), search
    assert "guardrail strength per target in scope" in stdout
    assert re.search(r"tinyquery\.parser\.Parser\.parse\s+\d+\s+\d+/\d+", stdout)
    md = (root / GUARD / "STRENGTH.md").read_text(encoding="utf-8")
    assert "| `tinyquery.parser.Parser.parse` |" in md and "## Surviving mutants" in md


def test_the_report_is_frozen_with_the_tests(generated: tuple[Path, str]) -> None:
    root, _ = generated
    lock = (root / ".autoimprove" / "guard.lock").read_text(encoding="utf-8")
    assert "tests/autoimprove_guard/strength.json" in lock
    assert "tests/autoimprove_guard/STRENGTH.md" in lock


def test_status_shows_the_strength_table(generated: tuple[Path, str]) -> None:
    root, _ = generated
    proc = _cli(root, "status", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "strength per target in scope:" in proc.stdout
    assert re.search(r"tinyquery\.lexer\.Lexer\.tokenize\s+\d+\s+\d+/\d+", proc.stdout)
    assert "mutants killed" in proc.stdout


@pytest.fixture
def copy(generated: tuple[Path, str], tmp_path: Path) -> Path:
    shutil.copytree(generated[0], tmp_path, dirs_exist_ok=True)
    return tmp_path


def _run_guards(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(GUARD)],
        cwd=root,
        env=dict(os.environ, PYTHONHASHSEED="0"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


#: name -> (file, old, new): the regressions the issue saw pass unguarded, and more.
REGRESSIONS = {
    "unclosed bracket accepted": (
        "parser.py",
        '                if i + 2 >= len(tokens) or tokens[i + 2][0] != "rbracket":\n'
        '                    raise ParseError("unclosed [")\n',
        "",
    ),
    "memo hands out one shared AST": (
        "parser.py",
        "    def parse(self, expression):\n"
        '        """The steps of ``expression``; a new list every call."""\n',
        "    _CACHE = {}\n\n"
        "    def parse(self, expression):\n"
        "        if expression in self._CACHE:\n"
        "            return self._CACHE[expression]\n"
        "        self._CACHE[expression] = self._parse(expression)\n"
        "        return self._CACHE[expression]\n\n"
        "    def _parse(self, expression):\n",
    ),
    "field names lower-cased": (
        "parser.py",
        'steps.append(("field", value))',
        'steps.append(("field", value.lower()))',
    ),
    "control characters accepted": (
        "lexer.py",
        "            else:\n                raise LexerError",
        "            elif char.isprintable():\n                raise LexerError",
    ),
    "numbers yielded as text": ("lexer.py", "int(text[start:i])", "text[start:i]"),
    "steps yielded as lists": (
        "__init__.py",
        "    yield from Parser().parse(expression)",
        "    yield from (list(step) for step in Parser().parse(expression))",
    ),
}


def test_the_untouched_code_passes(copy: Path) -> None:
    proc = _run_guards(copy)
    assert proc.returncode == 0, proc.stdout[-3000:]


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_the_guardrails_kill_the_regressions(copy: Path, name: str) -> None:
    file, old, new = REGRESSIONS[name]
    path = copy / "src" / "tinyquery" / file
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new), encoding="utf-8")
    proc = _run_guards(copy)
    assert proc.returncode == 1, proc.stdout[-3000:]


def test_an_honest_optimization_passes(copy: Path) -> None:
    path = copy / "src" / "tinyquery" / "lexer.py"
    source = path.read_text(encoding="utf-8")
    old = '            if char.isalpha() or char == "_":'
    assert old in source
    # Hoisting a membership test into a set: same tokens, same errors.
    path.write_text(source.replace(old, '            if char.isalpha() or char in {"_"}:'))
    proc = _run_guards(copy)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_a_method_mutant_faces_its_class_sequence_test() -> None:
    # ``Store.get`` mutated to always answer its default passes every single call on
    # a fresh instance; only the class's sequence test (a set, then a get of the same
    # key) tells it apart. Its owner's tests run against the mutant, and the callers'
    # (``Store.fetch`` calls ``get``); the unrelated ``helper`` does not.
    targets = [
        TargetPlan("Store", "constructor", 1),
        TargetPlan("Store.get", "method", 5),
        TargetPlan("Store.fetch", "method", 9),
        TargetPlan("helper", "function", 14),
    ]
    plan = ModulePlan(
        Path("store.py"), "store", Path("."), GUARD, "speed", targets, {}, [], 10, None
    )
    references = {
        ("store", "Store"): {"self", "data"},
        ("store", "Store.get"): {"self", "data", "key"},
        ("store", "Store.fetch"): {"self", "get", "key"},
        ("store", "helper"): {"len"},
    }
    reached = _reaching([plan], references, plan, targets[1])
    assert [t.qualname for _, t in reached] == ["Store.get", "Store", "Store.fetch"]


def test_a_found_scenario_joins_the_class_sequence_test_until_verification_drops_it() -> None:
    owner = TargetPlan("Store", "constructor", 1)
    owner.calls = (["((2,), {})"], ["('put', ('a', 1), {})", "('get', ('a',), {})"])
    getter = TargetPlan("Store.get", "method", 5)
    plan = ModulePlan(
        Path("store.py"), "store", Path("."), GUARD, "speed", [owner, getter], {}, [], 10, None
    )
    found = ["('put', ('a', 1), {})", "('put', ('b', 2), {})", "('get', ('a',), {})"]
    mutant = Mutant("Store.get", "drop-branch", 6, "if key in self._data:", "")
    run = _Run(plan, getter, mutant, "store:Store.get:0", [(plan, getter)])
    run.scenario = {"ctor": 0, "steps": found}
    # The sequence test of the class is verified again, with the scenario among its
    # fixed examples: a survivor now killed counts.
    nodes = _add_cases([run])
    assert nodes == [f"{plan.test_path.name}::test_store_calls"]
    assert owner.scenarios == [found]
    assert not _all_dropped(run)
    # Verification dropped the sequence test (the scenario fails on the baseline):
    # the test comes back as it was verified before, without the scenario.
    owner.dropped.add("test_store_calls")
    _restore_state_tests([run])
    assert owner.scenarios == [] and "test_store_calls" not in owner.dropped
    assert _all_dropped(run)


def _sources(args: str) -> dict[str, str]:
    """A probe record's literal sources: ``parse(*args)`` returned ``{}``."""
    fields = ("kwargs", "ctor", "returns", "args_after", "state")
    return {"args": args, **dict.fromkeys(fields, "None"), "kwargs": "{}", "returns": "{}"}


def test_a_survivor_is_said_told_apart_only_by_an_input_found_for_it() -> None:
    # The exploration's inputs join the first searched mutant of a target: frozen, but
    # not searched for that mutant. A survivor with only those is possibly equivalent,
    # not "told apart yet surviving" (toml's loads said so of an off-by-one in a slice).
    target = TargetPlan("parse", "function", 1)
    plan = ModulePlan(Path("fmt.py"), "fmt", Path("."), GUARD, "speed", [target], {}, [], 10, None)
    mutant = Mutant("parse", "off-by-one", 3, "text[1:-1]", "")
    run = _Run(plan, target, mutant, "fmt:parse:0", [(plan, target)])
    run.searched = True
    explored = {"id": "explored-0", "status": "ok", "sources": _sources("('[a]',)")}
    run.explored = [explored]
    assert _add_cases([run]) == [
        f"{plan.test_path.name}::test_parse_recorded",
        f"{plan.test_path.name}::test_parse_state",
    ]
    assert [c.id for c in target.recorded] == ["explored-0"]
    assert "possibly equivalent" in _survivor_text(run)
    found = {"id": "mutant-0", "status": "ok", "sources": _sources("('[a.b]',)")}
    run.found = [found]
    _add_cases([run])
    assert "a distinguishing input was added, yet it survives" in _survivor_text(run)
    target.dropped.add("mutant-0")
    assert "does not replay reliably" in _survivor_text(run)
