"""The static leakage scan: golden paths, queries and ids written in code in scope."""

from __future__ import annotations

from pathlib import Path

from pytest_autoimprove.runtime.leakage import Needles, leaks, scan_file

NEEDLES = Needles.build(
    names=["golden.jsonl", "AUTOIMPROVE_GOLDEN"],
    queries=["sourdough starter", "crop rotation", "kubernetes", "pruning", "compost", "x"],
    answers=["cook-01", "cook-02", "garden-12", "42", "positive"],
    stems=["golden"],
)


def _write(tmp_path: Path, text: str, name: str = "engine.py") -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


def test_honest_code_has_no_leaks(tmp_path: Path) -> None:
    rel = _write(
        tmp_path,
        '"""Search over the golden corpus of sourdough starter recipes."""\n'
        'STOP = {"the", "a", "x"}\n'
        "def f(q):\n    return q.split()\n",
    )
    assert leaks(tmp_path, [rel], NEEDLES) == []


def test_golden_path_literals(tmp_path: Path) -> None:
    rel = _write(
        tmp_path, 'P = "data/golden.jsonl"\nQ = "data/" "golden"\nE = "AUTOIMPROVE_GOLDEN"\n'
    )
    found = leaks(tmp_path, [rel], NEEDLES)
    assert {(leak.kind, leak.value, leak.line) for leak in found} == {
        ("path", "golden.jsonl", 1),
        ("path", "golden", 1),
        ("path", "golden", 2),
        ("path", "AUTOIMPROVE_GOLDEN", 3),
    }


def test_embedded_queries_and_answers(tmp_path: Path) -> None:
    rel = _write(
        tmp_path,
        "SPECIAL = {\n"
        '    "Sourdough  Starter": ["cook-01", "cook-02"],\n'
        '    "crop rotation guide": ["garden-12"],\n'
        "}\n",
    )
    found = {(leak.kind, leak.value, leak.line) for leak in leaks(tmp_path, [rel], NEEDLES)}
    assert ("query", "sourdough starter", 2) in found
    assert ("query", "crop rotation", 3) in found
    assert {("answer", "cook-01", 2), ("answer", "cook-02", 2), ("answer", "garden-12", 3)} <= found


def test_thresholds_for_single_words_and_one_id(tmp_path: Path) -> None:
    one = _write(tmp_path, 'SYN = {"k8s": "kubernetes"}\nID = "cook-01"\n', "one.py")
    assert leaks(tmp_path, [one], NEEDLES) == []
    many = _write(tmp_path, 'W = ["kubernetes", "pruning", "compost"]\n', "many.py")
    assert len(leaks(tmp_path, [many], NEEDLES)) == 3


def test_baseline_hits_are_allowed(tmp_path: Path) -> None:
    rel = _write(tmp_path, 'TITLE = "crop rotation"\n')
    allowed = {(leak.kind, leak.value) for leak in scan_file(tmp_path, rel, NEEDLES)}
    assert leaks(tmp_path, [rel], NEEDLES, allowed) == []


def test_text_files_and_broken_python_are_scanned_as_text(tmp_path: Path) -> None:
    data = _write(tmp_path, '{"sourdough starter": ["cook-01"]}\n', "boost.json")
    broken = _write(tmp_path, 'def f(:\n    "crop rotation"\n', "broken.py")
    kinds = {leak.value for leak in leaks(tmp_path, [data, broken], NEEDLES)}
    assert kinds == {"sourdough starter", "crop rotation"}
