"""The sealed holdout: kept outside the repository, its hash in the lock, checked by CI.

A real project (the benchmark's intent classifier), the real command line in a
subprocess, the sealed file beside the repository (never in it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus_quality" / "intents"
SEALED_ROWS = [
    ("how much is in my savings account", "balance"),
    ("money left this month", "balance"),
    ("send 20 dollars to mum", "transfer"),
    ("pay the electricity bill", "transfer"),
    ("my card is missing", "lost_card"),
    ("block the stolen card", "lost_card"),
    ("reset the pin", "password"),
    ("login locked", "password"),
    ("is the branch open at 9", "hours"),
    ("weekend hours", "hours"),
]


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    full = {k: v for k, v in os.environ.items() if k != "AUTOIMPROVE_HOLDOUT"}
    full.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "-C", str(root), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=full,
    )
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture
def sealed_project(tmp_path: Path) -> tuple[Path, Path]:
    root = Path(
        shutil.copytree(CORPUS, tmp_path / "repo", ignore=shutil.ignore_patterns("__pycache__"))
    )
    improve = root / "improve.md"
    improve.write_text(
        improve.read_text(encoding="utf-8").replace(
            "golden: data/golden.jsonl\n",
            "golden: data/golden.jsonl\nholdout: env:AUTOIMPROVE_HOLDOUT\n",
        ),
        encoding="utf-8",
    )
    sealed = tmp_path / "sealed.jsonl"
    sealed.write_text(
        "".join(json.dumps({"text": t, "intent": y}) + "\n" for t, y in SEALED_ROWS),
        encoding="utf-8",
    )
    return root, sealed


def test_sealed_holdout_is_frozen_by_hash_and_checked_where_present(
    sealed_project: tuple[Path, Path],
) -> None:
    root, sealed = sealed_project
    here = {"AUTOIMPROVE_HOLDOUT": str(sealed)}
    code, out = _run(root, "generate", env=here)
    assert code == 0, out
    assert "sealed holdout (env:AUTOIMPROVE_HOLDOUT): the baseline scores" in out
    record = json.loads((root / "tests/autoimprove_guard/sealed_holdout.json").read_text())
    assert record["rows"] == len(SEALED_ROWS) and record["source"] == "env:AUTOIMPROVE_HOLDOUT"
    lock = (root / ".autoimprove/guard.lock").read_text(encoding="utf-8")
    assert (
        f'sealed_holdout = {{ source = "env:AUTOIMPROVE_HOLDOUT", sha256 = "{record["sha256"]}"'
        in lock
    )

    # The loop's machine: absent, said plainly; the lock still holds.
    code, out = _run(root, "verify")
    assert code == 0, out
    assert "ABSENT here (the environment variable AUTOIMPROVE_HOLDOUT is not set)" in out
    # CI asks for it: absent fails.
    code, out = _run(root, "verify", "--sealed")
    assert code == 1 and "sealed holdout check FAILED" in out

    code, out = _run(root, "verify", "--sealed", env=here)
    assert code == 0, out
    assert "present, matches the lock" in out and "sealed holdout check holds" in out

    # A change that fits the golden rows in the repository and nothing else.
    model = root / "intents" / "model.py"
    original = model.read_text(encoding="utf-8")
    model.write_text(original + '\n\ndef classify(text: str) -> str:\n    return "balance"\n')
    code, out = _run(root, "verify", "--sealed", "--json", env=here)
    assert code == 1
    report = json.loads(out)
    assert report["holds"] is False and "FAILED" in report["sealed_check"]
    model.write_text(original, encoding="utf-8")

    # Another file under the same name: not the holdout that was frozen.
    sealed.write_text(sealed.read_text(encoding="utf-8") + sealed.read_text(encoding="utf-8"))
    code, out = _run(root, "verify", env=here)
    assert code == 1 and "differs from the one frozen" in out


def test_sealed_holdout_absent_at_generation_is_not_recorded(
    sealed_project: tuple[Path, Path],
) -> None:
    root, _sealed = sealed_project
    code, out = _run(root, "generate")
    assert code == 0, out
    assert "absent here (the environment variable AUTOIMPROVE_HOLDOUT is not set)" in out
    assert "sealed_holdout" not in (root / ".autoimprove/guard.lock").read_text(encoding="utf-8")
    code, out = _run(root, "verify")
    assert code == 0 and "not recorded in the lock" in out


def test_a_sealed_holdout_inside_the_repository_is_refused(
    sealed_project: tuple[Path, Path],
) -> None:
    root, sealed = sealed_project
    inside = root / "data" / "sealed.jsonl"
    shutil.copy(sealed, inside)
    code, out = _run(root, "generate", "--dry-run", env={"AUTOIMPROVE_HOLDOUT": str(inside)})
    assert code == 2
    assert "improve.md:" in out and "inside the repository" in out and "Traceback" not in out
