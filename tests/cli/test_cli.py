"""The command line as a whole: help texts, unknown commands, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove import cli

#: In the order a user meets them, which is the order --help lists them in.
COMMANDS = [
    "init", "generate", "freeze", "verify", "status", "report", "export", "golden", "demo", "clean",
]  # fmt: skip


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_top_level_help_lists_every_command_in_order_and_every_exit_code() -> None:
    from pytest_autoimprove.errors import ExitCode

    result = run("--help")
    assert result.returncode == 0
    positions = [result.stdout.find(f"\n    {command} ") for command in COMMANDS]
    assert -1 not in positions, dict(zip(COMMANDS, positions, strict=True))
    assert positions == sorted(positions)
    assert list(cli.COMMANDS) == COMMANDS
    assert "examples:" in result.stdout and "exit codes:" in result.stdout
    codes = result.stdout.split("exit codes:", 1)[1].split()
    for code in ExitCode:
        assert str(int(code)) in codes, code


def test_a_reader_that_goes_away_ends_the_output_quietly(tmp_path: Path) -> None:
    """`autoimprove-guard report | head -3`: no BrokenPipeError traceback, the real exit code."""
    import json
    import shutil

    if shutil.which("head") is None:
        pytest.skip("no head(1) on this machine")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    run_dir = tmp_path / ".autoimprove" / "runs" / "20261127-000000-abcd"
    run_dir.mkdir(parents=True)
    events = [{"event": "baseline", "score": 1.0, "samples": [1.0], "commit": "a" * 40}] + [
        {"event": "experiment", "record": {"number": n, "status": "discarded", "score": 1.0}}
        for n in range(1, 3000)
    ]
    (run_dir / "journal.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    done = subprocess.run(
        f'{sys.executable} -m pytest_autoimprove report | head -3; echo "exit=${{PIPESTATUS[0]}}"',
        shell=True,
        executable="/bin/bash",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.splitlines()[0].startswith("run 20261127-000000-abcd: baseline 1")
    assert len(done.stdout.splitlines()) == 4  # three lines, then the exit code
    assert done.stdout.splitlines()[-1] == "exit=0"
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert (run_dir / "report.md").is_file()  # the command still did its work


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"autoimprove-guard {command}" in out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "usage: autoimprove-guard" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error() -> None:
    result = run("frezee")
    assert result.returncode == 2
    assert "invalid choice: 'frezee'" in result.stderr


def test_root_that_does_not_exist(tmp_path: Path) -> None:
    result = run("-C", str(tmp_path / "nope"), "status")
    assert result.returncode == 2
    assert "no such folder" in result.stderr and "Traceback" not in result.stderr


def test_version() -> None:
    from pytest_autoimprove import __version__

    assert run("--version").stdout.strip() == f"autoimprove-guard {__version__}"
