"""The other test generators ``guard_strength.py`` measures beside ours.

* ``hypothesis write`` (Hypothesis' ghostwriter CLI), which needs black and click
  (``pip install -e '.[bench]'``);
* Pynguin, which pins pytest<9 and so lives in its own virtual environment
  (``--setup-pynguin`` creates ``benchmarks/.venv-pynguin``).

Neither reads the project's own tests: their suites depend on the module alone.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pytest_autoimprove.process import run_command

HERE = Path(__file__).resolve().parent
GW_DIR = "gw_tests"
PYN_DIR = "pyn_tests"

PYNGUIN_VERSION = "0.48.0"
PYNGUIN_ENV = "AUTOIMPROVE_BENCH_PYNGUIN"
PYNGUIN_VENV = HERE / ".venv-pynguin"
PYNGUIN_SEED = 20240501
PYNGUIN_UNAVAILABLE = "run with --setup-pynguin"


def dotted(rel: str, import_root: str) -> str:
    """The import name of ``rel``; a package's ``__init__.py`` is the package itself
    (``pkg.__init__`` would import a second copy of it)."""
    parts = Path(rel).relative_to(import_root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


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
        name = dotted(rel, import_root)
        proc = subprocess.run(
            [_hypothesis_cli() or "hypothesis", "write", name],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            start_new_session=True,
        )
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return f"hypothesis write {name} failed: {last}", time.perf_counter() - start
        (out_dir / f"test_gw_{name.replace('.', '_')}.py").write_text(proc.stdout)
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


#: The Python versions Pynguin 0.48 installs on (its ``requires-python``).
PYNGUIN_PYTHONS = ((3, 10),)


def pynguin_base_python() -> tuple[str | None, str]:
    """An interpreter Pynguin supports to build its venv from: this one when it
    qualifies, else a ``python3.10`` on PATH or under pyenv; (None, why) if none."""
    if sys.version_info[:2] in PYNGUIN_PYTHONS:
        return sys.executable, ""
    wanted = [f"{major}.{minor}" for major, minor in PYNGUIN_PYTHONS]
    pyenv = Path(os.environ.get("PYENV_ROOT", "~/.pyenv")).expanduser() / "versions"
    candidates: list[str | None] = []
    for v in wanted:
        found = sorted(pyenv.glob(f"{v}.*"), reverse=True)
        candidates += [str(p / "bin" / "python") for p in found]
    candidates += [shutil.which(f"python{v}") for v in wanted]
    for found in candidates:
        # A pyenv shim exists on PATH even when its version is not active: ask it.
        if found and run_command([found, "--version"], cwd=HERE, timeout=60).ok:
            return found, ""
    running = ".".join(map(str, sys.version_info[:2]))
    return None, (
        f"Pynguin {PYNGUIN_VERSION} needs Python {' or '.join(wanted)} and this is {running}; "
        f"no python{wanted[0]} found on PATH or in {pyenv}: install one, or pass "
        "--pynguin-venv with a ready venv"
    )


def setup_pynguin() -> str:
    """Create ``benchmarks/.venv-pynguin`` with Pynguin installed; "" or why it failed."""
    python = PYNGUIN_VENV / "bin" / "python"
    if not python.exists():
        base, why = pynguin_base_python()
        if base is None:
            return why
        print(f"creating {PYNGUIN_VENV} with {base} ...", flush=True)
        made = run_command([base, "-m", "venv", str(PYNGUIN_VENV)], cwd=HERE, timeout=300)
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
        name = dotted(rel, import_root)
        scratch = work / name
        scratch.mkdir(parents=True)
        command = [
            str(python),
            "-m",
            "pynguin",
            "--project-path",
            str(root / import_root),
            "--module-name",
            name,
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
            return f"pynguin on {name}: {why} (log: {scratch / 'pynguin.log'})", elapsed
        # Pynguin stops before its budget once it reaches full branch coverage.
        print(
            f"  Pynguin on {name}: {result.duration:.1f} s, "
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
