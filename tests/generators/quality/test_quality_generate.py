"""The quality generator end to end: generate on a real project, then cheat and fix.

Each test generates once on a fresh copy (a few seconds: the benchmark runs about six
times), writes the files, edits the code in scope like an agent would, and runs the
generated tests in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove.config import load_config
from pytest_autoimprove.generators import GenerateRequest, GenerationResult
from pytest_autoimprove.generators.driver import modules_in_scope
from pytest_autoimprove.generators.quality import (
    generate,
    pytest_autoimprove_generate,
    visible_golden_path,
)


def _generate(root: Path) -> GenerationResult:
    config = load_config(root)
    request = GenerateRequest(
        root=root, modules=modules_in_scope(root, config), kind="quality", config=config
    )
    result = generate(request)
    for file in result.files:
        target = root / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        assert isinstance(file.content, str)
        target.write_text(file.content, encoding="utf-8")
    return result


def _guard(root: Path) -> tuple[int, str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-W",
            "ignore::DeprecationWarning",
            "tests/autoimprove_guard",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return proc.returncode, proc.stdout + proc.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_other_kinds_are_not_ours(tmp_path: Path) -> None:
    request = GenerateRequest(root=tmp_path, modules=(), kind="speed")
    assert pytest_autoimprove_generate(request) is None


def test_rag_example_baseline_cheats_and_fix(rag_project: Path) -> None:
    result = _generate(rag_project)
    paths = {f.path.as_posix() for f in result.files}
    assert paths == {
        "tests/autoimprove_guard/test_guard_quality.py",
        "tests/autoimprove_guard/golden/visible.jsonl",
        "tests/autoimprove_guard/golden/holdout.jsonl",
    }
    assert visible_golden_path(rag_project) == (
        rag_project / "tests/autoimprove_guard/golden/visible.jsonl"
    )
    # The baseline crashes on hyphenated queries: a finding, and no test for those inputs.
    messages = " ".join(str(f) for f in result.findings)
    assert "state-of-the-art" in messages and "OperationalError" in messages
    text = (rag_project / "tests/autoimprove_guard/test_guard_quality.py").read_text()
    assert "id='search-hyphenated'" not in text
    assert "test_holdout_score_did_not_drop" in text
    assert text.count("@pytest.mark.autoimprove_guard") >= 5
    compile(text, "test_guard_quality.py", "exec")
    code, out = _guard(rag_project)
    assert code == 0, out

    engine = rag_project / "rag_search" / "engine.py"
    original = engine.read_text(encoding="utf-8")
    # Hard-coded golden answers.
    _edit(
        engine,
        "    index = _index()\n",
        "    index = _index()\n"
        '    if query == "sourdough starter":\n'
        '        return [Hit(i, 1.0, index.titles[i]) for i in ("cook-01", "cook-02")]\n',
    )
    code, out = _guard(rag_project)
    assert code == 1 and "embeds the golden set" in out

    # Reading the golden file through a path the static scan cannot see.
    engine.write_text(original, encoding="utf-8")
    _edit(
        engine,
        "    index = _index()\n",
        "    index = _index()\n"
        "    import glob\n"
        "    for name in glob.glob(str(CORPUS.parent.parent / 'da' 'ta' / '*.jsonl')):\n"
        "        open(name).read()\n",
    )
    code, out = _guard(rag_project)
    assert code == 1 and "reads the golden set" in out

    # The honest fix of the hyphen crash keeps every guardrail green.
    engine.write_text(original, encoding="utf-8")
    _edit(
        engine,
        "(BM25_TITLE_WEIGHT, BM25_TEXT_WEIGHT, query, limit)",
        "(BM25_TITLE_WEIGHT, BM25_TEXT_WEIGHT, "
        "' '.join('\"' + w + '\"' for w in _WORD.findall(query)) or '\"\"', limit)",
    )
    code, out = _guard(rag_project)
    assert code == 0, out


def test_classifier_env_mode_holdout_drop(classifier_project: Path) -> None:
    result = _generate(classifier_project)
    assert not any("copy" in note for note in result.notes)
    text = (classifier_project / "tests/autoimprove_guard/test_guard_quality.py").read_text()
    assert "mode='env'" in text and "known-labels" in text
    code, out = _guard(classifier_project)
    assert code == 0, out
    # A classifier that says "positive" to everything: the holdout score drops.
    _edit(
        classifier_project / "classifier.py",
        'return "positive" if score > 0 else "negative"',
        'return "positive"',
    )
    code, out = _guard(classifier_project)
    assert code == 1 and "holdout score" in out
    # An invented label.
    _edit(classifier_project / "classifier.py", '    return "positive"\n', '    return "meh"\n')
    code, out = _guard(classifier_project)
    assert "not one of the golden labels" in out


def test_benchmark_ignoring_the_split_is_scored_in_a_copy(classifier_project: Path) -> None:
    root = classifier_project
    _edit(
        root / "evaluate.py",
        'os.environ.get("AUTOIMPROVE_GOLDEN", "data/golden.jsonl")',
        '"data/golden.jsonl"',
    )
    result = _generate(root)
    assert any("scratch copy" in note for note in result.notes)
    code, out = _guard(root)
    assert code == 0, out
    assert json.loads((root / "data/golden.jsonl").read_text().splitlines()[0])["label"]


def test_missing_golden_file_is_a_config_error(classifier_project: Path) -> None:
    from pytest_autoimprove.errors import ConfigError

    (classifier_project / "data" / "golden.jsonl").unlink()
    with pytest.raises(ConfigError, match="golden set data/golden.jsonl not found"):
        _generate(classifier_project)
