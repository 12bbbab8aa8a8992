"""End to end: generate guardrails for a fixture project, compare with recorded output.

The recorded files under ``recorded/fixture_project/`` are the expected output, byte for
byte; refresh them with ``AUTOIMPROVE_RECORD=1 pytest tests/generators``. Every recorded
file is also executed: copied next to the fixture project, the guardrails must pass on
the untouched code and fail on agent-like regressions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.generators import SLOWNESS_ENV, GenerateRequest, GenerationResult
from pytest_autoimprove.generators.performance import generate, pytest_autoimprove_generate

HERE = Path(__file__).parent
FIXTURE = HERE / "fixture_project"
RECORDED = HERE / "recorded" / "fixture_project"
GUARD = Path("tests/autoimprove_guard")
MODULES = (Path("src/inventory/core.py"), Path("src/inventory/units.py"))


def _write(root: Path, result: GenerationResult) -> None:
    for f in result.files:
        dest = root / f.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(f.content, bytes):
            dest.write_bytes(f.content)
        else:
            dest.write_text(f.content, encoding="utf-8")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationResult]:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    # A budget no phase reaches, even on a busy machine: the output must not depend on
    # where a deadline cut the work (mutation testing runs every mutant it plans).
    request = GenerateRequest(root=root, modules=MODULES, kind="speed", time_budget=300)
    with pytest.MonkeyPatch.context() as patch:
        # The recorded output must not depend on how busy the machine is: no case may
        # be dropped as "too slow" because another job shares the cores.
        patch.setenv(SLOWNESS_ENV, "20")
        result = generate(request)
    _write(root, result)
    return root, result


def _tree(base: Path) -> dict[str, bytes]:
    return {
        p.relative_to(base).as_posix(): p.read_bytes()
        for p in sorted(base.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.slow(seconds=24)
def test_output_matches_recorded(generated: tuple[Path, GenerationResult]) -> None:
    root, result = generated
    produced = {f.path.relative_to(GUARD).as_posix() for f in result.files}
    actual = _tree(root / GUARD)
    assert set(actual) == produced
    if os.environ.get("AUTOIMPROVE_RECORD"):
        shutil.rmtree(RECORDED, ignore_errors=True)
        shutil.copytree(root / GUARD, RECORDED, ignore=shutil.ignore_patterns("__pycache__"))
    expected = _tree(RECORDED)
    assert sorted(actual) == sorted(expected)
    for name, content in actual.items():
        assert content == expected[name], f"{name} differs from the recorded output"


def test_reports_the_latent_crash_as_a_finding(generated: tuple[Path, GenerationResult]) -> None:
    _, result = generated
    messages = [str(f) for f in result.findings]
    assert any("average" in m and "ZeroDivisionError" in m for m in messages), messages
    text = (generated[0] / GUARD / "test_guard_inventory_units.py").read_text()
    assert "ZeroDivisionError" not in text  # the crash is reported, never frozen


def test_uses_real_inputs_from_the_projects_tests(generated: tuple[Path, GenerationResult]) -> None:
    text = (generated[0] / GUARD / "test_guard_inventory_core.py").read_text()
    assert "Case('real-0', args=('ab_cd-ef',), returns='AB-CD-EF')" in text
    assert "@pytest.mark.autoimprove_guard" in text
    assert "# risk unicode-fast-path:" in text
    assert 'importlib.import_module("_autoimprove_baseline.inventory.core")' in text


def test_strength_rows_cover_every_target(generated: tuple[Path, GenerationResult]) -> None:
    _, result = generated
    rows = {row.target: row for row in result.strength}
    assert set(rows) == {
        "inventory.core.normalize_sku",
        "inventory.core.total_price",
        "inventory.core.parse_tags",
        "inventory.core.Catalog",
        "inventory.core.Catalog.find",
        "inventory.units.to_cents",
        "inventory.units.average",
    }
    assert all(row.tests > 0 for row in rows.values())
    assert sum(row.total for row in rows.values()) >= 8
    # The reused-result mutant of parse_tags survives the first suite; the search
    # finds the call pair that shows it, and the state test now plays it.
    tags = rows["inventory.core.parse_tags"]
    assert tags.killed == tags.total > 0, tags.survivors


def _run_guards(root: Path, file: str = "") -> subprocess.CompletedProcess[str]:
    """Run the guardrails (one file of them, when given) on the project at ``root``."""
    # A fixed hash seed keeps the hash-order regression's outcome deterministic.
    env = dict(os.environ, PYTHONHASHSEED="0")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(GUARD / file)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def recorded_project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path, dirs_exist_ok=True)
    shutil.copytree(RECORDED, tmp_path / GUARD)
    return tmp_path


def test_recorded_guards_pass_on_the_baseline(recorded_project: Path) -> None:
    proc = _run_guards(recorded_project)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert " passed" in proc.stdout


REGRESSIONS = {
    "dropped None check": (
        "core.py",
        '    if sku is None:\n        return ""\n',
        "",
    ),
    "ASCII-only fast path": (
        "core.py",
        "part.upper()",
        "part.upper() if part.isascii() else part",
    ),
    "argument mutated in place": (
        "core.py",
        "        self.names = list(names)",
        "        self.names = names\n        names.sort()",
    ),
    "aliased internal state": (
        "core.py",
        "        return [n for n in self.names if n.startswith(prefix)]",
        "        if not prefix:\n            return self.names\n"
        "        return [n for n in self.names if n.startswith(prefix)]",
    ),
    "hash order output": (
        "core.py",
        "    return seen\n",
        "    return list(set(seen))\n",
    ),
    "changed exception": (
        "units.py",
        'raise ValueError("amount must be finite")',
        'raise ArithmeticError("amount must be finite")',
    ),
    "removed feature": ("units.py", "def average(", "def _average("),
    "changed float summation order": (
        "units.py",
        "return sum(values) / len(values)",
        "return sum(reversed(values)) / len(values)",
    ),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_recorded_guards_kill_regressions(recorded_project: Path, name: str) -> None:
    module, old, new = REGRESSIONS[name]
    path = recorded_project / "src" / "inventory" / module
    source = path.read_text()
    assert old in source
    path.write_text(source.replace(old, new))
    proc = _run_guards(recorded_project)
    assert proc.returncode == 1, proc.stdout[-3000:]


_DEDUPE_TAGS = (
    "    seen = []\n"
    '    for tag in text.split(","):\n'
    "        tag = tag.strip().lower()\n"
    "        if tag and tag not in seen:\n"
    "            seen.append(tag)\n"
    "    return seen\n"
)

#: Behaviour-preserving optimizations (module, old, new, appended to the module): a
#: guard failing on one is a false alarm.
HONEST = {
    "tags deduplicated by dict.fromkeys": (
        "core.py",
        _DEDUPE_TAGS,
        '    tags = (t.strip().lower() for t in text.split(","))\n'
        "    return list(dict.fromkeys(t for t in tags if t))\n",
        "",
    ),
    "tags deduplicated by a dict comprehension": (
        "core.py",
        _DEDUPE_TAGS,
        '    tags = [t.strip().lower() for t in text.split(",")]\n'
        "    return list({t: None for t in tags if t})\n",
        "",
    ),
    "a precompiled regex": (
        "core.py",
        'sku.replace("_", "-").split("-")',
        "_SEPARATORS.split(sku)",
        '\nimport re\n\n_SEPARATORS = re.compile(r"[-_]")\n',
    ),
    "a correct fast path": (
        "core.py",
        '    if sku is None:\n        return ""\n',
        '    if sku is None:\n        return ""\n'
        "    if sku.isalnum() and sku.isupper():\n        return sku\n",
        "",
    ),
    "a hoisted constant": (
        "units.py",
        'amount in (float("inf"), float("-inf"))',
        "amount in _INFINITIES",
        '\n_INFINITIES = (float("inf"), float("-inf"))\n',
    ),
}


@pytest.mark.parametrize("name", sorted(HONEST))
def test_recorded_guards_accept_an_honest_optimization(recorded_project: Path, name: str) -> None:
    module, old, new, appended = HONEST[name]
    path = recorded_project / "src" / "inventory" / module
    source = path.read_text()
    assert old in source
    path.write_text(source.replace(old, new) + appended)
    proc = _run_guards(recorded_project, f"test_guard_inventory_{Path(module).stem}.py")
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_hook_answers_only_its_goal_families(tmp_path: Path) -> None:
    request = GenerateRequest(root=tmp_path, modules=(), kind="quality")
    assert pytest_autoimprove_generate(request) is None


def test_a_missing_module_is_a_usage_error(tmp_path: Path) -> None:
    request = GenerateRequest(root=tmp_path, modules=(Path("nope.py"),), kind="speed")
    with pytest.raises(UsageError, match="nope.py"):
        generate(request)
