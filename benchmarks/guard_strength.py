"""Guard strength: how many agent-like regressions the generated guardrails catch.

Two corpora, one method. For each project (a copy in a temporary folder): generate
guardrails on the untouched baseline, then apply each change of the corpus to the
source alone and run every tool's suite against it.

* ``--corpus written`` (default): ``benchmarks/corpus/``, three small projects written
  in this repository beside the generator, with ``corpus/mutations.py``. Its kill rate
  is an upper bound: the generator's authors saw these functions and regressions.
* ``--corpus real``: ``benchmarks/corpus_real/``, modules of pinned PyPI releases that
  the generator was not written against, downloaded at benchmark time (``--cache``),
  each with 4-6 agent-like regressions and 2 honest rewrites as exact replacements of
  the pinned source. This is the yardstick. ``--check`` runs each change's witness (the
  input that tells it from the baseline) instead of measuring.
* ``--corpus heldout``: ``benchmarks/corpus_heldout/``, eight more pinned releases in the
  same format, written without reading the generators and not to be tuned against:
  the check that gains on ``real`` carry over to code nobody looked at. It runs exactly
  like ``real`` (same code paths, same defaults, ``--check`` too).
* ``--corpus heldout2``: ``benchmarks/corpus_heldout2/``, eight more pinned releases
  written the same way by another session, for an honest kill rate once ``heldout``
  has been read.
* ``--corpus heldout3``: ``benchmarks/corpus_heldout3/``, eight more pinned releases
  written the same way by a third session, for an honest kill rate once ``heldout2``
  has been read too.
* ``--corpus heldout4``: ``benchmarks/corpus_heldout4/``, eight more pinned releases
  written the same way by a fourth session, for an honest kill rate once ``heldout3``
  has been read too.
* ``--corpus heldout5``: ``benchmarks/corpus_heldout5/``, eight more pinned releases
  written the same way by a fifth session, for an honest kill rate once ``heldout4``
  has been read too.
* ``--corpus heldout6``: ``benchmarks/corpus_heldout6/``, eight more pinned releases
  written the same way by a sixth session, for an honest kill rate once ``heldout5``
  has been read too.
* ``--corpus heldout7``: ``benchmarks/corpus_heldout7/``, eight more pinned releases
  written the same way by a seventh session, for an honest kill rate once ``heldout6``
  has been read too.
* ``--corpus heldout8``: ``benchmarks/corpus_heldout8/``, eight more pinned releases
  written the same way by an eighth session, for an honest kill rate once ``heldout7``
  has been read too.
* ``--corpus heldout9``: ``benchmarks/corpus_heldout9/``, eight more pinned releases
  written the same way by a ninth session, for an honest kill rate once ``heldout8``
  has been read too.
* ``--corpus heldout10``: ``benchmarks/corpus_heldout10/``, eight more pinned releases
  written the same way by a tenth session, for an honest kill rate once ``heldout9``
  has been read too.
* ``--corpus heldout11``: ``benchmarks/corpus_heldout11/``, eight more pinned releases
  written the same way by an eleventh session, for an honest kill rate once
  ``heldout10`` has been read too.
* ``--corpus heldout12``: ``benchmarks/corpus_heldout12/``, eight more pinned releases
  written the same way by a twelfth session, for an honest kill rate once
  ``heldout11`` has been read too.
* ``--corpus heldout13``: ``benchmarks/corpus_heldout13/``, eight more pinned releases
  written the same way by a thirteenth session, for an honest kill rate once
  ``heldout12`` has been read too.
* ``--corpus heldout14``: ``benchmarks/corpus_heldout14/``, eight more pinned releases
  written the same way by a fourteenth session, for an honest kill rate once
  ``heldout13`` has been read too.

Each corpus runs with the project's own tests present, removed (``--no-project-tests``),
or both (``--project-tests both``, the default for the real corpus): without tests,
guardrails can only come from the code itself. Printed per tool and mode:

* kill rate: regressions for which a guard that passed on the baseline now fails;
* false alarms: the same for the behaviour-preserving rewrites;
* latent crashes (written corpus): baseline functions that crash on an ordinary edge
  input, reported (ours: a finding; the ghostwriter: its test named after the function
  fails on the baseline; n/a for Pynguin, which marks crashes as expected);
* generation time, the suite's run time on the baseline, and its baseline failures;
* ours only: the mutation score ``generate`` reports in ``strength.json`` (n/a when it
  writes none), and an independent one under mutmut 3 over the target functions, run
  serially (``strength_mutmut.py``).

The same-run baselines, scored by the same code (``strength_tools.py``): ``hypothesis
write`` (needs ``pip install -e '.[bench]'``) and Pynguin 0.48.0 in its own venv
(``--setup-pynguin``, ``--pynguin-venv`` or ``$AUTOIMPROVE_BENCH_PYNGUIN``). Neither
reads the project's tests, so each runs once per project and its row holds for both
modes.

Run: ``python benchmarks/guard_strength.py [--corpus real|heldout|heldout2|heldout3|heldout4|
heldout5|heldout6|heldout7|heldout8|heldout9|heldout10|heldout11|heldout12|heldout13|
heldout14]
[--only NAME] ...``
(minutes; the README says how many).
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "corpus"))
sys.path.insert(0, str(HERE))

import strength_mutmut  # noqa: E402
import strength_real  # noqa: E402
import strength_tools as others  # noqa: E402
from mutations import LATENT, MUTATIONS  # noqa: E402
from strength_report import (  # noqa: E402
    OURS_DIR,
    STRENGTH_JSON,
    Change,
    Project,
    Tool,
    carry,
    report,
    report_mutmut,
)

from pytest_autoimprove.config import load_config  # noqa: E402
from pytest_autoimprove.generators import GenerateRequest  # noqa: E402
from pytest_autoimprove.generators.performance import generate  # noqa: E402
from pytest_autoimprove.process import run_command  # noqa: E402

WRITTEN = {
    "textkit": ("src", ["src/textkit/text.py"]),
    "numkit": ("src", ["src/numkit/stats.py"]),
    "storekit": (".", ["storekit/records.py"]),
}
MODES = {True: "tests present", False: "tests removed"}


# --- the corpora ----------------------------------------------------------------------


def written_projects(only: list[str]) -> list[Project]:
    """``benchmarks/corpus/``: each project copied as it is, its tests/ kept or removed."""
    unknown = [name for name in only if name not in WRITTEN]
    if unknown:
        raise strength_real.CorpusError(f"--only: unknown project(s) {', '.join(unknown)}")
    projects = []
    for name, (import_root, modules) in WRITTEN.items():
        if only and name not in only:
            continue

        def prepare(dest: Path, with_tests: bool, name: str = name) -> None:
            shutil.copytree(HERE / "corpus" / name, dest)
            if not with_tests:
                shutil.rmtree(dest / "tests")

        changes = [
            Change(m.project, m.path, m.name, m.risk, ((m.old, m.new),), m.honest)
            for m in MUTATIONS
            if m.project == name
        ]
        for change in changes:
            text = (HERE / "corpus" / name / change.path).read_text(encoding="utf-8")
            strength_real.apply_change(text, change, f"corpus/{name}/{change.path}")
        latent = tuple(func for project, _mod, func in LATENT if project == name)
        projects.append(Project(name, import_root, modules, changes, prepare, latent=latent))
    return projects


def real_projects(only: list[str], cache: Path, corpus: str = "real") -> list[Project]:
    """A pinned-release corpus (``corpus_real/``, ``corpus_heldout*/``): fetch each pin,
    check every snippet, then lay out."""
    projects = []
    for module in strength_real.select(only, corpus):
        release = strength_real.fetch(module, cache)
        strength_real.check_snippets(module, release)

        def prepare(
            dest: Path,
            with_tests: bool,
            m: strength_real.RealModule = module,
            r: Path = release,
        ) -> None:
            strength_real.layout(m, r, dest, with_tests=with_tests)

        changes = [
            Change(module.name, module.module, c.name, c.risk, c.edits, c.honest)
            for c in module.changes
        ]
        projects.append(
            Project(
                module.name,
                ".",
                [module.module],
                changes,
                prepare,
                module.targets,
                improve_md=True,
                has_tests=bool(module.tests),
            )
        )
    return projects


# --- running suites -------------------------------------------------------------------


def run_suite(root: Path, folder: str, import_root: str) -> tuple[set[str], float]:
    """Failing test ids of the suite in ``folder`` (``{"<broken>"}`` if it cannot run)."""
    xml = root / f".{folder.replace('/', '_')}.xml"
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
        f"--junitxml={xml}", folder,
    ]  # fmt: skip
    env = {
        "PYTHONPATH": str(root / import_root),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTEST_ADDOPTS": "",
    }
    result = run_command(command, cwd=root, timeout=600, env=env)
    if result.returncode not in (0, 1) or not xml.exists():
        return {"<broken>"}, result.duration
    failed = set()
    for case in ET.parse(xml).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.add(f"{case.get('classname')}::{case.get('name')}")
    xml.unlink()
    return failed, result.duration


def has_tests(root: Path, folder: str) -> bool:
    return (root / folder).is_dir() and any((root / folder).rglob("test_*.py"))


def generate_ours(project: Project, root: Path, budget: float, tool: Tool) -> None:
    """Run our generator on the baseline, write its files, read its strength report."""
    config = load_config(root) if project.improve_md else None
    start = time.perf_counter()
    result = generate(
        GenerateRequest(
            root=root,
            modules=tuple(Path(m) for m in project.modules),
            kind="speed",
            config=config,
            time_budget=budget,
        )
    )
    tool.gen_time += time.perf_counter() - start
    # A busy machine shows here first: what the budget did not verify is not written.
    print(f"  ours: {'; '.join(result.notes) or 'no note'}", flush=True)
    for f in result.files:
        dest = root / f.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(f.content, bytes):
            dest.write_bytes(f.content)
        else:
            dest.write_text(f.content, encoding="utf-8")
    tool.findings += len(result.findings)
    for finding in result.findings:  # printed: a finding on a baseline must be reviewed
        print(f"  finding: {finding}", flush=True)
    tool.latent_found += sum(
        any(f.target == func for f in result.findings) for func in project.latent
    )
    report = root / STRENGTH_JSON
    if report.exists():
        try:
            rows = json.loads(report.read_text(encoding="utf-8")).get("targets", [])
            killed = sum(int(r.get("killed", 0)) for r in rows)
            total = sum(int(r.get("total", 0)) for r in rows)
        except (ValueError, TypeError, AttributeError):
            tool.notes.append(f"{project.name}: unreadable {STRENGTH_JSON}")
        else:
            old = tool.strength or [0, 0]
            tool.strength = [old[0] + killed, old[1] + total]
    subprocess_git(root, "add", "-A")
    subprocess_git(root, "commit", "-q", "-m", "guardrails")


def subprocess_git(root: Path, *args: str) -> None:
    if (root / ".git").exists():
        identity = ["-c", "user.name=guard-strength", "-c", "user.email=bench@localhost"]
        run_command(["git", *identity, *args], cwd=root, timeout=120)


def other_suites(
    project: Project, root: Path, gw: Tool, pyn: Tool, python: Path | None, args: argparse.Namespace
) -> None:
    """Generate the ghostwriter's and Pynguin's suites for ``project`` (once)."""
    if gw.available:
        why, elapsed = others.ghostwrite(root, project.import_root, project.modules)
        gw.gen_time += elapsed
        if why:
            gw.notes.append(f"{project.name}: {why}")
    if pyn.available and python is not None:
        work = root.parent / "pynguin-work" / project.name
        why, elapsed = others.pynguin_write(
            python, root, project.import_root, project.modules, args.pynguin_budget, work
        )
        pyn.gen_time += elapsed
        if why:
            pyn.notes.append(f"{project.name}: {why}")


def measure_project(
    project: Project,
    root: Path,
    tools: list[Tool],
) -> None:
    """Baseline runs, then every change against every tool's suite."""
    suites: list[tuple[Tool, set[str] | None]] = []
    for tool in tools:
        if not has_tests(root, tool.folder):
            suites.append((tool, None))
            continue
        on_baseline, elapsed = run_suite(root, tool.folder, project.import_root)
        tool.run_time += elapsed
        tool.baseline_failures += len(on_baseline)
        if tool.latent_comparable and tool.folder != OURS_DIR:
            tool.latent_found += sum(
                any(func in name for name in on_baseline) for func in project.latent
            )
        if "<broken>" in on_baseline:
            # A suite that cannot run on the baseline (or hangs until the timeout, as a
            # generated test may on an input the library loops on) kills nothing:
            # running it again on every change would only cost its timeout each time.
            tool.notes.append(f"{project.name}: suite broken on the baseline ({elapsed:.0f} s)")
            suites.append((tool, None))
            continue
        suites.append((tool, on_baseline))
    for change in project.changes:
        path = root / change.path
        original = path.read_text(encoding="utf-8")
        path.write_text(
            strength_real.apply_change(original, change, f"{project.name}/{change.path}"),
            encoding="utf-8",
        )
        try:
            for tool, base in suites:
                if base is None:
                    tool.score(project.name, change, False)
                    continue
                failed, _ = run_suite(root, tool.folder, project.import_root)
                broke = "<broken>" in failed and "<broken>" not in base
                tool.score(project.name, change, bool(failed - base) or broke)
        finally:
            path.write_text(original, encoding="utf-8")


# --- main -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--corpus",
        choices=("written", *strength_real.CORPORA),
        default="written",
        help="written (beside the generator: an upper bound), real (pinned PyPI modules), "
        "heldout, heldout2, heldout3, heldout4, heldout5, heldout6, heldout7, heldout8, "
        "heldout9, heldout10, heldout11, heldout12, heldout13 and heldout14 (pinned PyPI "
        "modules written without reading the generators)",
    )
    parser.add_argument(
        "--project-tests",
        choices=("present", "removed", "both"),
        default=None,
        help="run with the project's own tests, without them, or both "
        "(default: present for the written corpus, both for the real and held-out ones)",
    )
    parser.add_argument(
        "--no-project-tests",
        action="store_const",
        const="removed",
        dest="project_tests",
        help="same as --project-tests removed",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="only this project or module (repeatable)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=strength_real.DEFAULT_CACHE,
        help="where the real and held-out corpora's releases are kept "
        f"(default {strength_real.DEFAULT_CACHE})",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="real and held-out corpora: run each change's witness on the baseline and "
        "on the change, print, and stop",
    )
    parser.add_argument(
        "--ours-budget",
        type=float,
        default=60.0,
        help="our generator's time_budget per project, in seconds (default 60)",
    )
    parser.add_argument(
        "--pynguin-venv",
        default=None,
        help=f"a venv (or its python) with pynguin=={others.PYNGUIN_VERSION}; default: "
        f"${others.PYNGUIN_ENV}, else {others.PYNGUIN_VENV.relative_to(HERE.parent)} if it exists",
    )
    parser.add_argument(
        "--setup-pynguin",
        action="store_true",
        help=f"create {others.PYNGUIN_VENV.relative_to(HERE.parent)} and pip install "
        "Pynguin into it",
    )
    parser.add_argument(
        "--pynguin-budget",
        type=int,
        default=None,
        help="Pynguin's search seconds per module, and as many for its assertion mutants "
        "(default 30 for the written corpus, 20 for the real and held-out ones)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="lay the projects out here and keep them (default: a temporary folder)",
    )
    parser.add_argument("--no-pynguin", action="store_true", help="leave Pynguin out")
    parser.add_argument("--no-ghostwriter", action="store_true", help="leave hypothesis write out")
    parser.add_argument("--no-mutmut", action="store_true", help="leave the mutmut score out")
    parser.add_argument(
        "--mutmut-timeout",
        type=float,
        default=240.0,
        help="seconds of mutmut per project and mode (default 240)",
    )
    args = parser.parse_args(argv)
    if args.project_tests is None:
        args.project_tests = "present" if args.corpus == "written" else "both"
    if args.pynguin_budget is None:
        args.pynguin_budget = 30 if args.corpus == "written" else 20
    return args


def pytest_config_above(folder: Path) -> Path | None:
    """The first pytest configuration file above ``folder`` (pytest's rootdir search)."""
    sections = {
        "pytest.ini": "",
        "pyproject.toml": "[tool.pytest",
        "tox.ini": "[pytest]",
        "setup.cfg": "[tool:pytest]",
    }
    for parent in folder.parents:
        for name, marker in sections.items():
            path = parent / name
            if path.is_file() and marker in path.read_text(encoding="utf-8", errors="replace"):
                return path
    return None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        if args.check:
            if args.corpus == "written":
                print(
                    "guard_strength.py: --check needs --corpus real, heldout, heldout2, heldout3, "
                    "heldout4, heldout5, heldout6, heldout7, heldout8, heldout9, heldout10, "
                    "heldout11, heldout12, heldout13 or heldout14",
                    file=sys.stderr,
                )
                return 2
            with tempfile.TemporaryDirectory(prefix="guard-strength-check-") as tmp:
                modules = strength_real.select(args.only, args.corpus)
                return strength_real.check_witnesses(modules, args.cache.expanduser(), Path(tmp))
        if args.corpus in strength_real.CORPORA:
            projects = real_projects(args.only, args.cache.expanduser(), args.corpus)
        else:
            projects = written_projects(args.only)
    except strength_real.CorpusError as exc:
        print(f"guard_strength.py: {exc}", file=sys.stderr)
        return 2
    modes = {"present": [True], "removed": [False], "both": [False, True]}[args.project_tests]
    ours = {w: Tool("pytest-autoimprove", OURS_DIR, MODES[w]) for w in modes}
    gw = Tool("hypothesis write", others.GW_DIR)
    pyn = Tool("Pynguin", others.PYN_DIR, latent_comparable=False)
    python = setup_others(args, gw, pyn)
    mutmut_why = "left out (--no-mutmut)" if args.no_mutmut else strength_mutmut.mutmut_missing()
    with tempfile.TemporaryDirectory(prefix="guard-strength-") as tmp:
        work = args.work.expanduser().absolute() if args.work else Path(tmp)
        outer = pytest_config_above(work)
        if outer is not None:
            print(
                f"guard_strength.py: --work {work} lies below {outer}, whose pytest settings "
                "every corpus project without its own would inherit; pick a folder outside it",
                file=sys.stderr,
            )
            return 2
        for project in projects:
            before = {w: copy.deepcopy(t) for w, t in ours.items()}
            for index, with_tests in enumerate(modes):
                tool = ours[with_tests]
                if with_tests and not project.has_tests and False in modes:
                    carry(before[False], ours[False], tool, project.name)
                    print(
                        f"{project.name}: the release ships no tests, so the tests-removed "
                        "figures stand for both modes",
                        flush=True,
                    )
                    continue
                print(f"{project.name} ({MODES[with_tests]}) ...", flush=True)
                root = work / MODES[with_tests].replace(" ", "-") / project.name
                root.parent.mkdir(parents=True, exist_ok=True)
                project.prepare(root, with_tests)
                generate_ours(project, root, args.ours_budget, tool)
                tools = [tool]
                if index == 0:  # the others read no tests: once per project
                    other_suites(project, root, gw, pyn, python, args)
                    tools += [t for t in (gw, pyn) if t.available]
                measure_project(project, root, tools)
                if not mutmut_why:
                    run_mutmut(project, root, tool, args.mutmut_timeout)
    report(projects, [*ours.values(), gw, pyn], args, mutmut_why)
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    return 0


def run_mutmut(project: Project, root: Path, tool: Tool, timeout: float) -> None:
    """mutmut over the project's targets with our frozen guardrails; add to ``tool``."""
    score = strength_mutmut.MutmutScore()
    for module in project.modules:
        score.add(
            strength_mutmut.score(
                root, module, project.import_root, project.targets, OURS_DIR, timeout
            )
        )
    tool.mutmut = tool.mutmut or strength_mutmut.MutmutScore()
    tool.mutmut.add(score)
    tool.unreached += [f"{project.name}:{t}" for t in score.unreached]
    report_mutmut(project.name, score)


def setup_others(args: argparse.Namespace, gw: Tool, pyn: Tool) -> Path | None:
    """Make the ghostwriter and Pynguin available, or say why not; Pynguin's python."""
    if args.no_ghostwriter:
        gw.disable("left out (--no-ghostwriter)")
    elif why := others.ghostwriter_missing():
        gw.disable(why)
    if args.no_pynguin:
        pyn.disable("left out (--no-pynguin)")
        return None
    if args.setup_pynguin and (why := others.setup_pynguin()):
        pyn.disable(why)
    python = others.pynguin_python(args.pynguin_venv)
    if python is None:
        pyn.disable(others.PYNGUIN_UNAVAILABLE)
    elif pyn.available:
        version, why = others.pynguin_version(python)
        if why:
            pyn.disable(why)
        else:
            pyn.name = f"Pynguin {version}"
            print(
                f"{pyn.name} ({python}): seed {others.PYNGUIN_SEED}, budget per module "
                f"{args.pynguin_budget} s search + {args.pynguin_budget} s assertion mutants",
                flush=True,
            )
    return python


if __name__ == "__main__":
    sys.exit(main())
