"""``autoimprove-guard init``: from a repository it has never seen to a loop ready to run.

Detects what the project is (package, test runner, pytest-benchmark, an eval or
benchmark script, a golden set, a Dockerfile), asks only what it cannot infer (or
takes it from flags), checks the answers (the proposer's program answers, the scope
names files) before it writes anything, then writes improve.md and, where the goal
needs one, an eval harness: for speed and memory goals without a benchmark of their
own, one that times the code in scope on inputs recorded from the project's tests
(:mod:`pytest_autoimprove.bench`). It measures the benchmark's noise and sets
``repeats:`` from it, generates and freezes guardrails, and prints the command that
starts the loop. It never overwrites improve.md without --force.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pytest_autoimprove import bench, paths
from pytest_autoimprove.config import (
    GOALS,
    KINDS,
    PRESET_PROVIDERS,
    PROVIDERS,
    Agent,
    Change,
    Check,
    ImproveConfig,
    find_config_path,
    parse_regex,
    parse_text,
    render,
)
from pytest_autoimprove.errors import ConfigError, ExitCode, UsageError
from pytest_autoimprove.generators import scored_golden
from pytest_autoimprove.names import GOLDEN_ENV, GUARD_DIR
from pytest_autoimprove.process import run_command
from pytest_autoimprove.score import extract_score, score_unit

#: The harness init writes when a goal has no benchmark of its own.
SPEED_HARNESS = bench.HARNESS["speed"]
MEMORY_HARNESS = bench.HARNESS["memory"]
SIZE_HARNESS = "autoimprove_size.py"
#: A benchmark run faster than this is run a few more times at init to measure its noise.
NOISE_RUNS = 5
NOISE_MAX_FIRST_RUN = 10.0
NOISE_BUDGET = 60.0
_EVAL_NAMES = re.compile(r"^(eval|evaluate|evaluation|score|metrics?)[\w-]*\.py$")
_BENCH_NAMES = re.compile(r"^(bench|benchmark|perf)[\w-]*\.py$")
_GOLDEN_NAMES = re.compile(
    r"(golden|gold|qrels|labels?|eval|queries)[\w.-]*\.(jsonl|json|csv|tsv)$"
)
_SCRIPT_DIRS = ("", "scripts/", "benchmarks/", "bench/", "eval/", "evals/", "tools/")
_METRIC = re.compile(
    r"(?P<name>[A-Za-z][\w@.-]*)\s*[=:]\s*(?P<value>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
)
_QUALITY_WORDS = (
    "score",
    "mrr",
    "ndcg",
    "recall",
    "precision",
    "accuracy",
    "acc",
    "f1",
    "hit",
    "map",
    "auc",
)


@dataclass
class Detection:
    """What init found in the repository."""

    root: Path
    packages: list[str] = field(default_factory=list)
    has_pytest: bool = False
    has_pytest_benchmark: bool = False
    eval_scripts: list[str] = field(default_factory=list)
    bench_scripts: list[str] = field(default_factory=list)
    golden_sets: list[str] = field(default_factory=list)
    dockerfile: str | None = None

    def lines(self) -> list[str]:
        def yes(found: bool) -> str:
            return "yes" if found else "no"

        return [
            f"packages:          {', '.join(self.packages) or 'none found'}",
            f"pytest:            {yes(self.has_pytest)}"
            + (" (with pytest-benchmark)" if self.has_pytest_benchmark else ""),
            f"eval scripts:      {', '.join(self.eval_scripts) or 'none'}",
            f"benchmark scripts: {', '.join(self.bench_scripts) or 'none'}",
            f"golden sets:       {', '.join(self.golden_sets) or 'none'}",
            f"Dockerfile:        {self.dockerfile or 'none'}",
        ]


def detect(root: Path) -> Detection:
    from pytest_autoimprove.repo import list_files

    files = list_files(root)
    found = Detection(root)
    for name in files:
        parts = name.split("/")
        if parts[-1] == "__init__.py" and len(parts) in (2, 3):
            top = "/".join(parts[:-1])
            top_level = len(parts) == 2 or parts[0] == "src"
            if (
                top_level
                and not parts[-2].startswith(("test", ".", "_"))
                and parts[0] not in ("tests", "docs", "examples", "benchmarks")
            ):
                found.packages.append(top)
        elif parts[-1] in ("Dockerfile", "Containerfile") and found.dockerfile is None:
            found.dockerfile = name
        folder = name[: len(name) - len(parts[-1])]
        if folder in _SCRIPT_DIRS and _EVAL_NAMES.match(parts[-1]):
            found.eval_scripts.append(name)
        elif folder in _SCRIPT_DIRS and _BENCH_NAMES.match(parts[-1]):
            found.bench_scripts.append(name)
        if (
            _GOLDEN_NAMES.search(parts[-1])
            and GUARD_DIR not in name
            and ("golden" in name or "data/" in name or "eval" in name)
        ):
            found.golden_sets.append(name)
        if (
            parts[-1].startswith("test_")
            and parts[-1].endswith(".py")
            or parts[-1] in ("pytest.ini", "conftest.py")
        ):
            found.has_pytest = True
    meta = " ".join(
        (root / name).read_text(encoding="utf-8", errors="replace")
        for name in (
            "pyproject.toml",
            "setup.cfg",
            "requirements.txt",
            "requirements-dev.txt",
            "tox.ini",
        )
        if (root / name).is_file()
    )
    found.has_pytest = found.has_pytest or "pytest" in meta
    found.has_pytest_benchmark = "pytest-benchmark" in meta or "pytest_benchmark" in meta
    found.packages = sorted(set(found.packages))
    return found


HELP = (
    "detect the repo, write improve.md (and an eval harness where the goal needs one), "
    "generate and freeze guardrails, measure the baseline"
)


def configure(parser: argparse.ArgumentParser) -> None:
    from pytest_autoimprove.cli.context import positive_int

    parser.add_argument("--kind", choices=KINDS, help="the goal family (default: inferred)")
    parser.add_argument("--goal", choices=GOALS, help="higher or lower (default: from kind)")
    parser.add_argument(
        "--run",
        metavar="CMD",
        help="your benchmark command, which prints the score (default: a benchmark script "
        "found in the repository, else, for speed and memory goals, one init writes that "
        "times the code in scope on inputs recorded from your tests)",
    )
    parser.add_argument(
        "--score",
        metavar="REGEX",
        help="regex with one group for the score (default: a `SCORE: x` line)",
    )
    parser.add_argument(
        "--repeats",
        type=positive_int,
        metavar="N",
        help="A/B benchmark pairs per experiment (default: set from the noise init measures)",
    )
    parser.add_argument("--test", metavar="CMD", help="the test command (default: pytest)")
    parser.add_argument(
        "--scope",
        metavar="GLOBS",
        help="comma-separated paths the agent may change (default: the packages)",
    )
    parser.add_argument("--golden", metavar="PATH", help="the golden set of a quality goal")
    parser.add_argument("--provider", choices=PROVIDERS, help="who proposes changes")
    parser.add_argument("--command", metavar="CMD", help="with --provider command: the program")
    parser.add_argument("--name", help="a name for the goal (default: the folder's name)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing improve.md")
    parser.add_argument(
        "--yes", "-y", action="store_true", help="ask nothing: take flags and inferred defaults"
    )
    parser.add_argument(
        "--no-generate",
        action="store_true",
        help="write improve.md only; skip guardrails, lock and baseline",
    )
    parser.epilog = (
        "examples:\n"
        "  autoimprove-guard init\n"
        "  autoimprove-guard init --yes --kind speed --scope 'src/pkg/*.py'\n"
        "  autoimprove-guard init --kind quality --run 'python eval.py {golden}' "
        "--golden data/golden.jsonl --score 'mrr=([\\d.]+)'"
    )


Ask = Callable[[str, str], str]


def _asker(args: argparse.Namespace) -> Ask:
    interactive = not args.yes and sys.stdin.isatty()

    def ask(question: str, default: str) -> str:
        if not interactive:
            return default
        answer = input(f"{question} [{default}]: ").strip()
        return answer or default

    return ask


def run(args: argparse.Namespace) -> int:
    from pytest_autoimprove.cli.context import repo_root
    from pytest_autoimprove.repo import is_repo

    root = repo_root(args)
    if not is_repo(root):
        raise UsageError(f"{root}: not a git repository; run `git init` and commit your code first")
    target = find_config_path(root, args.file)
    if target.exists() and not args.force:
        raise UsageError(
            f"{target.name}: already exists; edit it, or pass --force to write a new one"
        )
    found = detect(root)
    print(f"detected in {root}:")
    for line in found.lines():
        print(f"  {line}")
    ask = _asker(args)
    config, harness = plan(found, args, ask, target)
    check_answers(root, config)
    for name, text in harness.items():
        path = root / name
        if path.exists() and not args.force:
            print(f"kept the existing {name}")
            continue
        if text is None:
            config = _write_benchmark(root, config, name)
            continue
        path.write_text(text, encoding="utf-8")
        print(f"wrote {name} (the eval harness; frozen by the guard lock)")
    print(f"\nmeasuring the baseline: {config.check.run}")
    output, seconds = run_benchmark(root, config)
    score = None if output is None else extract_score(output, config.check.score)
    if output is not None and score is None and config.check.score is None:
        regex = infer_score_regex(output)
        if regex is not None:
            print(f"the benchmark prints no `SCORE:` line; reading the score with `{regex}`")
            config = replace(config, check=replace(config.check, score=re.compile(regex)))
            score = extract_score(output, config.check.score)
    if score is not None:
        config = _set_repeats(root, config, score, seconds, explicit=args.repeats)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(config), encoding="utf-8")
    print(
        f"wrote {target.relative_to(root)}: {config.check.goal} {config.check.kind} score "
        f"from `{config.check.run}`; review it, it is also the agent's prompt"
    )
    if config.check.kind == "quality" and not config.check.golden:
        print(
            "no golden set found: build one with `autoimprove-guard golden --help`, then "
            "add `golden: <path>` to improve.md and run `autoimprove-guard generate`"
        )
    if score is None:
        print(
            "the benchmark gave no score: make it print `SCORE: <number>` (or set `score:` to "
            "a regex with one group), then run `autoimprove-guard generate`"
        )
        return ExitCode.BASELINE_FAILED
    unit = score_unit(output or "", config.check.score)
    print(f"baseline score: {score:g}{' ' + unit if unit else ''} ({config.check.goal} is better)")
    if args.no_generate:
        return ExitCode.OK
    return _finish(root, config)


def plan(
    found: Detection, args: argparse.Namespace, ask: Ask, target: Path
) -> tuple[ImproveConfig, dict[str, str | None]]:
    """improve.md's config and any harness files to write, from detection, flags, answers."""
    harness: dict[str, str | None] = {}
    kind = args.kind or ask(f"goal kind ({', '.join(KINDS)})", _guess_kind(found))
    if kind not in KINDS:
        raise UsageError(f"kind {kind!r}: use one of {', '.join(KINDS)}")
    default_scope = ", ".join(f"{package}/**/*.py" for package in found.packages) or "*.py"
    scope = args.scope or ask("what may the agent change (paths/globs)", default_scope)
    golden = args.golden or (
        found.golden_sets[0] if kind == "quality" and found.golden_sets else None
    )
    run_command = args.run or _default_run(found, kind, golden, harness)
    if not args.run:
        question = "benchmark command (prints the score)"
        if harness.get(run_command.split()[-1], "") is None:
            question = (
                f"no benchmark found; {run_command.split()[-1]} will time the code in scope "
                "on inputs from your tests, or give your own command"
            )
        answer = ask(question, run_command)
        if answer != run_command:
            harness.clear()  # the user's own benchmark: nothing to write
            run_command = answer
    score = args.score
    if score is not None:
        try:
            parse_regex(score)
        except ValueError as exc:
            raise UsageError(f"--score: {exc}") from None
    elif any(text is None for text in harness.values()):
        score = bench.score_regex(kind)
    goal = args.goal or ask("goal (higher or lower)", "higher" if kind == "quality" else "lower")
    if goal not in GOALS:
        raise UsageError(f"goal {goal!r}: use higher or lower")
    provider = args.provider or ask(
        "who proposes changes (claude, codex, gemini, aider, command, tune)",
        "command" if args.command else _installed_agent(),
    )
    if provider not in PROVIDERS:
        raise UsageError(f"provider {provider!r}: use one of {', '.join(PROVIDERS)}")
    if provider == "command" and not args.command:
        raise UsageError("--provider command needs --command '<program that edits the tree>'")
    frozen = [name for name in [*harness, *_frozen_scripts(run_command, found)] if name]
    text = render(
        ImproveConfig(
            path=target,
            name=args.name or found.root.name,
            check=Check(
                run=run_command,
                goal=goal,
                test=args.test or ("python -m pytest -q" if found.has_pytest else None),
                score=re.compile(score) if score else None,
                kind=kind,
                frozen=tuple(dict.fromkeys(frozen)),
                golden=golden,
                timeout=600.0,
                repeats=getattr(args, "repeats", None),
            ),
            change=Change(scope=tuple(s.strip() for s in scope.split(",") if s.strip())),
            agent=Agent(provider=provider, command=args.command),
            instructions=_INSTRUCTIONS[kind],
        )
    )
    try:
        # Round-trip through the parser: what init writes is what the loop will read.
        config = parse_text(text, target)
    except ConfigError as exc:
        raise UsageError(f"the answers do not make a valid improve.md: {exc}") from None
    return config, harness


def check_answers(root: Path, config: ImproveConfig) -> None:
    """Before anything is written: the scope names files, the proposer's program answers."""
    from pytest_autoimprove.proposers.check import program_problem

    empty = [pattern for pattern in config.change.scope if not paths.expand(root, [pattern])]
    if empty:
        raise UsageError(
            f"scope {', '.join(repr(p) for p in empty)} matches no file; fix --scope "
            "(paths and globs relative to the repository root)"
        )
    problem = program_problem(config.agent, root)
    if problem is not None:
        raise UsageError(
            f"{problem[0]}; install it, or choose who proposes changes with --provider "
            "(claude, codex, gemini, aider; tune needs no agent; command with --command CMD)"
        )


def _write_benchmark(root: Path, config: ImproveConfig, name: str) -> ImproveConfig:
    """Write the generated benchmark for the code in scope; the config that runs it."""
    check = config.check
    print(
        f"\nwriting {name}: recording the calls your tests make into the code in scope "
        f"(`{check.test or 'python -m pytest -q'}`)"
    )
    written = bench.build(
        root,
        kind=check.kind,
        scope=config.change.scope,
        exclude=config.change.exclude,
        test_command=check.test,
    )
    for file_name, content in written.files.items():
        (root / file_name).write_bytes(content)
    print(bench.wrap(written.describe()))
    frozen = tuple(dict.fromkeys([*check.frozen, *written.files]))
    return replace(
        config,
        check=replace(check, run=written.command, score=re.compile(written.score), frozen=frozen),
    )


def _set_repeats(
    root: Path, config: ImproveConfig, first: float, seconds: float, *, explicit: int | None
) -> ImproveConfig:
    """Run the benchmark a few more times; ``repeats:`` from its noise, said out loud."""
    if explicit is not None:
        print(f"repeats: {explicit} (from --repeats)")
        return config
    if seconds > NOISE_MAX_FIRST_RUN:
        print(
            f"one benchmark run took {seconds:.0f}s: its noise is not measured here; the loop "
            "measures it at its baseline (repeats: left to the loop)"
        )
        return config

    def measure() -> float | None:
        output, _ = run_benchmark(root, config, quiet=True)
        return None if output is None else extract_score(output, config.check.score)

    runs = [first]

    def again() -> float | None:
        value = runs.pop() if runs else measure()
        return value

    noise = bench.measure_noise(NOISE_RUNS, again, budget=NOISE_BUDGET)
    repeats = bench.repeats_for(noise)
    if repeats is None:
        print("the benchmark's noise could not be measured; repeats: left to the loop")
        return config
    print(
        f"benchmark {noise}: repeats: {repeats} in improve.md "
        f"({'one run decides' if repeats == 1 else f'up to {repeats} A/B pairs per experiment'})"
    )
    if noise.relative is not None and noise.relative > bench.REPEATS_TABLE[-1][0]:
        print(
            "  the score is noisy: a quieter machine, or a benchmark that does more work per "
            "run, would tell small gains from luck with fewer runs"
        )
    return replace(config, check=replace(config.check, repeats=repeats))


def _installed_agent() -> str:
    """The first agent CLI preset found on PATH (claude when none is: the loop then says so)."""
    import shutil

    return next((name for name in PRESET_PROVIDERS if shutil.which(name)), "claude")


def _guess_kind(found: Detection) -> str:
    if found.golden_sets or found.eval_scripts:
        return "quality"
    if found.has_pytest_benchmark or found.bench_scripts:
        return "speed"
    if found.dockerfile and not found.packages:
        return "size"
    return "speed"


def _default_run(
    found: Detection, kind: str, golden: str | None, harness: dict[str, str | None]
) -> str:
    if kind == "quality" and found.eval_scripts:
        script = found.eval_scripts[0]
        return f"python {shlex.quote(script)}" + (" {golden}" if golden else "")
    if kind in ("speed", "other") and found.bench_scripts:
        return f"python {shlex.quote(found.bench_scripts[0])}"
    if kind == "size":
        harness[SIZE_HARNESS] = _SIZE_HARNESS_TEXT
        return f"python {SIZE_HARNESS}"
    # Speed, memory (and other goals): a benchmark of the code in scope, written once the
    # scope is known (None: generated, see bench.build).
    name = bench.HARNESS["memory" if kind == "memory" else "speed"]
    harness[name] = None
    return f"python {name}"


def _frozen_scripts(run_command: str, found: Detection) -> list[str]:
    """Files the benchmark command names that exist in the repo: the eval harness."""
    try:
        words = shlex.split(run_command)
    except ValueError:
        words = run_command.split()
    names = [paths.normalize(word) for word in words]
    return [name for name in names if name and (found.root / name).is_file()]


def _finish(root: Path, config: ImproveConfig) -> int:
    from pytest_autoimprove.errors import AutoimproveError
    from pytest_autoimprove.generators import driver

    print("\ngenerating guardrails for the goal (autoimprove-guard generate)")
    try:
        driver.run(root, config)
    except AutoimproveError as exc:
        print(f"could not generate guardrails yet: {exc}")
        print("fix improve.md, then run `autoimprove-guard generate`")
        return int(exc.exit_code)
    files = [
        _relative(root, config.path),
        *config.check.frozen,
        GUARD_DIR,
        ".autoimprove/guard.lock",
    ]
    print(
        "\nready. Review and commit, then start the loop:\n"
        f"  git add {' '.join(shlex.quote(f) for f in dict.fromkeys(files))} && "
        "git commit -m 'autoimprove: goal and guardrails'\n"
        "  pytest --autoimprove"
    )
    return ExitCode.OK


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def run_benchmark(
    root: Path, config: ImproveConfig, *, quiet: bool = False
) -> tuple[str | None, float]:
    """Run the benchmark once in the checkout; its output (None when it failed), seconds."""
    command = config.check.run
    env = {}
    golden = scored_golden(root, config.check.golden)
    if golden:
        command = command.replace("{golden}", shlex.quote(golden))
        env[GOLDEN_ENV] = str(root / golden)
    result = run_command(command, cwd=root, timeout=config.check.timeout, env=env)
    if not result.ok:
        status = "timed out" if result.timed_out else f"exit {result.returncode}"
        if not quiet:
            print(f"the benchmark failed ({status}):\n{result.tail(10)}")
        return None, result.duration
    return result.output, result.duration


def infer_score_regex(output: str) -> str | None:
    """A one-group regex for the metric a quality-like output line reports, if any.

    ``mrr=0.41`` or ``accuracy: 0.9``: a name that says "score" wins, then the first
    name that is a known quality metric, then the last metric printed.
    """
    found: dict[str, str] = {}
    for match in _METRIC.finditer(output):
        found[match["name"]] = match["value"]
    if not found:
        return None
    names = list(found)
    lowered = {name: name.lower() for name in names}
    chosen = next((n for n in names if "score" in lowered[n]), None)
    chosen = chosen or next(
        (n for n in names if any(word in lowered[n] for word in _QUALITY_WORDS)), names[-1]
    )
    return re.escape(chosen) + r"\s*[=:]\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"


_INSTRUCTIONS = {
    "speed": "Make it faster without changing behaviour: outputs, exceptions, argument state "
    "and output order must stay as they are. The guardrail tests compare with the original.",
    "memory": "Use less memory without changing behaviour. The guardrail tests compare with "
    "the original: outputs, exceptions, argument state.",
    "quality": "Improve the score honestly: do not read the golden files, do not special-case "
    "their queries or answers; a hidden holdout is scored by the guardrails.",
    "size": "Make it smaller without removing what users import or run: every module, console "
    "script, runtime dependency and data file is checked by a guardrail.",
    "other": "Improve the score without changing behaviour the tests and guardrails check.",
}


_SIZE_HARNESS_TEXT = '''"""Size harness written by `autoimprove-guard init` (frozen by the lock).

Prints `SCORE: <bytes>`: the size of the wheel `pip wheel` builds from this
repository, without dependencies. Edit it to measure an image or a bundle instead,
then run `autoimprove-guard freeze`.
"""

import pathlib
import subprocess
import sys
import tempfile


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps",
                        "--no-build-isolation", "-q", "-w", tmp], check=True)
        size = sum(p.stat().st_size for p in pathlib.Path(tmp).glob("*.whl"))
    print(f"SCORE: {size}")


if __name__ == "__main__":
    main()
'''
