"""The bundled examples stay runnable, deterministic and as documented.

``autoimprove-guard demo`` copies ``examples/<name>`` into a fresh folder and runs
the whole product on it, so each example must work on its own: its own tests pass,
its eval or bench prints a score, and the rag_search example keeps the latent bug
its README promises the demo will find. Every test runs a copy of the example in
``tmp_path`` through real subprocesses, the way the demo and the loop do.
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

from pytest_autoimprove.config import load_config

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RAG = EXAMPLES / "rag_search"
SPEED = EXAMPLES / "speed"
SCORE = re.compile(r"^SCORE: ([\d.]+)$", re.MULTILINE)
#: The baseline figure quoted in examples/rag_search/README.md.
RAG_BASELINE_SCORE = "0.7935"
#: FTS5 reads only these characters as plain words; anything else in a golden query
#: could hit the documented MATCH bug and make the score depend on it.
BAREWORD_QUERY = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*$")
TUNE_MARK = re.compile(r"^([A-Z_][A-Z0-9_]*) = ([\d.]+)  # autoimprove: tune$", re.MULTILINE)


def copy_example(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis")
    )
    return target


def run(
    args: list[str], cwd: Path, *, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` in ``cwd`` with an environment free of the caller's overrides."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AUTOIMPROVE_", "PYTEST_"))
    }
    clean["PYTHONDONTWRITEBYTECODE"] = "1"
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,
        check=False,
    )


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


# --- both examples ----------------------------------------------------------------


@pytest.mark.parametrize("example", [RAG, SPEED], ids=lambda p: p.name)
def test_own_tests_pass_in_a_copy(example: Path, tmp_path: Path) -> None:
    project = copy_example(example, tmp_path)
    result = run(["-m", "pytest", "-q", "-p", "no:cacheprovider"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\d+ passed", result.stdout)


@pytest.mark.parametrize(
    ("example", "kind", "goal", "frozen"),
    [(RAG, "quality", "higher", ("eval.py",)), (SPEED, "speed", "lower", ("bench.py",))],
    ids=["rag_search", "speed"],
)
def test_improve_md_parses(example: Path, kind: str, goal: str, frozen: tuple[str, ...]) -> None:
    config = load_config(example)
    assert config.check.kind == kind
    assert config.check.goal == goal
    assert config.check.frozen == frozen
    assert config.agent.provider == "tune"
    for pattern in config.change.scope:
        assert list(example.glob(pattern)), f"scope {pattern!r} matches no file"


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        (
            RAG / "rag_search" / "engine.py",
            {
                "BM25_TITLE_WEIGHT",
                "BM25_TEXT_WEIGHT",
                "KEYWORD_WEIGHT",
                "VECTOR_WEIGHT",
                "CANDIDATES",
            },
        ),
        (SPEED / "textnorm.py", {"BATCH_SIZE"}),
    ],
    ids=["rag_search", "speed"],
)
def test_tunable_constants_are_marked(module: Path, expected: set[str]) -> None:
    marked = dict(TUNE_MARK.findall(module.read_text()))
    assert set(marked) == expected
    assert all(float(value) > 0 for value in marked.values())


# --- rag_search ---------------------------------------------------------------------


def test_rag_eval_prints_the_documented_baseline(tmp_path: Path) -> None:
    project = copy_example(RAG, tmp_path)
    first = run(["eval.py"], project)
    assert first.returncode == 0, first.stderr
    assert re.search(r"^hit_rate=0\.\d{3}$", first.stdout, re.MULTILINE)
    assert re.search(r"^mrr=0\.\d{3}$", first.stdout, re.MULTILINE)
    scores = SCORE.findall(first.stdout)
    assert scores == [RAG_BASELINE_SCORE], "update examples/rag_search/README.md too"
    assert run(["eval.py"], project).stdout == first.stdout  # deterministic


def test_rag_eval_reads_golden_from_argument_then_environment(tmp_path: Path) -> None:
    project = copy_example(RAG, tmp_path)
    golden = tmp_path / "one.jsonl"
    golden.write_text(json.dumps({"query": "blossom end rot", "relevant": ["garden-03"]}) + "\n")
    by_argument = run(["eval.py", str(golden)], project)
    by_environment = run(["eval.py"], project, env={"AUTOIMPROVE_GOLDEN": str(golden)})
    for result in (by_argument, by_environment):
        assert result.returncode == 0, result.stderr
        assert SCORE.findall(result.stdout) == ["1.0000"]
        assert "queries=1" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"query": "frost"}\n', "golden.jsonl:1: expected"),
        ("not json\n", "golden.jsonl:1: expected"),
        ("\n", "no golden queries"),
    ],
    ids=["no-relevant", "not-json", "empty"],
)
def test_rag_eval_rejects_a_malformed_golden_file(
    tmp_path: Path, content: str, message: str
) -> None:
    project = copy_example(RAG, tmp_path)
    golden = tmp_path / "golden.jsonl"
    golden.write_text(content)
    result = run(["eval.py", str(golden)], project)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    missing = run(["eval.py", str(tmp_path / "absent.jsonl")], project)
    assert missing.returncode != 0 and "cannot read golden set" in missing.stderr


def test_rag_corpus_and_golden_set_are_consistent() -> None:
    chunks = read_jsonl(RAG / "corpus" / "chunks.jsonl")
    assert 250 <= len(chunks) <= 400
    ids = [str(chunk["id"]) for chunk in chunks]
    titles = [str(chunk["title"]) for chunk in chunks]
    assert len(set(ids)) == len(ids) and len(set(titles)) == len(titles)
    for chunk in chunks:
        assert 30 <= len(str(chunk["text"]).split()) <= 80, chunk["id"]
    golden = read_jsonl(RAG / "data" / "golden.jsonl")
    assert 24 <= len(golden) <= 40
    queries = [str(record["query"]) for record in golden]
    assert len(set(queries)) == len(queries)
    for record in golden:
        assert BAREWORD_QUERY.match(str(record["query"])), record["query"]
        relevant = record["relevant"]
        assert isinstance(relevant, list) and relevant
        assert set(relevant) <= set(ids), record["query"]


_PROBE = """
import json, sqlite3, sys
from rag_search import search
outcome = {}
for query in json.loads(sys.argv[1]):
    try:
        search(query)
        outcome[query] = "ok"
    except sqlite3.OperationalError as exc:
        outcome[query] = "OperationalError: " + str(exc)
print(json.dumps(outcome))
"""


def test_rag_baseline_keeps_its_documented_match_bug(tmp_path: Path) -> None:
    # examples/rag_search/README.md promises the demo finds this bug before the first
    # experiment: the raw query goes into FTS5 MATCH. Fixing it breaks the demo's story.
    project = copy_example(RAG, tmp_path)
    golden = [str(record["query"]) for record in read_jsonl(RAG / "data" / "golden.jsonl")]
    crashing = ["state-of-the-art", "e-mail notifications", '"french press', "why?", "(frost"]
    result = run(["-c", _PROBE, json.dumps(crashing + golden)], project)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["state-of-the-art"] == "OperationalError: no such column: of"
    assert outcome["e-mail notifications"] == "OperationalError: no such column: mail"
    for query in crashing:
        assert outcome[query].startswith("OperationalError"), query
    assert {query: outcome[query] for query in golden} == dict.fromkeys(golden, "ok")


# --- speed --------------------------------------------------------------------------


def test_speed_bench_prints_a_time(tmp_path: Path) -> None:
    project = copy_example(SPEED, tmp_path)
    result = run(["bench.py"], project)
    assert result.returncode == 0, result.stderr
    assert "lines=10000 unique=141" in result.stdout
    scores = SCORE.findall(result.stdout)
    assert len(scores) == 1 and float(scores[0]) > 0


def test_speed_doctests_pass(tmp_path: Path) -> None:
    project = copy_example(SPEED, tmp_path)
    result = run(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--doctest-modules", "textnorm.py"],
        project,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
