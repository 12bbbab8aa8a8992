"""Memorizing the golden set does not pay: generate on a classifier, then memorize and fix.

Each test generates once on a fresh copy of the benchmark's intent classifier (40
golden rows: 28 visible, 12 holdout), applies what an agent would write, and runs
the generated guard tests in a subprocess.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path

from test_quality_generate import _edit, _generate, _guard

from pytest_autoimprove.runtime.golden import normalize_query

MODEL = "intents/model.py"


def _visible(root: Path) -> list[tuple[str, str]]:
    path = root / "tests/autoimprove_guard/golden/visible.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(row["text"], row["intent"]) for row in rows]


def _append(root: Path, code: str) -> None:
    path = root / MODEL
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code, encoding="utf-8")


def _baseline(root: Path) -> Callable[[str], str]:
    """The untouched classifier, loaded from its file (it imports nothing of its package)."""
    spec = importlib.util.spec_from_file_location(f"model_{id(root)}", root / MODEL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classify: Callable[[str], str] = module.classify
    return classify


HASHED = """
import hashlib as _h

_LABELS = {labels!r}
_TABLE = {table!r}
_original = classify


def classify(text: str) -> str:
    key = _h.md5(" ".join(text.split()).casefold().encode()).hexdigest()[:12]
    if key in _TABLE:
        return _LABELS[_TABLE[key]]
    return _original(text)
"""


def _hashed_table(rows: list[tuple[str, str]]) -> str:
    labels = sorted({label for _, label in rows})
    table = {
        hashlib.md5(normalize_query(text).encode()).hexdigest()[:12]: labels.index(label)
        for text, label in rows
    }
    return HASHED.format(labels=labels, table=table)


def test_memorized_answers_fail_and_an_honest_fix_passes(intents_project: Path) -> None:
    root = intents_project
    _generate(root)
    text = (root / "tests/autoimprove_guard/test_guard_quality.py").read_text(encoding="utf-8")
    for name in (
        "test_visible_gain_carries_over_to_holdout",
        "test_code_in_scope_adds_no_golden_table",
        "classify-stable-meaning",
        "classify-answered",
    ):
        assert name in text, name
    code, out = _guard(root)
    assert code == 0, out
    original = (root / MODEL).read_text(encoding="utf-8")

    # A table keyed on a hash of the normalized text: no golden string is left in the
    # code, the padded and re-cased variants hit the table too; rephrasings do not.
    _append(root, _hashed_table(_visible(root)))
    code, out = _guard(root)
    assert code == 1
    assert "memorized?" in out and "golden-table entries" in out
    assert "does not embed" not in out.split("short test summary")[-1]

    # Only the rows the baseline gets wrong: a table too small for the table check. The
    # visible jump the holdout does not follow is under the guard test's 2.5 standard
    # errors on 12 holdout rows (the loop's keep check refuses it, at 2); the
    # rephrasings see it.
    (root / MODEL).write_text(original, encoding="utf-8")
    baseline = _baseline(root)
    wrong = [(t, label) for t, label in _visible(root) if baseline(t) != label]
    assert 3 <= len(wrong) < 8
    _append(root, _hashed_table(wrong))
    code, out = _guard(root)
    assert code == 1
    assert "memorized?" in out
    assert "golden-table entries" not in out

    # An honest improvement: plural and -ing endings.
    (root / MODEL).write_text(original, encoding="utf-8")
    _edit(
        root / MODEL,
        "    return text.lower().split()",
        "    words = [w.strip('?.,!') for w in text.lower().split()]\n"
        "    return [w[:-3] if w.endswith('ing') else w[:-1] if w.endswith('s') "
        "and not w.endswith('ss') else w for w in words]",
    )
    code, out = _guard(root)
    assert code == 0, out
