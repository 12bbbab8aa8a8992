"""``autoimprove-guard export``: program.md an agent can follow without the loop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pytest_autoimprove.config import parse_text
from pytest_autoimprove.proposers.prompt import render_program, render_protocol

IMPROVE_MD = """\
# autoimprove: faster-parse
## Change
scope: src/parse.py
## Check
test: pytest -q
run: python bench.py
goal: lower
min_delta: 2%
repeats: 3
frozen: bench.py
## Stop
rounds: 20
## Instructions
Keep the public API.
"""


def test_protocol_spells_out_the_loop() -> None:
    text = render_protocol(parse_text(IMPROVE_MD))
    assert "# autoimprove: faster-parse" in text
    assert "You may edit only: `src/parse.py`." in text
    assert "`bench.py`" in text and "Keep the public API." in text
    assert "autoimprove-guard verify" in text
    assert "up to 3 times" in text and "by more than 2%" in text
    assert "Repeat until 20 experiments" in text
    # By hand the agent commits itself, and there is no loop to read a DESCRIPTION line.
    assert "Do not commit" not in text and "DESCRIPTION:" not in text
    assert "Do not commit" in render_program(parse_text(IMPROVE_MD))


def test_export_writes_program_md(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "improve.md").write_text(IMPROVE_MD)
    done = subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "export"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "program.md").read_text() == render_protocol(
        parse_text(IMPROVE_MD, tmp_path / "improve.md")
    )
    to_stdout = subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "export", "-o", "-"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert to_stdout.stdout == (tmp_path / "program.md").read_text()


def test_export_without_improve_md_is_an_error(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    done = subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "export"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "improve.md: file not found" in done.stderr
