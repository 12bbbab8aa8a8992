"""The command line as a whole: help texts, unknown commands, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove import cli

COMMANDS = ["init", "generate", "golden", "freeze", "verify", "status", "report", "export", "demo"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_top_level_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert f"\n    {command} " in result.stdout, command
    assert "examples:" in result.stdout and "exit codes:" in result.stdout


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
