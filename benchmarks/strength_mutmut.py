"""An independent mutation score of the frozen guardrails: mutmut 3, serially.

The generator may measure its own tests against mutants of its own making; this is
the yardstick it cannot tune to. mutmut writes its mutants of the module in scope,
runs only the guard folder against each, one at a time (``--max-children 1``:
parallel mutation runs are known to give unstable counts), and the score counts the
mutants of the target functions' bodies that a guard test kills. mutmut marks a
mutant ``no tests`` when no guard test calls its function: a target all of whose
mutants say so was never reached by the guardrails.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import shutil
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pytest_autoimprove.process import run_command

#: Statuses that count as a kill (a mutant that hangs is caught by the time limit).
KILLED = {"killed", "timeout", "segfault"}
#: Statuses that mean the mutant was not run at all (cut by the time budget).
UNCHECKED = {"not checked", "skipped", "check was interrupted by user"}


@dataclass
class TargetScore:
    killed: int = 0
    total: int = 0
    no_tests: int = 0


@dataclass
class MutmutScore:
    """Killed / total over the target functions, per target, and why if not measured."""

    killed: int = 0
    total: int = 0
    unchecked: int = 0
    seconds: float = 0.0
    why_not: str = ""
    targets: dict[str, TargetScore] = field(default_factory=dict)
    deselected: list[str] = field(default_factory=list)

    def add(self, other: MutmutScore) -> None:
        self.deselected.extend(other.deselected)
        self.killed += other.killed
        self.total += other.total
        self.unchecked += other.unchecked
        self.seconds += other.seconds
        self.why_not = self.why_not or other.why_not
        for name, target in other.targets.items():
            mine = self.targets.setdefault(name, TargetScore())
            mine.killed += target.killed
            mine.total += target.total
            mine.no_tests += target.no_tests

    @property
    def unreached(self) -> list[str]:
        """Targets with mutants of which none was run by any guard test."""
        return [t for t, s in self.targets.items() if s.total and s.no_tests == s.total]


_NO_TEST_REACHES = "could not find any test case for any mutant"


def _clean_run_failed(log: str) -> bool:
    return "failed to collect stats" in log or "Failed to run clean test" in log


def mutmut_missing() -> str:
    """Why mutmut cannot run with this interpreter ("" when it can)."""
    if importlib.util.find_spec("mutmut") is None:
        return "needs mutmut: pip install -e '.[bench]'"
    return ""


def patterns_for(targets: Sequence[str]) -> dict[str, str]:
    """mutmut 3 mutant-name globs per qualified name (``f``, ``Class.method``)."""
    out = {}
    for target in targets:
        owner, _, name = target.rpartition(".")
        if owner:
            out[target] = f"*.x\u01c1{owner.rpartition('.')[2]}\u01c1{name}__mutmut_*"
        else:
            out[target] = f"*.x_{name}__mutmut_*"
    return out


def _toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def configure(
    root: Path, module: str, import_root: str, guard_dir: str, deselect: Sequence[str] = ()
) -> None:
    """Write the ``[tool.mutmut]`` table after the project's own pyproject.toml."""
    source_path = import_root if import_root != "." else Path(module).parts[0]
    extra = [arg for node in deselect for arg in ("--deselect", node)]
    table = (
        "\n[tool.mutmut]\n"
        f"source_paths = {_toml_list([source_path])}\n"
        f"only_mutate = {_toml_list([module])}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list([guard_dir])}\n"
        "pytest_add_cli_args = "
        f"{_toml_list(['-q', '-p', 'no:cacheprovider', '-p', 'no:randomly', *extra])}\n"
        "use_git_change_detection = false\n"
    )
    pyproject = root / "pyproject.toml"
    own = root / ".pyproject.own"
    if not own.exists():
        own.write_text(
            pyproject.read_text(encoding="utf-8") if pyproject.exists() else "", encoding="utf-8"
        )
    pyproject.write_text(own.read_text(encoding="utf-8") + table, encoding="utf-8")


def failing_under_trampolines(root: Path, guard_dir: str) -> list[str]:
    """Guard tests that fail on the unmutated code as mutmut rewrote it.

    mutmut routes every call through a trampoline, so a function the code under test
    builds and returns (a closure, a decorator) gets another qualified name, and a
    guard comparing it with the baseline's fails before any mutant is switched on.
    mutmut refuses to start while one fails; these are deselected, and counted.
    """
    mutants = root / "mutants"
    xml = root / ".mutmut-clean.xml"
    run_command(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "-p", "no:randomly", "-o", "junit_family=xunit1", f"--junitxml={xml}",
            "--rootdir=.", guard_dir,
        ],
        cwd=mutants,
        timeout=600,
        env={"MUTANT_UNDER_TEST": "", "PYTHONPATH": str(mutants)},
    )  # fmt: skip
    if not xml.exists():
        return []
    failing = []
    for case in ET.parse(xml).getroot().iter("testcase"):
        if case.find("failure") is None and case.find("error") is None:
            continue
        file, classname, name = (case.get(k) or "" for k in ("file", "classname", "name"))
        if not file:
            continue
        module_parts = Path(file).with_suffix("").parts
        inner = classname.split(".")[len(module_parts) :]
        failing.append("::".join([file, *inner, name]))
    return failing


def score(
    root: Path,
    module: str,
    import_root: str,
    targets: Sequence[str],
    guard_dir: str,
    timeout: float,
) -> MutmutScore:
    """Run mutmut over ``targets`` of ``module`` (every function when empty)."""
    out = MutmutScore()
    if why := mutmut_missing():
        out.why_not = why
        return out
    configure(root, module, import_root, guard_dir)
    patterns = patterns_for(targets)
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", "1", *patterns.values()]
    log = root / ".mutmut.log"
    started = time.monotonic()
    run = run_command(command, cwd=root, timeout=timeout, log_path=log)
    text = log.read_text(encoding="utf-8", errors="replace")
    if not run.ok and not run.timed_out and _clean_run_failed(text):
        out.deselected = failing_under_trampolines(root, guard_dir)
        shutil.rmtree(root / "mutants", ignore_errors=True)
        configure(root, module, import_root, guard_dir, out.deselected)
        left = max(30.0, timeout - (time.monotonic() - started))
        run = run_command(command, cwd=root, timeout=left, log_path=log)
        text = log.read_text(encoding="utf-8", errors="replace")
    out.seconds = time.monotonic() - started
    # mutmut stops before running any mutant when no guard test calls a mutated
    # function: every mutant of the targets is then one no guard reaches.
    unreached = _NO_TEST_REACHES in text
    if not run.ok and not run.timed_out and not unreached:
        if "nothing matches" in text:
            out.why_not = "mutmut wrote no mutant of the targets"
        elif _clean_run_failed(text):
            out.why_not = f"the guard suite fails under mutmut (log: {log})"
        else:
            out.why_not = f"mutmut exit {run.returncode} (log: {log})"
        return out
    listed = run_command(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=root, timeout=300
    )
    if not listed.ok:
        out.why_not = f"mutmut results failed: {listed.tail(1)}"
        return out
    statuses: dict[str, str] = {}
    for line in listed.output.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            statuses[name] = status.strip()
    wanted = patterns or {"(every function)": "*"}
    for target, pattern in wanted.items():
        ts = out.targets.setdefault(target, TargetScore())
        for name, status in statuses.items():
            if not fnmatch.fnmatchcase(name, pattern):
                continue
            if unreached and status == "not checked":
                status = "no tests"
            if status in UNCHECKED:
                out.unchecked += 1
                continue
            ts.total += 1
            ts.killed += status in KILLED
            ts.no_tests += status == "no tests"
        out.killed += ts.killed
        out.total += ts.total
    if run.timed_out:
        out.why_not = f"cut at {timeout:.0f} s ({out.unchecked} mutants not run)"
    return out
