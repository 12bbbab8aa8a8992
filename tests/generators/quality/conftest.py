"""Fixture projects for the quality and footprint generators, copied into ``tmp_path``."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "rag_search"
#: Small quality systems of the guard-strength benchmark (40-row golden sets and more).
CORPUS_QUALITY = Path(__file__).resolve().parents[3] / "benchmarks" / "corpus_quality"

CLASSIFIER = '''\
"""A tiny keyword classifier: the kind of system a quality goal tunes."""

from __future__ import annotations

WEIGHTS = {"great": 1.0, "love": 1.0, "good": 0.5, "bad": -1.0, "awful": -1.0, "hate": -1.0}


def classify(text: str) -> str:
    """Return "positive" or "negative"."""
    words = text.lower().split()
    score = sum(WEIGHTS.get(word.strip(".,!?"), 0.0) for word in words)
    if ":" in text:
        label, _, rest = text.partition(":")
        return classify(rest) if label.strip() else "negative"
    return "positive" if score > 0 else "negative"
'''

CLASSIFIER_EVAL = """\
import json, os, sys
from classifier import classify

path = os.environ.get("AUTOIMPROVE_GOLDEN", "data/golden.jsonl")
rows = [json.loads(line) for line in open(path) if line.strip()]
if not rows:
    sys.exit("no rows")
right = sum(classify(row["text"]) == row["label"] for row in rows)
print(f"SCORE: {right / len(rows):.4f}")
"""

CLASSIFIER_GOLDEN = [
    ("i love this great phone", "positive"),
    ("what a great day", "positive"),
    ("good value and i love it", "positive"),
    ("great battery, good screen", "positive"),
    ("love love love", "positive"),
    ("really good coffee", "positive"),
    ("this is bad", "negative"),
    ("awful service, i hate waiting", "negative"),
    ("bad food and awful music", "negative"),
    ("i hate mondays", "negative"),
    ("not my thing, bad fit", "negative"),
    ("awful awful awful", "negative"),
]


def write_classifier(root: Path, *, run: str = "python evaluate.py") -> Path:
    """A classification project whose benchmark reads $AUTOIMPROVE_GOLDEN."""
    import json

    (root / "data").mkdir(parents=True)
    (root / "classifier.py").write_text(CLASSIFIER, encoding="utf-8")
    (root / "evaluate.py").write_text(CLASSIFIER_EVAL, encoding="utf-8")
    (root / "data" / "golden.jsonl").write_text(
        "".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in CLASSIFIER_GOLDEN),
        encoding="utf-8",
    )
    (root / "improve.md").write_text(
        textwrap.dedent(
            f"""\
            # autoimprove: classifier
            ## Change
            scope: classifier.py
            ## Check
            run: {run}
            goal: higher
            kind: quality
            frozen: evaluate.py
            golden: data/golden.jsonl
            """
        ),
        encoding="utf-8",
    )
    return root


@pytest.fixture
def rag_project(tmp_path: Path) -> Path:
    """A fresh copy of examples/rag_search."""
    return Path(
        shutil.copytree(
            EXAMPLE,
            tmp_path / "rag",
            ignore=shutil.ignore_patterns(
                "__pycache__", ".pytest_cache", "autoimprove_guard", ".autoimprove"
            ),
        )
    )


@pytest.fixture
def classifier_project(tmp_path: Path) -> Path:
    return write_classifier(tmp_path / "clf")


def copy_system(name: str, dest: Path) -> Path:
    """A fresh copy of ``benchmarks/corpus_quality/<name>``."""
    return Path(
        shutil.copytree(
            CORPUS_QUALITY / name,
            dest,
            ignore=shutil.ignore_patterns("__pycache__", "autoimprove_guard", ".autoimprove"),
        )
    )


@pytest.fixture
def intents_project(tmp_path: Path) -> Path:
    """A keyword intent classifier with a 40-row golden set (env mode)."""
    return copy_system("intents", tmp_path / "intents")
