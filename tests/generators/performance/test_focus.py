"""Focus: the targets improve.md names are found, covered first, and never left without tests."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from pytest_autoimprove.config import parse_text, render
from pytest_autoimprove.generators import GenerateRequest, GenerationResult
from pytest_autoimprove.generators.discover import discover
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.generators.performance.focus import named_targets, ordered, untested_reason
from pytest_autoimprove.generators.performance.plan import MAX_REAL

IMPROVE = """\
# autoimprove: words

## Change
scope: {scope}
{change}

## Check
run: python bench.py
goal: lower
kind: speed

## Instructions
{instructions}
"""

MODULE = """
def tokenize(text):
    return text.split()


class Index:
    def __init__(self, words):
        self.words = list(words)

    def lookup(self, word):
        return self.words.index(word)

    def size(self):
        return len(self.words)


def make(words):
    return Index(words)
"""


def _config(scope: str = "src/words.py", change: str = "", instructions: str = "") -> object:
    text = IMPROVE.format(scope=scope, change=change, instructions=instructions)
    return parse_text(text)


def _generated(tmp_path: Path, source: str, **improve: str) -> GenerationResult:
    """``words.py`` with ``source``, generated for an improve.md with ``improve``'s text."""
    (tmp_path / "words.py").write_text(source, encoding="utf-8")
    request = GenerateRequest(
        root=tmp_path,
        modules=(Path("words.py"),),
        kind="speed",
        config=_config(scope="words.py", **improve),  # type: ignore[arg-type]
        # Room for verification when other test processes share the two cores: at 10 s,
        # a loaded run dropped a target's tests as unverified in time.
        time_budget=20,
    )
    return generate(request, trace=False, mutate=False)


@pytest.fixture
def info(tmp_path: Path) -> object:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "words.py").write_text(MODULE, encoding="utf-8")
    return discover(tmp_path, Path("src/words.py"), all_kinds=True)


def test_a_path_name_scope_entry_names_a_target_and_stays_scope() -> None:
    config = parse_text(
        IMPROVE.format(scope="src/words.py::Index.lookup, src/other.py", change="", instructions="")
    )
    assert config.change.scope == ("src/words.py", "src/other.py")
    assert config.change.targets == ("src/words.py::Index.lookup",)
    assert config.change.in_scope("src/words.py")
    again = parse_text(render(config))
    assert again.change == config.change


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"scope": "src/words.py::Index.lookup"}, {"Index.lookup"}),
        ({"scope": "src/words.py::lookup"}, {"Index.lookup"}),
        ({"scope": "src/words.py::Index"}, {"Index"}),
        ({"instructions": "Speed up `Index.lookup`, it is slow."}, {"Index.lookup"}),
        ({"change": "The hot path is words.tokenize()."}, {"tokenize"}),
        ({"instructions": "Make the index lookup faster."}, {"Index.lookup"}),
        # fqdn's improve.md named `FQDN.__init__`: the constructor, which is `FQDN`.
        ({"change": "Speed up `Index.__init__`."}, {"Index"}),
        ({"scope": "src/words.py::Index.__init__"}, {"Index"}),
        # Common words name nothing, however many functions carry them.
        ({"instructions": "Make it faster; keep the data and the output the same."}, set()),
        ({}, set()),
    ],
)
def test_named_targets(info: object, kwargs: dict[str, str], expected: set[str]) -> None:
    named = named_targets(_config(**kwargs), [info])  # type: ignore[arg-type, list-item]
    assert named.get("words", set()) == expected


def test_ordered_puts_named_first() -> None:
    assert ordered(["a", "b", "c", "d"], {"c", "a"}) == ["a", "c", "b", "d"]


def test_untested_reasons_say_what_happened() -> None:
    assert "unknown type" in untested_reason(0, [], frozen_cases=0, findings=0, probe_stopped=False)
    assert "budget" in untested_reason(3, [], frozen_cases=0, findings=0, probe_stopped=True)
    raised = [{"status": "raised"}] * 3
    assert "exception" in untested_reason(
        3, raised, frozen_cases=0, findings=0, probe_stopped=False
    )
    assert "findings" in untested_reason(3, raised, frozen_cases=0, findings=1, probe_stopped=False)
    assert "instance" in untested_reason(
        2, [{"status": "no-instance"}] * 2, frozen_cases=0, findings=0, probe_stopped=False
    )
    assert "baseline" in untested_reason(
        2, [{"status": "ok"}], frozen_cases=2, findings=0, probe_stopped=False
    )


def _large_module(functions: int) -> str:
    """A 5,000-line module: ``functions`` ordinary functions, then the named generator."""
    parts = ['"""A large module, as real ones are."""\n']
    padding = "\n".join(f"    # step {k}: nothing to see here" for k in range(50))
    for i in range(functions):
        parts.append(
            textwrap.dedent(
                f'''
                def helper_{i}(text, n=3):
                    """Helper {i}."""
                    if not text:
                        return []
                    out = []
                    for j in range(n):
                        out.append(text[j:] + "{i}")
                    return out
                '''
            ).rstrip()
            + "\n"
            + padding
            + "\n"
        )
    parts.append(
        textwrap.dedent(
            '''
            def walk_words(text, limit=100):
                """Yield the words of ``text``, lower-cased and stripped, at most ``limit``."""
                count = 0
                for word in text.split():
                    if count >= limit:
                        return
                    yield word.strip(".,").lower()
                    count += 1
            '''
        )
    )
    return "\n".join(parts)


def test_a_named_generator_in_a_large_module_gets_tests_first(tmp_path: Path) -> None:
    source = _large_module(80)
    assert len(source.splitlines()) > 4500
    (tmp_path / "big.py").write_text(source, encoding="utf-8")
    config = _config(scope="big.py", instructions="`walk_words` is the bottleneck.")
    request = GenerateRequest(
        root=tmp_path,
        modules=(Path("big.py"),),
        kind="speed",
        config=config,  # type: ignore[arg-type]
        time_budget=25,
    )
    result = generate(request, trace=False)
    rows = {row.target: row for row in result.strength}
    assert len(rows) == 81
    first = result.strength[0]
    assert first.target == "big.walk_words"
    assert first.tests > 0, (first.reason, result.notes)
    assert first.total > 0, (first.reason, result.notes)  # mutation tested first
    test_file = next(f for f in result.files if f.path.name == "test_guard_big.py")
    assert isinstance(test_file.content, str)
    headers = re.findall(r"^# --- (\S+) ", test_file.content, re.MULTILINE)
    assert headers[0] == "walk_words"
    # Whatever the budget left out is listed with the reason, never silently.
    for row in result.strength:
        assert row.tests > 0 or row.reason, row


def test_a_private_function_improve_md_names_is_a_target(tmp_path: Path) -> None:
    # dacite's `_build_value`, Parser._scan: the function the agent will rewrite is often
    # private; named in improve.md, it is guarded like a public one.
    source = MODULE + textwrap.dedent(
        """
        def _squeeze(text):
            return " ".join(text.split())


        class Reader:
            def _scan(self, text):
                return [w for w in text.split() if w]

            def _untouched(self):
                return 1
        """
    )
    result = _generated(tmp_path, source, instructions="`_squeeze` and `Reader._scan` are slow.")
    rows = {row.target: row for row in result.strength}
    assert rows["words._squeeze"].tests > 0, rows["words._squeeze"]
    assert rows["words.Reader._scan"].tests > 0, rows["words.Reader._scan"]
    assert "words.Reader._untouched" not in rows
    assert [row.target for row in result.strength[:2]] == ["words._squeeze", "words.Reader._scan"]


def test_a_function_left_out_of_all_is_a_target_when_named(tmp_path: Path) -> None:
    # iso8601 lists only parse_date in __all__; improve.md names parse_timezone too, the
    # function the agent will rewrite: it is guarded, the unnamed ones stay out.
    source = '__all__ = ["make"]\n' + MODULE
    result = _generated(tmp_path, source, change="Speed up `tokenize`.")
    rows = {row.target: row for row in result.strength}
    assert rows["words.tokenize"].tests > 0, rows["words.tokenize"]
    assert "words.Index" not in rows


def test_a_method_of_a_private_class_is_a_target_when_named(tmp_path: Path) -> None:
    # iso3166's `_CountryLookup.get`: users reach it through a module-level instance;
    # named in improve.md, the method is guarded although its class is private.
    source = MODULE + textwrap.dedent(
        """
        class _Lookup:
            def __init__(self):
                self.names = {"fr": "France", "de": "Germany"}

            def get(self, code):
                return self.names[code.lower()]


        lookup = _Lookup()
        """
    )
    result = _generated(tmp_path, source, change="Speed up `_Lookup.get`.")
    rows = {row.target: row for row in result.strength}
    assert rows["words._Lookup.get"].tests > 0, rows["words._Lookup.get"]


# A codec that picks its implementation at import: the public names are None in the
# source and bound to the running Python's function by a set-up function.
CODEC = """
import sys

packb = None
unpackb = None


def _packb2(obj):
    return str(obj)


def _packb3(obj):
    if obj is None:
        return b"\\xc0"
    return str(obj).encode()


def _unpackb3(data):
    return data.decode()


def __init():
    global packb, unpackb
    if sys.version_info[0] == 3:
        packb = _packb3
        unpackb = _unpackb3
    else:
        packb = _packb2


__init()
"""


def test_a_name_bound_to_a_private_function_names_it(tmp_path: Path) -> None:
    # umsgpack's `packb`/`unpackb`: named in improve.md, found nowhere as a def; the
    # functions they are bound to are the code the agent will rewrite.
    result = _generated(tmp_path, CODEC, change="Speed up `packb` and `unpackb`.")
    rows = {row.target: row for row in result.strength}
    assert rows["words._packb3"].tests > 0, rows["words._packb3"]
    assert rows["words._unpackb3"].tests > 0, rows["words._unpackb3"]
    assert {row.target for row in result.strength[:3]} >= {"words._packb3", "words._unpackb3"}
    assert not any(row.reason.startswith("improve.md names it") for row in result.strength)


def test_aliases_are_read_at_module_level_and_in_global_set_ups(tmp_path: Path) -> None:
    source = CODEC + "\nloads = _unpackb3\n\ndef _local():\n    packb = _packb2\n"
    (tmp_path / "codec.py").write_text(source, encoding="utf-8")
    info = discover(tmp_path, Path("codec.py"), all_kinds=True)
    # `packb = _packb2` in a function without `global` is a local: not an alias.
    assert info.aliases == {
        "packb": ("_packb3", "_packb2"),
        "unpackb": ("_unpackb3",),
        "loads": ("_unpackb3",),
    }
    # Unnamed, a public name bound to one function makes it a target; two, neither.
    assert [t.qualname for t in info.targets] == ["_unpackb3"]


FACTORY = """
class BareValidator:
    def __init__(self, schema=None):
        self.schema = schema or {}

    def validate(self, document):
        return all(key in document for key in self.schema)


def validator_factory(name, base):
    return type(name, (base,), {})


Validator = validator_factory("Validator", BareValidator)
"""


def test_a_method_named_through_a_class_a_factory_makes_is_that_of_its_base(
    tmp_path: Path,
) -> None:
    # Cerberus' `Validator = validator_factory("Validator", BareValidator)`: improve.md
    # names `Validator.validate`, which no class statement defines; it was reported as
    # a name nothing answers to, and not put first.
    result = _generated(tmp_path, FACTORY, change="Speed up `Validator.validate`.")
    rows = {row.target: row for row in result.strength}
    assert result.strength[0].target == "words.BareValidator.validate"
    assert rows["words.BareValidator.validate"].tests > 0
    assert not any(row.reason.startswith("improve.md names it") for row in result.strength)
    info = discover(tmp_path, Path("words.py"), all_kinds=True)
    assert info.aliases == {"Validator": ("BareValidator",)}


def test_a_name_improve_md_gives_that_nothing_answers_to_is_reported(tmp_path: Path) -> None:
    result = _generated(
        tmp_path,
        MODULE,
        change="Speed up `tokenize`, `Index.lookup`, `Index.__init__` and `tokenise`; keep "
        "`re` and `sorted`.",
    )
    rows = {row.target: row for row in result.strength}
    assert rows["words.tokenize"].tests > 0
    assert result.strength[0].target == "words.tokenise"
    assert result.strength[0].tests == 0
    assert "no function, class or method of words.py has that name" in result.strength[0].reason
    assert "words.re" not in rows and "words.sorted" not in rows
    assert "words.words" not in rows  # the module itself
    assert "words.Index.__init__" not in rows  # the constructor, `words.Index`


CHECKS = """
def validate(value):
    return value % 7 == 3


def check(value):
    return value % 5 == 1
"""

CHECK_TESTS = """
from words import check, validate


def test_many_values():
    for n in range(60):
        assert validate(n) == (n % 7 == 3)
        assert check(n) == (n % 5 == 1)
"""


def test_a_named_target_keeps_more_of_the_calls_the_tests_make(tmp_path: Path) -> None:
    # Cerberus' validate() meets a hundred schemas in its tests; twelve of them were
    # kept, and rules the other schemas used went unguarded.
    (tmp_path / "words.py").write_text(CHECKS, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_words.py").write_text(CHECK_TESTS, encoding="utf-8")
    (tmp_path / "conftest.py").write_text("", encoding="utf-8")
    request = GenerateRequest(
        root=tmp_path,
        modules=(Path("words.py"),),
        kind="speed",
        config=_config(scope="words.py", change="Make `validate` faster."),  # type: ignore[arg-type]
        time_budget=30,
    )
    result = generate(request, trace=True, mutate=False)
    text = "\n".join(str(f.content) for f in result.files if f.path.suffix == ".py")
    named = text.partition("VALIDATE_RECORDED = [")[2].partition("\n]")[0]
    other = text.partition("CHECK_RECORDED = [")[2].partition("\n]")[0]
    assert named.count("Case('real-") > MAX_REAL
    assert other.count("Case('real-") == MAX_REAL
