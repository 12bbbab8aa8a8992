"""``autoimprove-guard golden``: labels from a file, and the interactive form over stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove.cli.golden import main

SEARCH = """\
DOCS = {"d1": "apple pie", "d2": "apple tart", "d3": "pear cake"}


def search(query):
    return [{"id": k, "text": v} for k, v in DOCS.items() if query in v]


def classify(text):
    return "fruit" if "apple" in text else "other"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "mini.py").write_text(SEARCH, encoding="utf-8")
    (tmp_path / "inputs.txt").write_text("apple\npear\n\ncake\napple\n", encoding="utf-8")
    (tmp_path / "cli.py").write_text(
        "import sys, mini\n"
        "for hit in mini.search(sys.argv[1]):\n"
        "    print(hit['id'], hit['text'])\n",
        encoding="utf-8",
    )
    return tmp_path


def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_labels_file_with_callable(project: Path) -> None:
    labels = project / "labels.jsonl"
    labels.write_text(
        '{"query": "apple", "answer": "2 1"}\n{"query": "pear", "answer": ""}\n',
        encoding="utf-8",
    )
    code = main(
        [
            "-C",
            str(project),
            "inputs.txt",
            "--callable",
            "mini:search",
            "--labels",
            str(labels),
            "-o",
            "gold.jsonl",
        ]
    )
    assert code == 0
    assert _records(project / "gold.jsonl") == [
        {"query": "apple", "relevant": ["d2", "d1"]},
        {"query": "pear", "relevant": []},
    ]


def test_labels_for_a_classifier(project: Path) -> None:
    labels = project / "labels.jsonl"
    labels.write_text(
        '{"query": "apple", "answer": ""}\n{"query": "pear", "answer": "fruit"}\n'
        '{"query": "cake", "answer": ""}\n',
        encoding="utf-8",
    )
    main(
        [
            "-C",
            str(project),
            "inputs.txt",
            "--callable",
            "mini:classify",
            "--labels",
            str(labels),
            "-o",
            "gold.jsonl",
        ]
    )
    assert _records(project / "gold.jsonl") == [
        {"query": "apple", "label": "fruit"},
        {"query": "pear", "label": "fruit"},
        {"query": "cake", "label": "other"},
    ]


BATCH = """\
def predict(texts: list[str]) -> list[str]:
    return ["fruit" if "apple" in t else "other" for t in texts]


class Engine:
    def search(self, query):
        return [{"id": "d1", "text": "apple pie"}] if "apple" in query else []


ENGINE = Engine()
"""


def test_batch_apis_and_methods_of_module_objects(project: Path) -> None:
    (project / "mini_batch.py").write_text(BATCH, encoding="utf-8")
    labels = project / "labels.jsonl"
    labels.write_text('{"query": "apple", "answer": ""}\n{"query": "pear", "answer": ""}\n')
    main(
        [
            "-C",
            str(project),
            "inputs.txt",
            "--callable",
            "mini_batch:predict",
            "--labels",
            str(labels),
            "-o",
            "clf.jsonl",
        ]
    )
    # one label per text, not one per character of it
    assert _records(project / "clf.jsonl")[:2] == [
        {"query": "apple", "label": "fruit"},
        {"query": "pear", "label": "other"},
    ]
    labels.write_text('{"query": "apple", "answer": "1"}\n')
    main(
        [
            "-C",
            str(project),
            "inputs.txt",
            "--callable",
            "mini_batch:ENGINE.search",
            "--labels",
            str(labels),
            "-o",
            "ret.jsonl",
        ]
    )
    assert _records(project / "ret.jsonl") == [{"query": "apple", "relevant": ["d1"]}]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["inputs.txt", "--command", "python cli.py"], "needs an {input} placeholder"),
        (["inputs.txt", "--callable", "mini"], "write it as module:function"),
        (["inputs.txt", "--callable", "nope:f"], "cannot load it"),
        (["missing.txt", "--callable", "mini:search"], "cannot read the inputs"),
    ],
)
def test_usage_errors(
    project: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(project), *argv]) == 2
    assert message in capsys.readouterr().err


def _interactive(project: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest_autoimprove.cli.golden",
            "-C",
            str(project),
            "inputs.txt",
            "--command",
            "python cli.py {input}",
            "-o",
            "gold.jsonl",
        ],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_interactive_quit_and_resume(project: Path) -> None:
    first = _interactive(project, "9\n1\nq\n")
    assert first.returncode == 0, first.stderr
    assert "[1/3] apple" in first.stdout and "[d1] d1 apple pie" in first.stdout
    assert "type result numbers" in first.stdout
    assert _records(project / "gold.jsonl") == [{"query": "apple", "relevant": ["d1"]}]
    assert (project / "gold.jsonl.progress").exists()

    second = _interactive(project, "s\n1\n")
    assert second.returncode == 0, second.stderr
    assert "[1/3] apple" not in second.stdout and "[2/3] pear" in second.stdout
    assert _records(project / "gold.jsonl") == [
        {"query": "apple", "relevant": ["d1"]},
        {"query": "cake", "relevant": ["d3"]},
    ]
    assert not (project / "gold.jsonl.progress").exists()
