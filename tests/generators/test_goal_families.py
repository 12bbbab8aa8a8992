"""A plugin adds a goal family alone: its kind, its risks and its generator.

The plugin here is a real installed distribution as far as Python can tell (a
``.dist-info`` folder with an ``entry_points.txt`` on ``PYTHONPATH``), so the CLI
finds it through the ``pytest_autoimprove`` entry point group, as it would find one
installed with pip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN = """
import pytest

from pytest_autoimprove import GeneratedFile, GenerationResult, GoalFamily, Risk

DROPPED_TIMEOUT = Risk("dropped-timeout", "a request stops honouring its timeout", ("latency",))


@pytest.hookimpl
def pytest_autoimprove_goal_families():
    return [GoalFamily("latency", (DROPPED_TIMEOUT,), "lower p99 latency, same answers")]


@pytest.hookimpl
def pytest_autoimprove_generate(request):
    if request.kind != "latency":
        return None
    test = (
        "import pytest\\n\\n\\n"
        "# risk dropped-timeout: a request stops honouring its timeout\\n"
        "@pytest.mark.autoimprove_guard\\n"
        "def test_latency_guard():\\n"
        "    assert True\\n"
    )
    return GenerationResult(
        generator="latency",
        files=(GeneratedFile(request.output_dir / "test_guard_latency.py", test),),
    )
"""


def _install_plugin(site: Path) -> None:
    (site / "latency_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "latency_plugin-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: latency-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[pytest_autoimprove]\nlatency = latency_plugin\n")


def _repo(root: Path, kind: str) -> Path:
    root.mkdir()
    (root / "service.py").write_text("def handle(request):\n    return request\n")
    (root / "improve.md").write_text(
        textwrap.dedent(f"""\
            # autoimprove: faster service

            ## Check
            run: python -c "print('SCORE: 1')"
            goal: lower
            kind: {kind}
            """)
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-qm", "init"], cwd=root, check=True)
    return root


def _cli(root: Path, site: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if site is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(site), env.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "-C", str(root), *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    _install_plugin(folder)
    return folder


def test_a_plugin_kind_is_accepted_and_generated(tmp_path: Path, site: Path) -> None:
    root = _repo(tmp_path / "repo", "latency")
    done = _cli(root, site, "generate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (root / "tests" / "autoimprove_guard" / "test_guard_latency.py").is_file()
    assert "froze" in done.stdout


def test_without_the_plugin_the_kind_is_a_config_error(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo", "latency")
    done = _cli(root, None, "generate")
    assert done.returncode == 2
    assert "improve.md:" in done.stderr and "kind 'latency'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_misspelled_builtin_kind_gets_a_suggestion(tmp_path: Path, site: Path) -> None:
    root = _repo(tmp_path / "repo", "sped")
    done = _cli(root, site, "generate")
    assert done.returncode == 2
    assert "speed" in done.stderr and "latency" in done.stderr
