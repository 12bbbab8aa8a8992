"""The footprint generator (kind: size): deleting modules, scripts, deps or data fails."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.footprint import plan_footprint, pytest_autoimprove_generate


@pytest.fixture
def package(tmp_path: Path) -> Path:
    pkg = tmp_path / "src" / "tinypkg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        '"""Tiny."""\n__all__ = ["hello"]\nfrom tinypkg.core import hello\n'
    )
    (pkg / "core.py").write_text(
        "def hello() -> str:\n    return 'hi'\n\ndef extra() -> int:\n    return 1\n"
    )
    (pkg / "cli.py").write_text(
        "import argparse\n\ndef main() -> None:\n"
        "    argparse.ArgumentParser(prog='tiny').parse_args()\n"
    )
    (pkg / "needs_service.py").write_text("raise ImportError('needs a server')\n")
    (pkg / "data" / "words.txt").write_text("a\nb\n")
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent("""\
        [project]
        name = "tinypkg"
        version = "0"
        dependencies = ["pluggy>=1.0", "iniconfig", "nonexistent-dist-xyz; python_version < '3'"]
        [project.scripts]
        tiny = "tinypkg.cli:main"
        broken = "tinypkg.cli:nothing"
        """)
    )
    return tmp_path


def test_plan_keeps_what_works(package: Path) -> None:
    fp = plan_footprint(package)
    assert fp.import_roots == ["src"]
    assert fp.modules == ["tinypkg", "tinypkg.cli", "tinypkg.core"]
    assert fp.public_names["tinypkg.core"] == ["extra", "hello"]
    assert fp.scripts == [("tiny", "tinypkg.cli:main")]
    assert ("pluggy", "pluggy") in fp.dependencies and ("iniconfig", "iniconfig") in fp.dependencies
    assert fp.data_files == ["src/tinypkg/data/words.txt"]
    assert any("needs_service" in note for note in fp.notes)
    assert any("broken" in note for note in fp.notes)


def _run(root: Path) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/autoimprove_guard"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_generated_tests_catch_deletions(package: Path) -> None:
    assert pytest_autoimprove_generate(GenerateRequest(package, (), "quality")) is None
    result = pytest_autoimprove_generate(GenerateRequest(package, (), "size"))
    assert result is not None
    (file,) = result.files
    assert isinstance(file.content, str)
    (package / file.path).parent.mkdir(parents=True)
    (package / file.path).write_text(file.content)
    code, out = _run(package)
    assert code == 0, out

    core = package / "src" / "tinypkg" / "core.py"
    core.write_text("def hello() -> str:\n    return 'hi'\n")
    (package / "src" / "tinypkg" / "data" / "words.txt").unlink()
    pyproject = package / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"iniconfig", ', ""))
    code, out = _run(package)
    assert code == 1
    assert "no longer defines extra" in out
    assert "words.txt was removed" in out
    assert "iniconfig is no longer declared" in out
