"""The real-library corpora of benchmarks/guard_strength.py are well formed (offline).

Checks the shape of each entry (a pin, targets, 4-6 regressions, 2 honest rewrites, a
witness that compiles) and that a snippet that does not match stops the benchmark
with a one-line error. It reads no case into a test: the corpus is the yardstick the
generators are measured by and must stay out of their tests.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
USED_ELSEWHERE = {"more-itertools", "inflection", "toolz", "boltons", "humanize", "jmespath"}


def _load(name: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setattr(sys, "path", [str(path.parent), str(BENCHMARKS), *sys.path])
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


CORPORA = {
    "real": BENCHMARKS / "corpus_real" / "real_modules.py",
    "heldout": BENCHMARKS / "corpus_heldout" / "heldout_modules.py",
    "heldout2": BENCHMARKS / "corpus_heldout2" / "heldout2_modules.py",
    "heldout3": BENCHMARKS / "corpus_heldout3" / "heldout3_modules.py",
    "heldout4": BENCHMARKS / "corpus_heldout4" / "heldout4_modules.py",
    "heldout5": BENCHMARKS / "corpus_heldout5" / "heldout5_modules.py",
    "heldout6": BENCHMARKS / "corpus_heldout6" / "heldout6_modules.py",
    "heldout7": BENCHMARKS / "corpus_heldout7" / "heldout7_modules.py",
    "heldout8": BENCHMARKS / "corpus_heldout8" / "heldout8_modules.py",
    "heldout9": BENCHMARKS / "corpus_heldout9" / "heldout9_modules.py",
    "heldout10": BENCHMARKS / "corpus_heldout10" / "heldout10_modules.py",
    "heldout11": BENCHMARKS / "corpus_heldout11" / "heldout11_modules.py",
    "heldout12": BENCHMARKS / "corpus_heldout12" / "heldout12_modules.py",
    "heldout13": BENCHMARKS / "corpus_heldout13" / "heldout13_modules.py",
    "heldout14": BENCHMARKS / "corpus_heldout14" / "heldout14_modules.py",
}


@pytest.fixture(params=sorted(CORPORA))
def corpus(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    path = CORPORA[request.param]
    return _load(path.stem, path, monkeypatch)


def test_no_two_corpora_share_a_release_or_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = {name: _load(path.stem, path, monkeypatch) for name, path in CORPORA.items()}
    seen_dists: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for corpus_name, corpus in loaded.items():
        for m in corpus.MODULES:
            dist = m.pin.split("==")[0].lower()
            assert dist not in seen_dists, f"{dist}: in {seen_dists.get(dist)} and {corpus_name}"
            assert m.name not in seen_names, f"{m.name}: in {seen_names.get(m.name)} too"
            seen_dists[dist] = seen_names[m.name] = corpus_name


def test_at_least_eight_modules_of_releases_not_used_before(corpus: ModuleType) -> None:
    dists = [m.pin.split("==")[0].lower() for m in corpus.MODULES]
    assert len(corpus.MODULES) >= 8
    assert len(set(dists)) == len(dists)
    assert not USED_ELSEWHERE & set(dists)
    assert len({m.name for m in corpus.MODULES}) == len(corpus.MODULES)


def test_every_entry_has_a_pin_targets_and_its_changes(corpus: ModuleType) -> None:
    for module in corpus.MODULES:
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][0-9A-Za-z.+-]*", module.pin), module.pin
        assert module.module.endswith(".py")
        package = Path(module.package).name
        assert module.module == package or module.module.startswith(f"{package}/")
        assert module.targets, module.name
        assert 4 <= len(module.regressions) <= 6, module.name
        assert len(module.honest) == 2, module.name
        names = [c.name for c in module.changes]
        assert len(set(names)) == len(names), module.name
        for change in module.changes:
            assert change.edits, change.name
            for old, new in change.edits:
                assert old and old != new, change.name
            assert bool(change.risk) != change.honest, change.name
            compile(change.witness, f"{module.name}: {change.name}", "exec")
            assert "show(" in change.witness, change.name


def test_a_snippet_that_does_not_match_stops_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = _load("strength_real", BENCHMARKS / "strength_real.py", monkeypatch)
    change = real.Change("drop the check", "dropped-check", (("    if x:\n", ""),), "show(f)")
    assert real.apply_change("a\n    if x:\nb\n", change, "pkg==1 m.py") == "a\nb\n"
    for text, found in (("nothing here\n", "not found"), ("    if x:\n" * 2, "found 2 times")):
        with pytest.raises(real.CorpusError) as caught:
            real.apply_change(text, change, "pkg==1 m.py")
        message = str(caught.value)
        assert "\n" not in message
        assert found in message and "drop the check" in message and "pkg==1 m.py" in message


def test_a_work_folder_below_another_pytest_config_is_refused(tmp_path: Path) -> None:
    # Corpus projects without a pytest config of their own would inherit the outer one
    # (its filterwarnings, addopts...): the benchmark says so in one line, exit 2.
    outer = tmp_path / "outer"
    (outer / "work").mkdir(parents=True)
    (outer / "pyproject.toml").write_text("[tool.pytest.ini_options]\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / "guard_strength.py"), "--corpus", "heldout",
         "--only", "roman", "--work", str(outer / "work"), "--no-pynguin",
         "--no-ghostwriter", "--no-mutmut"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"guard_strength.py: --work {outer / 'work'} lies below {outer / 'pyproject.toml'}, "
        "whose pytest settings every corpus project without its own would inherit; "
        "pick a folder outside it"
    ]
    assert list((outer / "work").iterdir()) == []  # nothing written
