"""End to end: guardrails for a package with an EMPTY tests/ folder still kill regressions.

The fixture package (``fixture_fmtkit``) says how its functions are called only in
its own source: an annotation alias defined under ``TYPE_CHECKING``, a regex defining
a date format, a README example, a factory returning the connection another function
takes, a class constant as a default, an encoder whose output its decoder reads,
formats compiled in a loop.
Each regression below changes behaviour only on inputs from one of those sources,
and the failing case's id shows which one caught it; each honest optimization (a
correct fast path, a rewrite that keeps behaviour) passes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove.generators import SLOWNESS_ENV, GenerateRequest, GenerationResult
from pytest_autoimprove.generators.performance import generate

FIXTURE = Path(__file__).parent / "fixture_fmtkit"
GUARD = Path("tests/autoimprove_guard")
MODULES = tuple(
    Path(f"src/fmtkit/{m}.py")
    for m in ("numbers", "dates", "ranges", "store", "codes", "durations", "records")
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationResult]:
    root = tmp_path_factory.mktemp("fmtkit")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    (root / "tests").mkdir()  # empty: nothing to record real inputs from
    request = GenerateRequest(root=root, modules=MODULES, kind="speed", time_budget=60)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SLOWNESS_ENV, "20")
        result = generate(request)
    for file in result.files:
        file.write(root)
    return root, result


def _guard(root: Path, module: str) -> str:
    return (root / GUARD / f"test_guard_fmtkit_{module}.py").read_text(encoding="utf-8")


@pytest.mark.slow(seconds=50)
def test_each_case_says_where_its_input_came_from(project: tuple[Path, GenerationResult]) -> None:
    root, result = project
    assert result.findings == ()  # nothing here is a bug: no false alarm
    numbers, dates = _guard(root, "numbers"), _guard(root, "dates")
    ranges, store = _guard(root, "ranges"), _guard(root, "store")
    assert "# as Decimal, one of the annotated types; guards changed-behaviour" in numbers
    assert "Build('Decimal', '0.1')" in numbers
    assert "# doctest at src/fmtkit/numbers.py:3; guards changed-behaviour" in numbers
    assert "# valid ISO_DATE string (st.from_regex); guards changed-behaviour" in dates
    assert "# ISO_DATE string with a trailing newline; guards format-fast-path" in dates
    assert "st.from_regex(baseline.ISO_DATE, fullmatch=True)" in dates
    assert "# doctest at README.md:5; guards changed-behaviour" in ranges
    assert "Case('doctest-0', args=('1-3,5',), returns=[1, 2, 3, 5]" in ranges
    assert "# db built by connect(), a factory in scope; guards changed-behaviour" in store
    assert "Case('sample-0', args=(Build('connect'),), returns=10)" in store
    assert "pairwise edge values of value, ndigits" in numbers
    assert "pickle" not in store  # the connection is built in the test, never pickled
    codes = _guard(root, "codes")  # *numbers gets numbers; digits the class's default
    assert "# no arguments at all; guards empty-input" in codes
    assert "# Codec.DIGITS reversed; guards changed-behaviour" in codes
    durations = _guard(root, "durations")  # the members of a list of compiled patterns
    assert "st.from_regex(baseline.PATTERNS[" in durations
    # Codes encode() wrote are decoded on the instance that wrote them.
    assert "# text Codec.encode() returned; guards changed-behaviour" in codes
    # README blocks run whole: the second one reuses the first one's dataclass, and
    # ``Optional``, which the README never imports, is imported for it.
    records = _guard(root, "records")
    assert "# README.md:12: the project's example; guards changed-behaviour" in records
    assert "# README.md:36: the project's example; guards changed-behaviour" in records
    assert "r'''\nfrom typing import Optional\nfrom fmtkit.ranges import expand\n" in records


def _run(root: Path, module: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
        + [str(GUARD / f"test_guard_fmtkit_{module}.py")],
        cwd=root,
        env=dict(os.environ, PYTHONHASHSEED="0"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _apply(
    project: tuple[Path, GenerationResult], tmp_path: Path, module: str, old: str, new: str
) -> Path:
    root = tmp_path / "copy"
    shutil.copytree(project[0], root)
    path = root / "src" / "fmtkit" / f"{module}.py"
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new), encoding="utf-8")
    return root


#: name -> (module, old, new, a case id that must be among the failures)
REGRESSIONS = {
    "an int fast path that takes bool": (
        "numbers",
        "    if ndigits is not None:\n",
        "    if isinstance(value, int):\n"
        "        return f'{value:,}'\n"
        "    if ndigits is not None:\n",
        "bool-input-value",
    ),
    "float for Decimal": (
        "numbers",
        "        text = str(value)\n",
        "        text = str(float(value)) if isinstance(value, Decimal) else str(value)\n",
        "exact-decimals-value",
    ),
    "month and day swapped": (
        "dates",
        "int(match[2]), int(match[3])",
        "int(match[3]), int(match[2])",
        "regex-text",
    ),
    "match instead of fullmatch": (
        "dates",
        "ISO_DATE.fullmatch(text)",
        "ISO_DATE.match(text)",
        "format-fast-path-text",
    ),
    "a range off by one": ("ranges", "int(end) + 1", "int(end)", "doctest-0"),
    "a one-number fast path in decimal": (
        "codes",
        "        parts = []\n",
        "        if len(numbers) == 1 and type(numbers[0]) is int and numbers[0] >= 0:\n"
        "            return str(numbers[0])\n"
        "        parts = []\n",
        "test_codec_encode",
    ),
    "the separator only between the first two": (
        "codes",
        "        return self.sep.join(parts)",
        "        return self.sep.join(parts[:2]) + ''.join(parts[2:])",
        "test_codec_encode",
    ),
    "only the first part decoded": (
        "codes",
        "        for part in code.split(self.sep):",
        "        for part in code.split(self.sep)[:1]:",
        "echo-code",
    ),
    "units no longer case-insensitive": (
        "durations",
        "re.IGNORECASE) for f in FORMATS]",
        "0) for f in FORMATS]",
        "test_seconds",
    ),
    "no space allowed before the number": (
        "durations",
        'PATTERNS = [re.compile(r"\\s*" + f',
        "PATTERNS = [re.compile(f",
        "test_seconds",
    ),
    "nested records no longer built from mappings": (
        "records",
        "        if dataclasses.is_dataclass(kind) and isinstance(value, Mapping):\n"
        "            value = from_mapping(kind, value)\n",
        "",
        "README.md-12",
    ),
    "a missing field no longer reported as such": (
        "records",
        "            if field.default is dataclasses.MISSING:\n"
        "                raise MissingField(field.name)\n",
        "",
        "README.md-36",
    ),
    "count instead of sum": (
        "store",
        '"select sum(qty) from items"',
        '"select count(qty) from items"',
        "test_total_qty_recorded[sample-0]",
    ),
}

HONEST = {
    "a correct one-digit fast path": (
        "codes",
        "        base = len(self.digits)\n",
        "        base = len(self.digits)\n"
        "        if number < base:\n"
        "            return self.digits[number]\n",
    ),
    "a correct int fast path": (
        "numbers",
        "    if ndigits is not None:\n",
        "    if type(value) is int and ndigits is None:\n"
        "        return f'{value:,}'\n"
        "    if ndigits is not None:\n",
    ),
    "groups of the match at once": (
        "dates",
        "return int(match[1]), int(match[2]), int(match[3])",
        "return tuple(map(int, match.groups()))",
    ),
    "a list built by a comprehension": (
        "ranges",
        "            pages.extend(range(int(start), int(end) + 1))",
        "            pages += [n for n in range(int(start), int(end) + 1)]",
    ),
    "type hints read only for nested fields": (
        "records",
        "        kind = hints[field.name]\n"
        "        if dataclasses.is_dataclass(kind) and isinstance(value, Mapping):\n",
        "        if isinstance(value, Mapping) and dataclasses.is_dataclass(\n"
        "            kind := hints[field.name]\n"
        "        ):\n",
    ),
    "None tested explicitly": (
        "store",
        "    return row[0] or 0",
        "    return 0 if row[0] is None else row[0]",
    ),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_a_regression_seen_only_with_those_inputs_is_killed(
    project: tuple[Path, GenerationResult], tmp_path: Path, name: str
) -> None:
    module, old, new, caught_by = REGRESSIONS[name]
    proc = _run(_apply(project, tmp_path, module, old, new), module)
    assert proc.returncode == 1, proc.stdout[-3000:]
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAILED")]
    assert any(caught_by in line for line in failed), failed


@pytest.mark.parametrize("name", sorted(HONEST))
def test_an_honest_optimization_passes(
    project: tuple[Path, GenerationResult], tmp_path: Path, name: str
) -> None:
    module, old, new = HONEST[name]
    proc = _run(_apply(project, tmp_path, module, old, new), module)
    assert proc.returncode == 0, proc.stdout[-3000:]
