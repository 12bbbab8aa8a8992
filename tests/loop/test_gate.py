"""The gate judges by its own report, not by pytest's exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pytest_autoimprove.loop.gate import GateResult, run_gate, snapshot_flag
from pytest_autoimprove.process import as_pytest_argv


def gate(
    tmp_path: Path,
    tests: str,
    *,
    guard: str | None = None,
    guard_tests: int = 0,
    command: str | None = None,
    args: tuple[str, ...] = (),
) -> tuple[bool, str]:
    (tmp_path / "tests").mkdir(exist_ok=True)
    (tmp_path / "tests" / "test_a.py").write_text(tests)
    if guard is not None:
        (tmp_path / "tests" / "autoimprove_guard").mkdir(exist_ok=True)
        (tmp_path / "tests" / "autoimprove_guard" / "test_g.py").write_text(guard)
    reports = tmp_path / "reports"
    reports.mkdir(exist_ok=True)
    result = run_gate(
        tmp_path,
        command=command,
        pytest_args=("-p", "no:cacheprovider", *args),
        guard_tests=guard_tests,
        report_dir=reports,
        timeout=60,
        env={},
    )
    assert not list(reports.glob("gate-*"))  # reports are removed after reading
    return result.passed, result.reason


GUARD_OK = "import pytest\n\n@pytest.mark.autoimprove_guard\ndef test_g():\n    pass\n"


@pytest.mark.parametrize(
    ("tests", "reason"),
    [
        ("def test_a():\n    pass\n\ndef test_b():\n    import os; os._exit(0)\n", "ended before"),
        ("import sys\nsys.exit(0)\n", "pytest exited with"),
        (
            "import pytest\n\ndef test_a():\n    pytest.exit('bye', returncode=0)\n\n"
            "def test_b():\n    pass\n",
            "never ran",
        ),
        ("def test_a():\n    assert 0\n", "test_a failed"),
    ],
)
def test_exit_code_zero_is_not_enough(tmp_path: Path, tests: str, reason: str) -> None:
    passed, why = gate(tmp_path, tests)
    assert not passed
    assert reason in why


@pytest.mark.parametrize(
    "guard",
    [
        "import pytest\n\n@pytest.mark.autoimprove_guard\n@pytest.mark.skip\ndef test_g():\n"
        "    pass\n",
        "import pytest\n\n@pytest.mark.autoimprove_guard\n@pytest.mark.xfail\ndef test_g():\n"
        "    assert 0\n",
    ],
)
def test_skipped_or_xfailed_guard_test_fails(tmp_path: Path, guard: str) -> None:
    passed, why = gate(tmp_path, "def test_a():\n    pass\n", guard=guard, guard_tests=1)
    assert not passed
    assert "guard test" in why


def test_guard_count_must_match_the_lock(tmp_path: Path) -> None:
    passed, why = gate(tmp_path, "def test_a():\n    pass\n", guard=GUARD_OK, guard_tests=2)
    assert not passed
    assert "only 1 of 2 guard tests" in why


def test_guard_tests_run_even_when_filtered_out_or_not_pytest(tmp_path: Path) -> None:
    assert gate(
        tmp_path, "def test_a():\n    pass\n", guard=GUARD_OK, guard_tests=1, args=("-k", "test_a")
    )[0]
    assert gate(tmp_path, "", guard=GUARD_OK, guard_tests=1, command="true")[0]
    passed, why = gate(tmp_path, "", guard=GUARD_OK, guard_tests=1, command="false")
    assert not passed and "exited with 1" in why


@pytest.mark.parametrize(("body", "passes"), [("pass", True), ("assert 0", False)])
def test_guard_tests_join_the_session_when_testpaths_are_elsewhere(
    tmp_path: Path, body: str, passes: bool
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["other"]\n')
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "test_o.py").write_text("def test_o():\n    pass\n")
    guard_dir = tmp_path / "tests" / "autoimprove_guard"
    guard_dir.mkdir(parents=True)
    (guard_dir / "test_g.py").write_text(GUARD_OK.replace("pass", body))
    log = tmp_path / "logs" / "0001-tests.log"
    result = run_gate(
        tmp_path,
        command=None,
        pytest_args=("-p", "no:cacheprovider"),
        guard_tests=1,
        report_dir=tmp_path,
        timeout=60,
        env={},
        log_path=log,
    )
    assert result.passed is passes, result.reason
    if passes:
        assert (result.tests, result.guard_passed) == (2, 1)
    else:
        assert "test_g failed" in result.reason
    assert not log.with_suffix(".guard.log").exists()  # one pytest session, not two


def test_pytest_command_detection() -> None:
    assert as_pytest_argv(None) == [sys.executable, "-m", "pytest"]
    assert as_pytest_argv("pytest -q tests") == ["pytest", "-q", "tests"]
    assert as_pytest_argv("python3 -m pytest -x") == ["python3", "-m", "pytest", "-x"]
    assert as_pytest_argv("make test") is None
    assert as_pytest_argv("cd x && pytest") is None


@pytest.mark.parametrize(
    "text",
    ["pytest --snapshot-update", "--force-regen", "--inline-snapshot=fix", "--update-snapshots"],
)
def test_snapshot_flags_are_found(text: str) -> None:
    assert snapshot_flag(text)


def test_harmless_flags_are_not_snapshot_flags() -> None:
    assert snapshot_flag("pytest -q --inline-snapshot=disable -k snapshot") is None


# -- the judge cannot be reached from the code under test -------------------------------


def gate_result(tmp_path: Path, tests: str, code: str) -> GateResult:
    """The gate on ``tests`` with ``code_mod.py`` (the code under test) beside them."""
    (tmp_path / "tests").mkdir(exist_ok=True)
    (tmp_path / "tests" / "test_a.py").write_text(tests)
    (tmp_path / "code_mod.py").write_text(code)
    reports = tmp_path / "reports"
    reports.mkdir(exist_ok=True)
    return run_gate(
        tmp_path,
        command=None,
        pytest_args=("-p", "no:cacheprovider"),
        guard_tests=0,
        report_dir=reports,
        timeout=60,
        env={"PYTHONPATH": str(tmp_path)},
        in_scope=lambda path: path == "code_mod.py",
    )


def test_a_forged_finished_record_is_refused(tmp_path: Path) -> None:
    """The report's path is in the process's first environment; its key is not."""
    tests = (
        "import os\n\n"
        "def test_forge():\n"
        "    env = open('/proc/self/environ', 'rb').read().split(b'\\0')\n"
        "    path = next(e for e in env if e.startswith(b'AUTOIMPROVE_GATE_REPORT='))\n"
        "    with open(path.split(b'=', 1)[1], 'a') as report:\n"
        '        report.write(\'{"event": "finished", "exitstatus": 0, "stopped": false}\\n\')\n'
        "    os._exit(0)\n"
    )
    if not Path("/proc/self/environ").exists():
        pytest.skip("needs /proc")
    result = gate_result(tmp_path, tests, "")
    assert not result.passed
    assert result.tampered.startswith("the gate's report has a record it did not write")


def test_a_swapped_comparator_is_found(tmp_path: Path) -> None:
    code = (
        "import pytest_autoimprove.compare as c\n"
        "c.assert_same.__code__ = (lambda *a, **k: None).__code__\n"
    )
    tests = (
        "import code_mod\n"
        "from pytest_autoimprove.compare import assert_same\n\n"
        "def test_a():\n"
        "    assert_same(1, 2)\n"
    )
    result = gate_result(tmp_path, tests, code)
    assert result.passed  # the swap worked: only the integrity findings tell
    found = {(f["message"], f["where"]) for f in result.findings if f["source"] == "gate"}
    assert (
        "sets __code__ of pytest_autoimprove.runtime.compare.assert_same",
        "code_mod.py:2",
    ) in found
    # and the loop, comparing the code that ran with its own copy, sees it too
    assert (
        "the code of pytest_autoimprove.runtime.compare that ran differs from the installed "
        "pytest_autoimprove.runtime.compare",
        None,
    ) in found


def test_a_patched_pytest_is_found(tmp_path: Path) -> None:
    code = "import _pytest.python\n_pytest.python.Function.runtest = lambda self: None\n"
    tests = "import code_mod\n\ndef test_a():\n    assert 0\n"
    result = gate_result(tmp_path, tests, code)
    assert result.passed
    messages = [(f["message"], f["where"]) for f in result.findings]
    assert (
        "_pytest.python.Function.runtest was replaced (at the end of the session)",
        "code_mod.py:2",
    ) in messages


def test_plugins_that_patch_pytest_while_it_configures_are_no_finding(tmp_path: Path) -> None:
    """pytest's legacypath and Hypothesis' plugin replace class members at configure time."""
    result = gate_result(tmp_path, "def test_a(tmpdir):\n    assert tmpdir\n", "")
    assert result.passed, result.reason
    assert result.findings == ()


def test_digests_are_compared_with_the_loops_own_copy() -> None:
    from pytest_autoimprove.loop import fingerprint

    own = fingerprint.digests(["pytest_autoimprove.loop.gate"])
    assert fingerprint.compare_digests(own) == []
    file = own["pytest_autoimprove.loop.gate"][0]
    altered = {"pytest_autoimprove.loop.gate": [file, "0" * 32]}
    assert fingerprint.compare_digests(altered) == [
        "the code of pytest_autoimprove.loop.gate that ran differs from the installed "
        "pytest_autoimprove.loop.gate"
    ]
    # Another installation (another interpreter) is not compared.
    assert fingerprint.compare_digests({"pytest_autoimprove.loop.gate": ["/x.py", "0"]}) == []
