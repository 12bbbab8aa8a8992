"""Guard strength: how many agent-like regressions the generated guardrails catch.

For each project of ``benchmarks/corpus/`` (a copy in a temporary folder): generate
guardrails on the untouched baseline, then apply each mutation of
``corpus/mutations.py`` to a fresh copy of the source and run the guardrails.

* kill rate: regressions for which a guard that passed on the baseline now fails;
* false-alarm rate: behaviour-preserving optimizations for which one fails;
* latent crashes: baseline functions that crash on an ordinary edge input, reported
  (ours: a finding; the ghostwriter: one of its tests named after the function fails
  on the baseline there; Pynguin names its tests ``test_0``... and marks crashes as
  expected, so the column is n/a for it);
* generation time and the generated suite's run time on the baseline.

The same figures are measured in the same run, on the same modules and scored by the
same code, for two other generators:

* ``hypothesis write`` (the ghostwriter CLI), which needs black and click
  (``pip install -e '.[bench]'``); the script says so when they are missing;
* Pynguin 0.48.0, which pins pytest<9 and so lives in its own virtual environment:
  ``--pynguin-venv PATH`` or ``AUTOIMPROVE_BENCH_PYNGUIN`` name it (a venv folder or
  its python), else ``benchmarks/.venv-pynguin`` is used when it exists;
  ``--setup-pynguin`` creates that one (``python -m venv`` + ``pip install
  pynguin==0.48.0``, from PyPI). Pynguin runs on each baseline module with a fixed
  seed and ``--pynguin-budget`` seconds of search plus as many for its assertion
  mutants; its tests then run with this interpreter's pytest, like the others.

Run: ``python benchmarks/guard_strength.py [--setup-pynguin]`` (several minutes).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
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
from pytest_autoimprove.generators.performance import generate  # noqa: E402
from pytest_autoimprove.process import run_command  # noqa: E402

PROJECTS = {
    "textkit": ("src", ["src/textkit/text.py"]),
    "numkit": ("src", ["src/numkit/stats.py"]),
    "storekit": (".", ["storekit/records.py"]),
}
OURS_DIR = "tests/autoimprove_guard"
GW_DIR = "gw_tests"
PYN_DIR = "pyn_tests"

PYNGUIN_VERSION = "0.48.0"
PYNGUIN_ENV = "AUTOIMPROVE_BENCH_PYNGUIN"
PYNGUIN_VENV = HERE / ".venv-pynguin"
PYNGUIN_SEED = 20240501
PYNGUIN_UNAVAILABLE = "run with --setup-pynguin"


@dataclass
class Tool:
    name: str
    folder: str
    gen_time: float = 0.0
    run_time: float = 0.0
    kills: int = 0
    regressions: int = 0
    false_alarms: int = 0
    honest: int = 0
    latent_found: int = 0
    latent_comparable: bool = True
    available: bool = True
    why_not: str = ""
    baseline_failures: int = 0
    rows: dict[str, bool] = field(default_factory=dict)

    def disable(self, why: str) -> None:
        self.available = False
        self.why_not = self.why_not or why


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


def _dotted(rel: str, import_root: str) -> str:
    return ".".join(Path(rel).relative_to(import_root).with_suffix("").parts)


def ghostwriter_missing() -> str:
    """Why ``hypothesis write`` cannot run with this interpreter ("" when it can)."""
    missing = [name for name in ("click", "black") if importlib.util.find_spec(name) is None]
    if missing:
        return f"needs {' and '.join(missing)}: pip install -e '.[bench]'"
    if _hypothesis_cli() is None:
        return "the hypothesis console script is not installed"
    return ""


def _hypothesis_cli() -> str | None:
    beside = Path(sys.executable).with_name("hypothesis")
    return str(beside) if beside.exists() else shutil.which("hypothesis")


def ghostwrite(root: Path, import_root: str, modules: list[str]) -> tuple[str, float]:
    """Write ``hypothesis write`` tests for each module into ``GW_DIR``; "" or why not."""
    out_dir = root / GW_DIR
    out_dir.mkdir()
    # With rich installed (hypothesis[cli]) the CLI prints through a rich Console,
    # which crops lines to COLUMNS (80 when not a terminal): widen it.
    env = dict(os.environ, PYTHONPATH=str(root / import_root), COLUMNS="1000")
    start = time.perf_counter()
    for rel in modules:
        dotted = _dotted(rel, import_root)
        proc = subprocess.run(
            [_hypothesis_cli() or "hypothesis", "write", dotted],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return f"hypothesis write {dotted} failed: {last}", time.perf_counter() - start
        (out_dir / f"test_gw_{dotted.replace('.', '_')}.py").write_text(proc.stdout)
    return "", time.perf_counter() - start


def pynguin_python(option: str | None) -> Path | None:
    """The Pynguin environment's interpreter: the option, the variable, or the default venv."""
    named = option or os.environ.get(PYNGUIN_ENV)
    if named:
        path = Path(named).expanduser().absolute()
        if path.is_dir():
            return path / "bin" / "python"
        return path.with_name("python") if path.name == "pynguin" else path
    default = PYNGUIN_VENV / "bin" / "python"
    return default if default.exists() else None


def setup_pynguin() -> str:
    """Create ``benchmarks/.venv-pynguin`` with Pynguin installed; "" or why it failed."""
    python = PYNGUIN_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PYNGUIN_VENV} ...", flush=True)
        made = run_command([sys.executable, "-m", "venv", str(PYNGUIN_VENV)], cwd=HERE, timeout=300)
        if not made.ok:
            return f"python -m venv failed: {made.tail(1)}"
    print(f"installing pynguin=={PYNGUIN_VERSION} into {PYNGUIN_VENV} ...", flush=True)
    pip = [str(python), "-m", "pip", "install", "-q", f"pynguin=={PYNGUIN_VERSION}"]
    installed = run_command(pip, cwd=HERE, timeout=1200)
    return "" if installed.ok else f"pip install failed: {installed.tail(1)}"


def pynguin_version(python: Path) -> tuple[str, str]:
    """(version, "") when ``python -m pynguin`` runs, else ("", why not)."""
    if not python.exists():
        return "", f"no interpreter at {python}; {PYNGUIN_UNAVAILABLE}"
    probe = run_command(
        [str(python), "-m", "pynguin", "--version"],
        cwd=HERE,
        timeout=120,
        env={"PYNGUIN_DANGER_AWARE": "1"},
    )
    if not probe.ok:
        return "", f"{python} -m pynguin failed: {probe.tail(1)}"
    return probe.output.split()[-1], ""


def pynguin_write(
    python: Path, root: Path, import_root: str, modules: list[str], budget: int, work: Path
) -> tuple[str, float]:
    """Run Pynguin on each baseline module, tests into ``PYN_DIR``; "" or why not."""
    elapsed = 0.0
    for rel in modules:
        dotted = _dotted(rel, import_root)
        scratch = work / dotted
        scratch.mkdir(parents=True)
        command = [
            str(python),
            "-m",
            "pynguin",
            "--project-path",
            str(root / import_root),
            "--module-name",
            dotted,
            "--output-path",
            str(root / PYN_DIR),
            "--maximum-search-time",
            str(budget),
            "--maximum-mutation-time",
            str(budget),
            "--seed",
            str(PYNGUIN_SEED),
            "--report-dir",
            str(scratch / "report"),
            "--no-rich",
        ]
        # Its own process group (run_command), cwd outside the project: Pynguin
        # executes the module under test and writes reports where it stands.
        result = run_command(
            command,
            cwd=scratch,
            timeout=3 * budget + 120,
            env={"PYNGUIN_DANGER_AWARE": "1"},
            log_path=scratch / "pynguin.log",
        )
        elapsed += result.duration
        if not result.ok:
            why = "timed out" if result.timed_out else f"exit {result.returncode}"
            return f"pynguin on {dotted}: {why} (log: {scratch / 'pynguin.log'})", elapsed
        # Pynguin stops before its budget once it reaches full branch coverage.
        print(
            f"  Pynguin on {dotted}: {result.duration:.1f} s, "
            f"branch coverage {_pynguin_coverage(scratch / 'report')}",
            flush=True,
        )
    if not list((root / PYN_DIR).glob("test_*.py")):
        return "Pynguin wrote no test file", elapsed
    return "", elapsed


def _pynguin_coverage(report: Path) -> str:
    """The coverage Pynguin wrote to its statistics.csv, as a percentage ("?" if none)."""
    try:
        rows = list(csv.DictReader((report / "statistics.csv").read_text().splitlines()))
        return f"{100 * float(rows[-1]['Coverage']):.0f}%"
    except (OSError, IndexError, KeyError, ValueError):
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--pynguin-venv",
        default=None,
        help=f"a venv (or its python) with pynguin=={PYNGUIN_VERSION}; "
        f"default: ${PYNGUIN_ENV}, else {PYNGUIN_VENV.relative_to(HERE.parent)} if it exists",
    )
    parser.add_argument(
        "--setup-pynguin",
        action="store_true",
        help=f"create {PYNGUIN_VENV.relative_to(HERE.parent)} and pip install Pynguin into it",
    )
    parser.add_argument(
        "--pynguin-budget",
        type=int,
        default=30,
        help="Pynguin's search seconds per module, and as many for its assertion mutants "
        "(default 30; ours has a 60 s budget per project)",
    )
    args = parser.parse_args(argv)

    ours = Tool("pytest-autoimprove", OURS_DIR)
    gw = Tool("hypothesis write", GW_DIR)
    pyn = Tool("Pynguin", PYN_DIR, latent_comparable=False)
    if why := ghostwriter_missing():
        gw.disable(why)
    if args.setup_pynguin and (why := setup_pynguin()):
        pyn.disable(why)
    python = pynguin_python(args.pynguin_venv)
    if python is None:
        pyn.disable(PYNGUIN_UNAVAILABLE)
    elif pyn.available:
        version, why = pynguin_version(python)
        if why:
            pyn.disable(why)
        else:
            pyn.name = f"Pynguin {version}"
            print(
                f"{pyn.name} ({python}): seed {PYNGUIN_SEED}, budget per module "
                f"{args.pynguin_budget} s search + {args.pynguin_budget} s assertion mutants",
                flush=True,
            )
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
            if gw.available:
                why, elapsed = ghostwrite(root, import_root, modules)
                gw.gen_time += elapsed
                if why:
                    gw.disable(why)
            if pyn.available and python is not None:
                work = Path(tmp) / "pynguin-work" / project
                why, elapsed = pynguin_write(
                    python, root, import_root, modules, args.pynguin_budget, work
                )
                pyn.gen_time += elapsed
                if why:
                    pyn.disable(why)
            suites: list[tuple[Tool, set[str]]] = []
            for tool in (ours, gw, pyn):
                if not tool.available:
                    continue
                base, elapsed = run_suite(root, tool.folder, import_root)
                tool.run_time += elapsed
                tool.baseline_failures += len(base)
                suites.append((tool, base))
                for _, _module, func in (x for x in LATENT if x[0] == project):
                    if tool is not ours and any(func in name for name in base):
                        tool.latent_found += 1
            for mutation in (m for m in MUTATIONS if m.project == project):
                _apply(root, mutation, suites)
    _report([ours, gw, pyn], latent_total)
    return 0


def _apply(root: Path, m: Mutation, suites: list[tuple[Tool, set[str]]]) -> None:
    """Apply one mutation and score every tool's suite against its own baseline failures."""
    path = root / m.path
    original = path.read_text()
    path.write_text(original.replace(m.old, m.new, 1))
    try:
        for tool, base in suites:
            failed, _ = run_suite(root, tool.folder, PROJECTS[m.project][0])
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


def _mark(tool: Tool, name: str) -> str:
    return "x" if tool.rows.get(name) else ("." if name in tool.rows else "-")


def _report(tools: list[Tool], latent_total: int) -> None:
    ours, others = tools[0], tools[1:]
    print("\nPer mutation (x = a guard that passed on the baseline now fails; - = not run):\n")
    width = max(len(m.name) for m in MUTATIONS) + 2
    print(f"{'mutation':<{width}} {'risk':<24} {'ours':>5} {'ghostwriter':>12} {'pynguin':>8}")
    for m in MUTATIONS:
        marks = f"{_mark(ours, m.name):>5} {_mark(others[0], m.name):>12}"
        marks += f" {_mark(others[1], m.name):>8}"
        print(f"{m.name:<{width}} {m.risk or '(honest)':<24} {marks}")
    print("\nSummary (same corpus, same run):\n")
    header = f"{'tool':<20} {'kill rate':>14} {'false alarms':>14} {'latent found':>13}"
    header += f" {'gen time':>9} {'suite time':>11} {'baseline fails':>15}"
    print(header)
    for tool in tools:
        if not tool.available:
            print(f"{tool.name:<20} unavailable ({tool.why_not})")
            continue
        latent = _pct(tool.latent_found, latent_total) if tool.latent_comparable else "n/a"
        print(
            f"{tool.name:<20} {_pct(tool.kills, tool.regressions):>14} "
            f"{_pct(tool.false_alarms, tool.honest):>14} "
            f"{latent:>13} "
            f"{tool.gen_time:>8.1f}s {tool.run_time:>10.1f}s {tool.baseline_failures:>15}"
        )
    if ours.regressions:
        print()
        for tool in others:
            if not tool.available:
                continue
            if tool.kills:
                print(f"kill-rate ratio ours / {tool.name}: {ours.kills / tool.kills:.2f}x")
            else:
                print(f"kill-rate ratio ours / {tool.name}: {ours.kills} kills against 0")


if __name__ == "__main__":
    sys.exit(main())
