"""System shapes beyond ``search(query)``: batch APIs, command-line programs, footprints.

Unit tests of the pieces (entry point discovery, the invariants they add, the CLI
probe's reading of a program's output, pyproject parsing); the end-to-end runs on tiny
systems are in ``test_quality_shapes_e2e.py``.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pytest_autoimprove.generators.quality.probe import entry_points
from pytest_autoimprove.generators.quality.split import split_golden
from pytest_autoimprove.runtime.footprint import (
    check_data_shipped,
    check_declared,
    declared_dependencies,
)
from pytest_autoimprove.runtime.golden import read_golden, render_records
from pytest_autoimprove.runtime.harness import SITE_DIR
from pytest_autoimprove.runtime.invariants import check_invariant, learn_invariants

SOURCE = """\
def predict(texts: list[str]) -> list[str]:
    return ["a" for _ in texts]


def classify_all(items):
    return items


def encode(sentences: "Sequence[str]") -> list:
    return []


def rank(items: list, weights: dict) -> list:
    return items


def predict_one(features: list[float]) -> float:
    return 0.0
"""


def _points(root: Path, rel: str, text: str) -> set[tuple[str, str, str, bool]]:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    return {(p.qualname, p.kind, p.param, p.batch) for p in entry_points(root, [Path(rel)])}


def test_batch_entry_points(tmp_path: Path) -> None:
    assert _points(tmp_path, "model.py", SOURCE) == {
        ("predict", "function", "texts", True),
        ("classify_all", "function", "items", True),
        ("encode", "function", "sentences", True),
    }


def test_async_functions_and_generators_are_entry_points(tmp_path: Path) -> None:
    text = (
        "async def search(q: str, limit: int = 5) -> list:\n    return []\n\n\n"
        "class Service:\n    async def classify(self, text: str) -> str:\n        return ''\n\n"
        "    def stream(self, query: str):\n        yield query\n\n"
        "    def helper(self, query: str):\n        return (lambda: (yield))\n"
    )
    found = _points(tmp_path, "svc.py", text)
    assert found == {
        ("search", "function", "q", False),
        ("Service.classify", "method", "text", False),
        ("Service.stream", "method", "query", False),
        ("Service.helper", "method", "query", False),
    }


def test_callable_objects_are_entry_points(tmp_path: Path) -> None:
    text = (
        "class Searcher:\n    def __call__(self, query: str, k: int = 3) -> list:\n"
        "        return []\n\n\nclass _Hidden:\n    def __call__(self, query: str) -> list:\n"
        "        return []\n"
    )
    (tmp_path / "s.py").write_text(text, encoding="utf-8")
    (point,) = entry_points(tmp_path, [Path("s.py")])
    assert (point.qualname, point.param, point.limit_param) == ("Searcher.__call__", "query", "k")


@pytest.mark.parametrize(
    ("rel", "text", "found"),
    [
        ("tool/__main__.py", "import sys\nprint(sys.argv)\n", True),
        ("cli.py", "def main():\n    pass\n\nif __name__ == '__main__':\n    main()\n", True),
        ("lib.py", "def main():\n    pass\n", False),
    ],
)
def test_command_line_programs_are_entry_points(
    tmp_path: Path, rel: str, text: str, found: bool
) -> None:
    expected = {("__main__", "cli", "argv", False)} if found else set()
    assert _points(tmp_path, rel, text) == expected


def test_a_program_with_a_query_function_is_probed_through_the_function(tmp_path: Path) -> None:
    text = (
        "def search(query: str) -> list:\n    return []\n\nif __name__ == '__main__':\n    pass\n"
    )
    assert _points(tmp_path, "app.py", text) == {("search", "function", "query", False)}


def test_helpers_called_only_from_scope_are_not_entry_points() -> None:
    from pytest_autoimprove.generators.quality import _internal_helpers
    from pytest_autoimprove.generators.quality.probe import EntryPoint

    points = [EntryPoint("m.py", name, "function", "text", None, 1) for name in "abc"]
    events: list[dict[str, Any]] = [
        {"e": "call", "t": "m.py::a", "src": "golden", "ext": True},
        {"e": "call", "t": "m.py::b", "src": "golden", "ext": False},
        {"e": "call", "t": "m.py::b", "src": "edge"},
    ]
    assert _internal_helpers(events, points) == {"m.py::b"}
    # Nothing called from outside (the benchmark goes through code out of scope): keep all.
    assert _internal_helpers(events[1:], points) == set()


def _call(q: str, src: str = "golden", **summary: Any) -> dict[str, Any]:
    return {
        "e": "call",
        "t": "m.py::f",
        "src": src,
        "q": q,
        "ok": True,
        "summary": {"type": "list", **summary},
    }


def test_a_cap_without_a_limit_parameter() -> None:
    events = [_call(q, len=5, etypes=["str"]) for q in ("a", "b", "c")]
    events.append(_call("d", len=2, etypes=["str"]))
    (cap,) = [i for i in learn_invariants(events, "m.py::f") if i.name == "at-most-n"]
    assert cap.data == {"n": 5}
    assert check_invariant(cap, events) is None
    assert "never returned more than 5" in str(check_invariant(cap, [_call("a", len=9)]))
    # Filled by too few distinct queries: a coincidence, not a cap.
    names = {i.name for i in learn_invariants(events[2:], "m.py::f")}
    assert "at-most-n" not in names


def test_one_answer_per_input() -> None:
    batch = {"e": "batch", "t": "m.py::f", "n_in": 4, "n_out": 4}
    events = [batch, _call("a", len=1)]
    (inv,) = [i for i in learn_invariants(events, "m.py::f") if i.name == "one-answer-per-input"]
    assert check_invariant(inv, events) is None
    short = [{**batch, "n_out": 3}, _call("a", len=1)]
    assert "3 item(s) for a batch of 4" in str(check_invariant(inv, short))


def _label(q: str, value: str, src: str = "golden") -> dict[str, Any]:
    return {
        "e": "call",
        "t": "m.py::f",
        "src": src,
        "q": q,
        "ok": True,
        "summary": {"type": "str", "value": value},
    }


def test_known_labels_include_the_baseline_fallback() -> None:
    events = [_label("a", "pos"), _label("b", "neg"), _label("", "none", src="edge")]
    (inv,) = [
        i for i in learn_invariants(events, "m.py::f", ["pos", "neg"]) if i.name == "known-labels"
    ]
    assert inv.data == {"labels": ["neg", "none", "pos"]}
    assert check_invariant(inv, events) is None
    bad = [_label("a", "pos"), _label("", "unknown", src="edge")]
    assert "'unknown', not one of the golden labels" in str(check_invariant(inv, bad))


@pytest.fixture(scope="module")
def cli_probe() -> ModuleType:
    path = SITE_DIR / "_autoimprove_cli_probe.py"
    spec = importlib.util.spec_from_file_location("_autoimprove_cli_probe_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_program_output_is_read_as_ids_and_scores(cli_probe: ModuleType) -> None:
    assert cli_probe.summarize_output("doc-1 0.9\ndoc-2 0.5\n\n") == {
        "type": "cli-output",
        "len": 2,
        "etypes": ["str"],
        "ids": ["doc-1", "doc-2"],
        "scores": [0.9, 0.5],
    }
    assert cli_probe.summarize_output("a\nb title words\n")["ids"] == ["a", "b"]
    assert cli_probe.summarize_output("") == {"type": "cli-output", "len": 0, "etypes": ["str"]}


def test_json_program_output_is_summarized_like_a_return_value(cli_probe: ModuleType) -> None:
    def summarize(value: object) -> dict[str, Any]:
        return {"json": value}

    doc = '{"results": [{"id": "d1"}]}'
    assert cli_probe.summarize_output(doc, summarize) == {"json": json.loads(doc)}
    lines = '{"id": "d1"}\n{"id": "d2"}\n'
    assert cli_probe.summarize_output(lines, summarize) == {"json": [{"id": "d1"}, {"id": "d2"}]}
    assert cli_probe.summarize_output("[not json\n", summarize)["ids"] == ["[not"]


def test_query_found_in_the_command_line(cli_probe: ModuleType) -> None:
    probe = cli_probe.CliProbe([], ["bike tire"], print, bool, list, [], 1.0)
    assert probe.query_in("bike tire") == ("", "bike tire")
    assert probe.query_in("--query=bike tire") == ("--query=", "bike tire")
    assert probe.query_in("-n") is None and probe.query_in("x=bike tire") is None


def test_program_failures_crash_or_reject(cli_probe: ModuleType) -> None:
    traceback = (
        'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n'
        "re.error: missing ), unterminated subpattern at position 0\n"
    )
    assert cli_probe._failure(1, traceback) == {
        "error": "re.error",
        "message": "re.error: missing ), unterminated subpattern at position 0",
        "deliberate": False,
    }
    usage = "usage: tool [-h] query\ntool: error: the query is empty\n"
    assert cli_probe._failure(2, usage)["error"] == "exit 2"
    assert cli_probe._failure(2, usage)["deliberate"] is True


def test_classifier_answers_as_dicts_have_a_label() -> None:
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(SITE_DIR)!r})\n"
        "import sitecustomize as site\n"
        "print(json.dumps([site.summarize({'label': 'spam', 'score': 0.9}),\n"
        "                  site.summarize({'hits': [{'id': 'd1', 'score': 1.0}]})]))\n"
    )
    # -S: no site, so the watcher module is imported here and nothing else is chained in
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    labelled, hits = json.loads(done.stdout)
    assert labelled["value"] == "spam"
    assert hits["ids"] == ["d1"] and "value" not in hits


def test_csv_golden_with_id_lists_in_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "golden.csv"
    path.write_text("query,relevant_ids\nhow to bake,doc-1;doc-7\nbike tire,doc-3\n")
    records = read_golden(path).records
    assert [(r.answers, r.answer_ids) for r in records] == [
        (("doc-1", "doc-7"), True),
        (("doc-3",), True),
    ]
    # a label column stays a label
    path.write_text("text,expected\ngreat,positive\n")
    (record,) = read_golden(path).records
    assert (record.label, record.answer_ids) == ("positive", False)


def test_json_golden_as_a_query_map_and_inside_an_envelope(tmp_path: Path) -> None:
    path = tmp_path / "golden.json"
    path.write_text(json.dumps({f"query {i}": [f"doc-{i}"] for i in range(10)}))
    golden = read_golden(path)
    assert golden.fmt == "json-map" and golden.records[0].answers == ("doc-0",)
    visible, holdout = split_golden(golden)
    parts = [json.loads(render_records(golden, part)) for part in (visible, holdout)]
    assert sorted([*parts[0], *parts[1]]) == sorted(f"query {i}" for i in range(10))
    assert parts[1][next(iter(parts[1]))][0].startswith("doc-")
    path.write_text(json.dumps({"version": 2, "data": [{"query": f"q {i}"} for i in range(6)]}))
    golden = read_golden(path)
    assert list(json.loads(render_records(golden, golden.records[:2]))) == ["version", "data"]


PYPROJECT = """\
[project]
name = "p"
dependencies = [
    "pluggy>=1.0",
    # "iniconfig",
    "Typing_Extensions; python_version >= '3'",
]
[project.optional-dependencies]
extra = ["requests"]
[tool.poetry.dependencies]
python = "^3.10"
attrs = "^23"
rich = {version = "^13", optional = true}
[tool.setuptools.package-data]
p = ["data/*.txt"]
"""


def test_declared_dependencies_ignore_extras_and_comments() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    declared = declared_dependencies(tomllib.loads(PYPROJECT))
    assert declared == ["pluggy", "typing-extensions", "attrs"]


def test_check_declared_and_shipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    check_declared(tmp_path, "pluggy")
    check_declared(tmp_path, "typing_extensions")
    check_data_shipped(tmp_path, "p/data/a.txt", "p", "data/a.txt")
    for dist in ("iniconfig", "requests", "rich"):
        with pytest.raises(AssertionError, match=f"{dist} is no longer declared"):
            check_declared(tmp_path, dist)
    with pytest.raises(AssertionError, match="no longer listed"):
        check_data_shipped(tmp_path, "p/data/a.json", "p", "data/a.json")
    (tmp_path / "pyproject.toml").write_text("[project\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="no longer parses"):
        check_declared(tmp_path, "pluggy")
