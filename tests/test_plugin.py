"""The pytest plugin: options, marker, fixture, hook specs and --autoimprove-verify."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pluggy
import pytest

from pytest_autoimprove import manager

GUARD_TEST = """
import pytest

@pytest.mark.autoimprove_guard
def test_guarded():
    assert True
"""


def _git_repo(path: Path) -> None:
    for args in (
        ["init", "-q"],
        ["config", "user.email", "t@example.com"],
        ["config", "user.name", "t"],
    ):
        subprocess.run(["git", *args], cwd=path, check=True, capture_output=True)


def _freeze(path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "freeze"],
        cwd=path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_help_lists_every_option(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(["*pytest-autoimprove*"])
    for option in (
        "--autoimprove ",
        "--autoimprove-file",
        "--autoimprove-budget",
        "--autoimprove-rounds",
        "--autoimprove-stale",
        "--autoimprove-resume",
        "--autoimprove-verify",
        "autoimprove_verify",
        "autoimprove_file",
    ):
        assert option in result.stdout.str(), option


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(GUARD_TEST)
    result = pytester.runpytest("--strict-markers", "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.autoimprove_guard:*"])
    pytester.runpytest("--strict-markers").assert_outcomes(passed=1)


def test_score_fixture_lists_scores_in_a_normal_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_bench(autoimprove_score):
            autoimprove_score("mrr", 0.25)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*autoimprove scores*", "mrr = 0.25"])


def test_score_fixture_writes_the_loop_file(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "scores.jsonl"
    monkeypatch.setenv("AUTOIMPROVE_SCORE_FILE", str(target))
    pytester.makepyfile(
        """
        def test_bench(autoimprove_score):
            autoimprove_score("ms", 12)
            autoimprove_score("ms", 11.5)
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)
    records = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["value"] for r in records] == [12.0, 11.5]
    assert records[0]["name"] == "ms" and records[0]["test"].endswith("::test_bench")


def test_verify_option_passes_when_the_lock_holds(pytester: pytest.Pytester) -> None:
    _git_repo(pytester.path)
    pytester.makepyfile(test_guard=GUARD_TEST)
    _freeze(pytester.path)
    result = pytester.runpytest_subprocess("--autoimprove-verify")
    result.assert_outcomes(passed=1)


def test_verify_option_fails_before_collection(pytester: pytest.Pytester) -> None:
    _git_repo(pytester.path)
    pytester.makeconftest("")
    pytester.makepyfile(test_guard=GUARD_TEST)
    _freeze(pytester.path)
    pytester.makeconftest("collect_ignore = ['test_guard.py']")
    result = pytester.runpytest_subprocess("--autoimprove-verify")
    assert result.ret == 3
    result.stdout.fnmatch_lines(["*guard lock does not hold*", "*changed*conftest.py*"])
    result.stdout.no_fnmatch_line("*collected*")
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


def test_verify_ini_option(pytester: pytest.Pytester) -> None:
    _git_repo(pytester.path)
    pytester.makepyfile(test_guard=GUARD_TEST)
    _freeze(pytester.path)
    # Adding the ini option is itself a change to pytest's configuration: caught.
    pytester.makeini("[pytest]\nautoimprove_verify = true\n")
    result = pytester.runpytest_subprocess()
    assert result.ret == 3
    result.stdout.fnmatch_lines(["*added*tox.ini::?pytest?*"])
    _freeze(pytester.path)
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_verify_without_a_lock_says_how_to_make_one(pytester: pytest.Pytester) -> None:
    _git_repo(pytester.path)
    pytester.makepyfile(test_guard=GUARD_TEST)
    result = pytester.runpytest_subprocess("--autoimprove-verify")
    assert result.ret == 3
    result.stdout.fnmatch_lines(["*autoimprove-guard freeze*"])


def test_misspelled_hook_in_conftest_fails_loudly(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        def pytest_autoimprove_propse(context):
            return None
        """
    )
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest()
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*unknown hook*pytest_autoimprove_propse*"])


def test_hooks_are_known_to_pytest(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.hookimpl
        def pytest_autoimprove_frozen_paths(root, config):
            return ["data/"]
        """
    )
    pytester.makepyfile(
        """
        def test_hook(request):
            hook = request.config.pluginmanager.hook
            assert hook.pytest_autoimprove_frozen_paths(root=None, config=None) == [["data/"]]
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_standalone_manager_rejects_misspelled_hooks() -> None:
    class Typo:
        def pytest_autoimprove_generat(self, request: object) -> None:
            return None

    plugin_manager = manager.standalone_manager()
    plugin_manager.register(Typo(), name="typo")
    with pytest.raises(pluggy.PluginValidationError, match="pytest_autoimprove_generat"):
        manager.check_names(plugin_manager)


def test_plugin_module_imports_only_pytest() -> None:
    code = (
        "import sys; import pytest_autoimprove.plugin; "
        "heavy = [m for m in ('git', 'libcst', 'hypothesis', 'pytest_autoimprove.config', "
        "'pytest_autoimprove.guard', 'pytest_autoimprove.loop.run') if m in sys.modules]; "
        "print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
