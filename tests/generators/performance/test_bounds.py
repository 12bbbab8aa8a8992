"""Bounds: the integers the code compares with are where off-by-one rewrites show."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.generators.performance.facts import read_facts

GUARD = Path("tests/autoimprove_guard/test_guard_labels.py")
LABELS = '''
MAX_TOTAL = 253


def check_label(label):
    """Raise ValueError for a label longer than a DNS label may be."""
    if len(label) > 63:
        raise ValueError("label too long")
    return label.lower()


def check_total(size):
    if size >= MAX_TOTAL:
        raise ValueError("name too long")
    return _half(size)


def _half(size):
    return size // 2 if size < 100 else size - 50


def batches(items):
    """Lists of at most eight items."""
    if len(items) > 8:
        return [items[:8]] + batches(items[8:])
    return [items]
'''


def test_the_integers_a_function_and_its_helpers_compare_with() -> None:
    facts = read_facts(textwrap.dedent(LABELS), "labels")
    # (n, compared with a len(...)): a literal, a module constant, a helper's literal.
    assert facts.bounds["check_label"] == [(63, True)]
    assert facts.bounds["check_total"] == [(253, False), (100, False)]


def test_an_off_by_one_bound_is_caught_and_an_honest_rewrite_passes(tmp_path: Path) -> None:
    (tmp_path / "labels.py").write_text(textwrap.dedent(LABELS), encoding="utf-8")
    request = GenerateRequest(
        root=tmp_path, modules=(Path("labels.py"),), kind="speed", time_budget=30
    )
    result = generate(request, trace=False, mutate=False)
    for file in result.files:
        file.write(tmp_path)
    guard = (tmp_path / GUARD).read_text(encoding="utf-8")
    assert "# text of length next to the code's bound 63; guards off-by-one" in guard
    assert "# next to the code's bound 253; guards off-by-one" in guard
    assert "# list of length next to the code's bound 8; guards off-by-one" in guard
    source = (tmp_path / "labels.py").read_text(encoding="utf-8")

    def run(old: str, new: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / "labels.py").write_text(source.replace(old, new), encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", str(GUARD)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    for old, new in (("> 63", ">= 63"), (">= MAX_TOTAL", "> MAX_TOTAL"), ("> 8:", ">= 8:")):
        proc = run(old, new)
        assert proc.returncode == 1, (old, proc.stdout[-2000:])
        assert "bound" in proc.stdout, proc.stdout[-2000:]
    proc = run("if len(label) > 63:", "if len(label) >= 64:")  # the same bound
    assert proc.returncode == 0, proc.stdout[-2000:]
