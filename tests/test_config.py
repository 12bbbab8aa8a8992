"""improve.md parsing: every field of SPEC.md, and every malformed input's message."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pytest_autoimprove.config import (
    Agent,
    Change,
    Check,
    ImproveConfig,
    MinDelta,
    Stop,
    find_config_path,
    format_duration,
    load_config,
    parse_duration,
    parse_guard,
    parse_min_delta,
    parse_text,
    render,
)
from pytest_autoimprove.errors import ConfigError, ExitCode

SPEC_EXAMPLE = """\
# autoimprove: faster-search

## Change
scope: src/search.py, src/rank/*.py
exclude: src/rank/legacy.py
Free text here describes the scope for the agent.

## Check
test: pytest -q
run: python bench.py {golden}
score: mrr=([\\d.]+)
goal: higher
guard: p95_ms=([\\d.]+) <= baseline * 1.10
keep_if_equal: false
timeout: 3m
repeats: 5
min_delta: 0.5%
kind: quality
frozen: bench.py, data/golden.jsonl
golden: data/golden.jsonl

## Stop
budget: 4h
rounds: 200
stale: 15
target: 0.60

## Agent
provider: claude
model: opus

## Instructions
Free-form guidance for the agent, passed on verbatim.
"""

MINIMAL = "## Check\nrun: python bench.py\ngoal: lower\n"


def test_spec_example_parses_every_field() -> None:
    config = parse_text(SPEC_EXAMPLE, "improve.md")
    assert config.name == "faster-search"
    assert config.change == Change(
        scope=("src/search.py", "src/rank/*.py"),
        exclude=("src/rank/legacy.py",),
        notes="Free text here describes the scope for the agent.",
    )
    check = config.check
    assert check.test == "pytest -q"
    assert check.run == "python bench.py {golden}"
    assert check.score is not None and check.score.pattern == r"mrr=([\d.]+)"
    assert check.goal == "higher"
    (guard,) = check.guards
    assert (guard.op, guard.bound, guard.relative) == ("<=", 1.10, True)
    assert guard.limit(10.0) == pytest.approx(11.0)
    assert check.keep_if_equal is False
    assert check.timeout == 180
    assert check.repeats == 5
    assert check.min_delta == MinDelta(0.005, relative=True)
    assert check.kind == "quality"
    assert check.frozen == ("bench.py", "data/golden.jsonl")
    assert check.golden == "data/golden.jsonl"
    assert config.stop == Stop(budget=4 * 3600, rounds=200, stale=15, target=0.60)
    assert config.agent == Agent(provider="claude", model="opus")
    assert config.instructions == "Free-form guidance for the agent, passed on verbatim."
    assert config.lines["check.run"] == 10


def test_minimal_file_gets_defaults() -> None:
    config = parse_text(MINIMAL, Path("/repo/improve.md"))
    assert config.name == "repo"
    assert config.check.test is None and config.check.score is None
    assert config.stop == Stop()
    assert config.agent.provider == "claude"
    assert config.change.in_scope("anything.py")


def test_unknown_sections_are_kept_for_the_prompt() -> None:
    text = MINIMAL + "\n## Background\nThe index is rebuilt nightly.\n"
    config = parse_text(text)
    assert config.sections == (("Background", "The index is rebuilt nightly."),)


def test_scope_words_that_are_not_paths_go_to_the_prompt() -> None:
    text = "## Change\nscope: src/a.py, the ranking code\n" + MINIMAL
    config = parse_text(text)
    assert config.change.scope == ("src/a.py",)
    assert "the ranking code" in config.change.notes


def test_scope_and_exclude_are_enforced_with_globs() -> None:
    change = Change(scope=("src/rank/*.py", "lib"), exclude=("src/rank/legacy.py",))
    assert change.in_scope("src/rank/bm25.py")
    assert change.in_scope("lib/deep/x.py")
    assert not change.in_scope("src/rank/legacy.py")
    assert not change.in_scope("src/rank/sub/x.py")
    assert not change.in_scope("bench.py")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("3m", 180),
        ("4h", 14400),
        ("1h30m", 5400),
        ("500ms", 0.5),
        ("45", 45),
        ("1d", 86400),
        (" 2m 30s ", 150),
    ],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@given(st.integers(min_value=1, max_value=10**7))
@example(5400)
def test_duration_round_trips(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.5%", MinDelta(0.005, True)),
        ("2%", MinDelta(0.02, True)),
        ("0.01", MinDelta(0.01, False)),
    ],
)
def test_min_delta(text: str, expected: MinDelta) -> None:
    assert parse_min_delta(text) == expected


def test_guard_forms() -> None:
    absolute = parse_guard(r"rss_mb=([\d.]+) < 512")
    assert (absolute.op, absolute.bound, absolute.relative) == ("<", 512.0, False)
    same = parse_guard(r"errors=(\d+) == baseline")
    assert (same.bound, same.relative) == (1.0, True)


def test_agent_command_infers_provider() -> None:
    config = parse_text(MINIMAL + "## Agent\ncommand: python agent.py\n")
    assert config.agent.provider == "command"
    assert parse_text(MINIMAL + "## Agent\ntune: src/a.py::WEIGHT\n").agent.provider == "tune"


def test_kind_and_goal_are_inferred() -> None:
    quality = parse_text("## Check\nrun: python eval.py\nscore: mrr=([\\d.]+)\n")
    assert (quality.check.kind, quality.check.goal) == ("quality", "higher")
    speed = parse_text("## Check\nrun: python bench.py\nscore: p50_ms=([\\d.]+)\n")
    assert (speed.check.kind, speed.check.goal) == ("speed", "lower")


def test_list_markers_and_dashed_keys_are_accepted() -> None:
    config = parse_text("## Check\n- run: python b.py\n- goal: lower\n- keep-if-equal: yes\n")
    assert config.check.keep_if_equal is True


def test_pyproject_names_another_file(tmp_path: Path) -> None:
    (tmp_path / "perf").mkdir()
    (tmp_path / "perf" / "improve.md").write_text(MINIMAL)
    (tmp_path / "pyproject.toml").write_text('[tool.autoimprove]\nfile = "perf/improve.md"\n')
    assert find_config_path(tmp_path) == tmp_path / "perf" / "improve.md"
    assert load_config(tmp_path).check.goal == "lower"


# Each malformed input: (file text, line, a fragment of the problem, a fragment of the fix)
MALFORMED = {
    "typo-field": (
        "## Check\nrun: x\ngoal: lower\ntimout: 3m\n",
        4,
        "unknown field 'timout'",
        "did you mean 'timeout'",
    ),
    "typo-field-stop": (
        "## Stop\nbudjet: 4h\n" + MINIMAL,
        2,
        "unknown field 'budjet'",
        "did you mean 'budget'",
    ),
    "unknown-field-far": (
        "## Check\nrun: x\ngoal: lower\nflavour: vanilla\n",
        4,
        "unknown field 'flavour'",
        "use one of",
    ),
    "prose-in-check": (
        "## Check\nrun: x\ngoal: lower\nthis is prose\n",
        4,
        "cannot read",
        "field: value",
    ),
    "no-group": (
        "## Check\nrun: x\ngoal: higher\nscore: mrr=[\\d.]+\n",
        4,
        "has 0 groups",
        "wrap the number in one group",
    ),
    "two-groups": (
        "## Check\nrun: x\ngoal: higher\nscore: (mrr)=([\\d.]+)\n",
        4,
        "has 2 groups",
        "non-capturing",
    ),
    "bad-regex": (
        "## Check\nrun: x\ngoal: higher\nscore: mrr=([\\d.]+\n",
        4,
        "is invalid",
        "fix the regex",
    ),
    "zero-duration": ("## Check\nrun: x\ngoal: lower\ntimeout: 0s\n", 4, "not positive", "90s"),
    "negative-duration": (
        "## Check\nrun: x\ngoal: lower\ntimeout: -3m\n",
        4,
        "negative",
        "positive",
    ),
    "bad-duration": (
        "## Check\nrun: x\ngoal: lower\ntimeout: soon\n",
        4,
        "cannot read duration",
        "1h30m",
    ),
    "bad-budget": ("## Stop\nbudget: 3 weeks\n" + MINIMAL, 2, "cannot read duration", "4h"),
    "bad-goal": (
        "## Check\nrun: x\ngoal: faster\n",
        3,
        "goal 'faster' is not higher or lower",
        "fix the value",
    ),
    "goal-typo": (
        "## Check\nrun: x\ngoal: lowr\n",
        3,
        "is not higher or lower",
        "did you mean 'lower'",
    ),
    "empty-check": ("# x\n## Check\n\n## Stop\nrounds: 3\n", 2, "Check section is empty", "run:"),
    "no-check": ("# x\n## Stop\nrounds: 3\n", 3, "no '## Check' section", "run:"),
    "no-run": ("## Check\ngoal: lower\n", 1, "no `run:`", "run: <command"),
    "no-goal": ("## Check\nrun: python weird.py\n", 1, "no `goal:`", "goal: higher"),
    "bad-bool": (
        "## Check\nrun: x\ngoal: lower\nkeep_if_equal: maybe\n",
        4,
        "not a boolean",
        "true or false",
    ),
    "bad-repeats": ("## Check\nrun: x\ngoal: lower\nrepeats: 0\n", 4, "at least 1", "fix"),
    "float-repeats": (
        "## Check\nrun: x\ngoal: lower\nrepeats: 2.5\n",
        4,
        "not a whole number",
        "like 5",
    ),
    "bad-min-delta": (
        "## Check\nrun: x\ngoal: lower\nmin_delta: lots\n",
        4,
        "not a number",
        "0.5%",
    ),
    "negative-min-delta": (
        "## Check\nrun: x\ngoal: lower\nmin_delta: -1%\n",
        4,
        "negative",
        "0.5%",
    ),
    "bad-kind": (
        "## Check\nrun: x\ngoal: lower\nkind: sped\n",
        4,
        "kind 'sped'",
        "did you mean 'speed'",
    ),
    "bad-target": ("## Stop\ntarget: high\n" + MINIMAL, 2, "target 'high' is not a number", "0.60"),
    "nan-target": ("## Stop\ntarget: nan\n" + MINIMAL, 2, "not finite", "0.60"),
    "bad-guard": (
        "## Check\nrun: x\ngoal: lower\nguard: p95 is fine\n",
        4,
        "cannot read guard",
        "REGEX OP BOUND",
    ),
    "guard-no-group": (
        "## Check\nrun: x\ngoal: lower\nguard: p95=\\d+ <= 3\n",
        4,
        "guard regex",
        "wrap the number",
    ),
    "guard-bad-factor": (
        "## Check\nrun: x\ngoal: lower\nguard: p95=(\\d+) <= baseline * x\n",
        4,
        "guard factor",
        "1.10",
    ),
    "duplicate-field": ("## Check\nrun: x\nrun: y\ngoal: lower\n", 3, "given twice", "keep one"),
    "duplicate-section": (MINIMAL + "## Check\nrun: z\n", 4, "appears twice", "merge"),
    "section-typo": (
        "## Chek\nrun: x\ngoal: lower\n",
        1,
        "unknown section '## Chek'",
        "## Check",
    ),
    "command-without-command": (
        MINIMAL + "## Agent\nprovider: command\n",
        5,
        "needs the command",
        "command:",
    ),
    "provider-typo": (
        MINIMAL + "## Agent\nprovider: claud\n",
        5,
        "unknown provider 'claud'",
        "did you mean 'claude'",
    ),
    "empty-value": ("## Check\nrun:\ngoal: lower\n", 2, "run: the value is empty", "remove"),
    "bad-tolerance": ("## Check\nrun: x\ngoal: lower\ntolerance: tight\n", 4, "tolerance", "1e-9"),
    "bad-max-table": ("## Check\nrun: x\ngoal: lower\nmax_table: 0.5\n", 4, "max_table", "20%"),
    "holdout-in-repo": (
        "## Check\nrun: x\ngoal: lower\nholdout: data/holdout.jsonl\n",
        4,
        "relative path",
        "env:NAME",
    ),
    "holdout-bad-env": ("## Check\nrun: x\ngoal: lower\nholdout: env:\n", 4, "holdout", "env:"),
}


@pytest.mark.parametrize(("text", "line", "problem", "fix"), MALFORMED.values(), ids=MALFORMED)
def test_malformed_files_name_line_problem_and_fix(
    tmp_path: Path, text: str, line: int, problem: str, fix: str
) -> None:
    path = tmp_path / "improve.md"
    path.write_text(textwrap.dedent(text))
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    message = str(info.value)
    assert message.startswith(f"improve.md:{line}: "), message
    assert problem in message, message
    assert fix in message.split("; ", 1)[1], message
    assert "\n" not in message
    assert info.value.exit_code == ExitCode.CONFIG_ERROR


def test_every_problem_is_reported_at_once_with_values_as_written(tmp_path: Path) -> None:
    # The first night on a real repository: a bad regex hid a typo two lines below.
    (tmp_path / "improve.md").write_text(
        "# x\n\n## Check\nrun: python bench.py\ngoal: lower\n"
        "score: took ([\\d.]+ ms\ntimout: 3m\nrepeats: many\n\n## Agent\nprovider: claud\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    lines = str(info.value).splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        "improve.md:6",
        "improve.md:7",
        "improve.md:8",
        "improve.md:11",
    ]
    assert "score regex 'took ([\\d.]+ ms' is invalid" in lines[0]  # one backslash, as typed
    assert "unknown field 'timout' in ## Check; did you mean 'timeout'?" in lines[1]
    assert "'many' is not a whole number" in lines[2]
    assert "unknown provider 'claud'; did you mean 'claude'?" in lines[3]
    assert info.value.exit_code == ExitCode.CONFIG_ERROR


def test_a_cli_command_prints_every_problem_and_exits_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "improve.md").write_text(
        "## Check\nrun: x\ngoal: lowr\ntimout: 3m\nscore: a=(\\d+\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "verify"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    problems = [line for line in done.stderr.splitlines() if "improve.md:" in line]
    assert len(problems) == 3, done.stderr
    assert "'a=(\\d+'" in done.stderr


def test_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"improve.md: file not found; run `autoimprove-guard"):
        load_config(tmp_path)


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "improve.md").write_bytes(b"## Check\nrun: \xff\xfe\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(tmp_path)


@pytest.mark.parametrize(
    ("pyproject", "problem"),
    [
        ("[tool.autoimprove\n", "invalid TOML"),
        ('[tool.autoimprove]\nfiel = "x.md"\n', "unknown key 'fiel'"),
        ("[tool.autoimprove]\nfile = 3\n", "must be a path string"),
        ('[tool]\nautoimprove = "x"\n', "is not a table"),
    ],
)
def test_malformed_pyproject(tmp_path: Path, pyproject: str, problem: str) -> None:
    (tmp_path / "pyproject.toml").write_text(pyproject)
    with pytest.raises(ConfigError, match=re.escape(problem)) as info:
        load_config(tmp_path)
    assert str(info.value).startswith("pyproject.toml")


# --- round trip: render(parse) is stable, for generated configs too -------------------

_words = st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=8)
_paths = st.builds(lambda a, b: f"{a}/{b}.py", _words, _words)


@st.composite
def configs(draw: st.DrawFn) -> ImproveConfig:
    kind = draw(st.sampled_from(["speed", "memory", "quality", "size", "other"]))
    check = Check(
        run=f"python {draw(_words)}.py",
        goal=draw(st.sampled_from(["higher", "lower"])),
        test=draw(st.none() | st.just("pytest -q")),
        score=draw(st.none() | st.just(re.compile(r"score=([\d.]+)"))),
        guards=tuple(
            draw(st.lists(st.just(parse_guard(r"p95=([\d.]+) <= baseline * 1.1")), max_size=2))
        ),
        keep_if_equal=draw(st.booleans()),
        timeout=float(draw(st.integers(1, 10**6))),
        repeats=draw(st.none() | st.integers(1, 50)),
        min_delta=draw(st.sampled_from([MinDelta(), MinDelta(0.005, True), MinDelta(2.0, False)])),
        kind=kind,
        frozen=tuple(draw(st.lists(_paths, max_size=3, unique=True))),
        golden=draw(st.none() | _paths),
        tolerance=draw(st.none() | st.sampled_from([1e-9, 0.001])),
        max_table=draw(st.none() | st.sampled_from([0.0, 0.2, 0.35, 8.0])),
        holdout=draw(
            st.none() | st.sampled_from(["env:AUTOIMPROVE_HOLDOUT", "/srv/holdout.jsonl"])
        ),
    )
    stop = Stop(
        budget=draw(st.none() | st.integers(1, 10**6).map(float)),
        rounds=draw(st.none() | st.integers(1, 1000)),
        stale=draw(st.none() | st.integers(1, 100)),
        target=draw(st.none() | st.floats(-1e6, 1e6, allow_nan=False)),
    )
    agent = draw(
        st.sampled_from(
            [
                Agent(),
                Agent("command", command="python a.py"),
                Agent("tune", tune="src/a.py::W"),
                Agent("codex", model="o3"),
            ]
        )
    )
    return ImproveConfig(
        path=Path("improve.md"),
        name=draw(_words),
        check=check,
        change=Change(scope=tuple(draw(st.lists(_paths, max_size=3, unique=True)))),
        stop=stop,
        agent=agent,
        instructions=draw(st.sampled_from(["", "Be careful with None."])),
    )


@given(configs())
def test_render_then_parse_round_trips(config: ImproveConfig) -> None:
    assert parse_text(render(config), "improve.md") == config


def test_spec_example_round_trips() -> None:
    config = parse_text(SPEC_EXAMPLE, "improve.md")
    assert parse_text(render(config), "improve.md") == config


_LINES = st.sampled_from(
    [
        "## Check",
        "## Change",
        "## Stop",
        "## Agent",
        "## Instructions",
        "## Notes",
        "# t",
        "run: python b.py",
        "goal: lower",
        "goal: up",
        "score: x=(\\d+)",
        "score: (",
        "score: a",
        "timeout: 0",
        "timeout: 1h",
        "timeout: -1",
        "repeats: x",
        "min_delta: 5%",
        "guard: a",
        "guard: p=(\\d+) <= baseline * 2",
        "scope: src/*.py, words here",
        "budget: 3 weeks",
        "provider: claud",
        "provider: command",
        "command: x",
        "kind: quality",
        "```",
        "",
        "- run: y",
        "keep_if_equal: maybe",
        "target: nan",
        "frozen: a.py",
        "timout: 3m",
        "random prose line",
        "run:",
        ":",
        "x:y",
    ]
)


@given(st.lists(_LINES | st.text(max_size=30), max_size=25))
@example(["## Check", "score: ("])
def test_any_text_parses_or_gives_one_line_per_problem(lines: list[str]) -> None:
    try:
        parse_text("\n".join(lines), "improve.md")
    except ConfigError as exc:
        reported = str(exc).split("\n")
        assert len(reported) == len(exc.problems)
        assert [str(problem) for problem in exc.problems] == reported
        for line in reported:
            assert line.startswith("improve.md")
            assert "; " in line  # problem; fix
        numbers = [problem.line or 0 for problem in exc.problems]
        assert numbers == sorted(numbers)
