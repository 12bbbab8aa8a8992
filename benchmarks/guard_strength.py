"""Guard strength: how many agent-like regressions the generated guardrails catch.

For each project of ``benchmarks/corpus/`` (a copy in a temporary folder): generate
guardrails on the untouched baseline, then apply each mutation of
``corpus/mutations.py`` to a fresh copy of the source and run the guardrails.

* kill rate: regressions for which a guard that passed on the baseline now fails;
* false-alarm rate: behaviour-preserving optimizations for which one fails;
* latent crashes: baseline functions that crash on an ordinary edge input, reported
  (ours: a finding; the ghostwriter: one of its tests fails on the baseline there);
* generation time and the generated suite's run time on the baseline.

The same figures are measured in the same run for ``hypothesis write`` (the
ghostwriter CLI) on the same modules. Pynguin is not installed here and is reported
as not measured. Run: ``python benchmarks/guard_strength.py`` (a few minutes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "corpus"))

from mutations import LATENT, MUTATIONS, Mutation  # noqa: E402

from pytest_autoimprove.generators import GenerateRequest  # noqa: E402
from pytest_autoimprove.generators.speed import generate  # noqa: E402

PROJECTS = {
    "textkit": ("src", ["src/textkit/text.py"]),
    "numkit": ("src", ["src/numkit/stats.py"]),
    "storekit": (".", ["storekit/records.py"]),
}
OURS_DIR = "tests/autoimprove_guard"
GW_DIR = "gw_tests"


@dataclass
class Tool:
    name: str
    gen_time: float = 0.0
    run_time: float = 0.0
    kills: int = 0
    regressions: int = 0
    false_alarms: int = 0
    honest: int = 0
    latent_found: int = 0
    available: bool = True
    baseline_failures: int = 0
    rows: dict[str, bool] = field(default_factory=dict)


def run_suite(root: Path, folder: str, import_root: str) -> tuple[set[str], float]:
    """Failing test ids of the suite in ``folder`` (``{"<broken>"}`` if it cannot run)."""
    xml = root / f".{folder.replace('/', '_')}.xml"
    env = dict(os.environ, PYTHONPATH=str(root / import_root), PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTEST_ADDOPTS", None)
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            f"--junitxml={xml}",
            folder,
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1) or not xml.exists():
        return {"<broken>"}, elapsed
    failed = set()
    for case in ET.parse(xml).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.add(f"{case.get('classname')}::{case.get('name')}")
    xml.unlink()
    return failed, elapsed


def ghostwrite(root: Path, import_root: str, modules: list[str]) -> tuple[bool, float]:
    """Write ``hypothesis write`` tests for each module into ``GW_DIR``."""
    out_dir = root / GW_DIR
    out_dir.mkdir()
    env = dict(os.environ, PYTHONPATH=str(root / import_root))
    start = time.perf_counter()
    for rel in modules:
        dotted = ".".join(Path(rel).relative_to(import_root).with_suffix("").parts)
        proc = subprocess.run(
            ["hypothesis", "write", dotted],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if proc.returncode != 0:
            return False, time.perf_counter() - start
        (out_dir / f"test_gw_{dotted.replace('.', '_')}.py").write_text(proc.stdout)
    return True, time.perf_counter() - start


def main() -> int:
    ours, gw = Tool("pytest-autoimprove"), Tool("hypothesis write")
    gw.available = shutil.which("hypothesis") is not None
    latent_total = len(LATENT)
    with tempfile.TemporaryDirectory(prefix="guard-strength-") as tmp:
        for project, (import_root, modules) in PROJECTS.items():
            root = Path(tmp) / project
            shutil.copytree(HERE / "corpus" / project, root)
            start = time.perf_counter()
            result = generate(
                GenerateRequest(
                    root=root,
                    modules=tuple(Path(m) for m in modules),
                    kind="speed",
                    time_budget=60,
                )
            )
            ours.gen_time += time.perf_counter() - start
            for f in result.files:
                dest = root / f.path
                dest.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(f.content, bytes):
                    dest.write_bytes(f.content)
                else:
                    dest.write_text(f.content)
            for _, _module, func in (x for x in LATENT if x[0] == project):
                if any(f.target == func for f in result.findings):
                    ours.latent_found += 1
            base_ours, elapsed = run_suite(root, OURS_DIR, import_root)
            ours.run_time += elapsed
            ours.baseline_failures += len(base_ours)
            base_gw: set[str] = set()
            if gw.available:
                ok, elapsed = ghostwrite(root, import_root, modules)
                gw.gen_time += elapsed
                gw.available = ok
            if gw.available:
                base_gw, elapsed = run_suite(root, GW_DIR, import_root)
                gw.run_time += elapsed
                gw.baseline_failures += len(base_gw)
                for _, _module, func in (x for x in LATENT if x[0] == project):
                    if any(func in name for name in base_gw):
                        gw.latent_found += 1
            for mutation in (m for m in MUTATIONS if m.project == project):
                _apply(root, mutation, base_ours, base_gw, ours, gw if gw.available else None)
    _report(ours, gw, latent_total)
    return 0


def _apply(
    root: Path, m: Mutation, base_ours: set[str], base_gw: set[str], ours: Tool, gw: Tool | None
) -> None:
    path = root / m.path
    original = path.read_text()
    path.write_text(original.replace(m.old, m.new, 1))
    try:
        for tool, folder, base in ((ours, OURS_DIR, base_ours), (gw, GW_DIR, base_gw)):
            if tool is None:
                continue
            failed, _ = run_suite(root, folder, PROJECTS[m.project][0])
            caught = bool(failed - base) or ("<broken>" in failed and "<broken>" not in base)
            tool.rows[m.name] = caught
            if m.honest:
                tool.honest += 1
                tool.false_alarms += caught
            else:
                tool.regressions += 1
                tool.kills += caught
    finally:
        path.write_text(original)


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "n/a"


def _report(ours: Tool, gw: Tool, latent_total: int) -> None:
    print("\nPer mutation (x = a guard that passed on the baseline now fails):\n")
    width = max(len(m.name) for m in MUTATIONS) + 2
    print(f"{'mutation':<{width}} {'risk':<24} {'ours':>5} {'ghostwriter':>12}")
    for m in MUTATIONS:
        g = "x" if gw.rows.get(m.name) else ("." if m.name in gw.rows else "-")
        o = "x" if ours.rows.get(m.name) else "."
        print(f"{m.name:<{width}} {m.risk or '(honest)':<24} {o:>5} {g:>12}")
    print("\nSummary (same corpus, same run):\n")
    header = f"{'tool':<20} {'kill rate':>14} {'false alarms':>14} {'latent found':>13}"
    header += f" {'gen time':>9} {'suite time':>11} {'baseline fails':>15}"
    print(header)
    for tool in (ours, gw):
        if not tool.available:
            print(f"{tool.name:<20} unavailable (the CLI is not installed or failed)")
            continue
        print(
            f"{tool.name:<20} {_pct(tool.kills, tool.regressions):>14} "
            f"{_pct(tool.false_alarms, tool.honest):>14} "
            f"{_pct(tool.latent_found, latent_total):>13} "
            f"{tool.gen_time:>8.1f}s {tool.run_time:>10.1f}s {tool.baseline_failures:>15}"
        )
    print(f"{'Pynguin':<20} not measured (not installed on this machine)")
    if gw.available and ours.regressions and gw.kills:
        print(f"\nkill-rate ratio ours / ghostwriter: {ours.kills / max(gw.kills, 1):.2f}x")


if __name__ == "__main__":
    sys.exit(main())
