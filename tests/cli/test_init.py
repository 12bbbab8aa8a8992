"""``autoimprove-guard init`` on repositories it has never seen."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_autoimprove.cli import init
from pytest_autoimprove.config import load_config


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


@pytest.fixture
def speed_repo(tmp_path: Path) -> Path:
    root = tmp_path / "textkit"
    (root / "src" / "textkit").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "src" / "textkit" / "__init__.py").write_text("")
    (root / "src" / "textkit" / "words.py").write_text(
        "def count_words(text):\n    return len(text.split())\n"
    )
    (root / "tests" / "test_words.py").write_text(
        "import sys\nsys.path.insert(0, 'src')\nfrom textkit.words import count_words\n\n"
        "def test_count():\n    assert count_words('a b') == 2\n"
    )
    (root / "bench.py").write_text("print('took_ms=12.5')\nprint('SCORE: 12.5')\n")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "textkit"\n[project.optional-dependencies]\ntest = ["pytest"]\n'
    )
    git(root, "init", "-q")
    return root


@pytest.fixture
def quality_repo(tmp_path: Path) -> Path:
    root = tmp_path / "ranker"
    (root / "ranker").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "ranker" / "__init__.py").write_text("def rank(query):\n    return [query]\n")
    (root / "data" / "golden.jsonl").write_text('{"query": "a", "relevant": ["1"]}\n')
    (root / "eval.py").write_text(
        "import sys\nprint(f'evaluated {sys.argv[1]}')\nprint('hit_rate=0.70 mrr=0.41')\n"
    )
    (root / "Dockerfile").write_text("FROM python:3.11\n")
    git(root, "init", "-q")
    return root


def test_detect_finds_packages_scripts_golden_sets(speed_repo: Path, quality_repo: Path) -> None:
    found = init.detect(speed_repo)
    assert found.packages == ["src/textkit"]
    assert found.bench_scripts == ["bench.py"]
    assert found.has_pytest
    assert found.golden_sets == [] and found.dockerfile is None
    found = init.detect(quality_repo)
    assert found.packages == ["ranker"]
    assert found.eval_scripts == ["eval.py"]
    assert found.golden_sets == ["data/golden.jsonl"]
    assert found.dockerfile == "Dockerfile"


def test_init_speed_goal_without_questions(speed_repo: Path) -> None:
    result = cli(speed_repo, "init", "--yes", "--provider", "tune", "--no-generate")
    assert result.returncode == 0, result.stdout + result.stderr
    config = load_config(speed_repo)
    assert config.check.kind == "speed" and config.check.goal == "lower"
    assert config.check.run == "python bench.py"
    assert config.check.frozen == ("bench.py",)
    assert config.change.scope == ("src/textkit/**/*.py",)
    assert config.agent.provider == "tune"
    assert "baseline score: 12.5 (lower is better)" in result.stdout


def test_init_quality_goal_infers_the_score_regex(quality_repo: Path) -> None:
    result = cli(quality_repo, "init", "--yes", "--no-generate", "--provider", "tune")
    assert result.returncode == 0, result.stdout + result.stderr
    config = load_config(quality_repo)
    assert config.check.kind == "quality" and config.check.goal == "higher"
    assert config.check.run == "python eval.py {golden}"
    assert config.check.golden == "data/golden.jsonl"
    assert config.check.score is not None
    assert config.check.score.search("hit_rate=0.70 mrr=0.41")[1] == "0.70"  # type: ignore[index]
    assert "baseline score: 0.7" in result.stdout
    assert "evaluated data/golden.jsonl" not in result.stdout  # output is not dumped on success


def test_init_writes_a_harness_when_there_is_no_benchmark(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("def double(x):\n    return 2 * x\n")
    git(tmp_path, "init", "-q")
    result = cli(
        tmp_path,
        "init",
        "--yes",
        "--kind",
        "size",
        "--no-generate",
        "--provider",
        "tune",
        "--run",
        "python -c \"print('SCORE: 100')\"",
    )
    assert result.returncode == 0, result.stderr
    assert load_config(tmp_path).check.run.startswith("python -c")
    result = cli(
        tmp_path,
        "init",
        "--yes",
        "--force",
        "--kind",
        "speed",
        "--no-generate",
        "--provider",
        "tune",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / init.SPEED_HARNESS).is_file()
    assert load_config(tmp_path).check.frozen == (init.SPEED_HARNESS,)
    # No test calls double(): the generators' inputs stand in for recorded ones.
    said = " ".join(result.stdout.split())
    assert "on 0 calls recorded from your tests" in said and "from generated inputs" in said


def test_init_never_overwrites_without_force(speed_repo: Path) -> None:
    (speed_repo / "improve.md").write_text("mine\n")
    result = cli(speed_repo, "init", "--yes", "--no-generate")
    assert result.returncode == 2
    assert "improve.md: already exists" in result.stderr and "--force" in result.stderr
    assert (speed_repo / "improve.md").read_text() == "mine\n"


def test_init_outside_git_is_a_clear_error(tmp_path: Path) -> None:
    result = cli(tmp_path, "init", "--yes")
    assert result.returncode == 2
    assert "not a git repository" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--score", "mrr=[0-9.]+"], "--score: score regex"),
        (["--provider", "command"], "--provider command needs --command"),
    ],
)
def test_init_bad_flags(speed_repo: Path, flags: list[str], message: str) -> None:
    result = cli(speed_repo, "init", "--yes", "--no-generate", *flags)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (speed_repo / "improve.md").exists()


def test_init_reports_a_benchmark_without_score(speed_repo: Path) -> None:
    (speed_repo / "bench.py").write_text("print('done')\n")
    result = cli(speed_repo, "init", "--yes", "--no-generate", "--provider", "tune")
    assert result.returncode == 4
    assert "gave no score" in result.stdout


def test_plan_asks_only_what_it_cannot_infer(speed_repo: Path) -> None:
    questions: list[str] = []

    def ask(question: str, default: str) -> str:
        questions.append(question)
        return {"goal kind": "memory"}.get(question.split(" (")[0], default)

    args = argparse.Namespace(
        kind=None,
        goal=None,
        run=None,
        score=None,
        test=None,
        scope=None,
        golden=None,
        provider="tune",
        command=None,
        name="tk",
    )
    config, harness = init.plan(init.detect(speed_repo), args, ask, speed_repo / "improve.md")
    assert config.check.kind == "memory" and config.check.goal == "lower"
    assert not any(q.startswith("who proposes") for q in questions)  # given as a flag
    assert list(harness) == [init.MEMORY_HARNESS]  # a bench.py times; memory needs its own
    assert harness[init.MEMORY_HARNESS] is None  # written from the code in scope, later
    assert config.check.run == f"python {init.MEMORY_HARNESS}"
    assert config.check.score is not None and config.check.score.pattern.endswith(" KiB")
    # The scope is asked before the benchmark: the benchmark times what the scope names.
    assert questions.index("what may the agent change (paths/globs)") < len(questions)


def test_plan_offers_the_users_own_benchmark_first(speed_repo: Path) -> None:
    asked: dict[str, str] = {}

    def ask(question: str, default: str) -> str:
        asked[question] = default
        return default

    args = argparse.Namespace(
        kind="speed", goal=None, run=None, score=None, test=None, scope=None, golden=None,
        provider="tune", command=None, name="tk",
    )  # fmt: skip
    config, harness = init.plan(init.detect(speed_repo), args, ask, speed_repo / "improve.md")
    assert asked["benchmark command (prints the score)"] == "python bench.py"
    assert harness == {} and config.check.run == "python bench.py"
    assert config.check.score is None  # the user's benchmark prints SCORE: itself


LIBRARY = {
    "src/tally/__init__.py": "from tally.core import checksum, Counter\n",
    "src/tally/core.py": (
        "def checksum(text, rounds=1):\n"
        "    total = 0\n"
        "    for _ in range(rounds):\n"
        "        for ch in text:\n"
        "            total = (total * 31 + ord(ch)) % 1000003\n"
        "    return total\n\n\n"
        "class Counter:\n"
        "    def __init__(self, start=0):\n"
        "        self.value = start\n\n"
        "    def add(self, items):\n"
        "        for item in items:\n"
        "            self.value += item\n"
        "        return self.value\n\n"
        "    def peek(self, offset):\n"
        "        if offset < 0:\n"
        "            raise ValueError('negative')\n"
        "        return self.value + offset\n"
    ),
    "tests/test_core.py": (
        "import pytest\nfrom tally import checksum, Counter\n\n"
        "def test_checksum():\n    assert checksum('abc' * 50) == checksum('abc' * 50, 1)\n\n"
        "def test_counter():\n    c = Counter(2)\n    assert c.add([1, 2, 3]) == 8\n"
        "    assert c.peek(1) == 9\n\n"
        "def test_negative():\n    with pytest.raises(ValueError):\n"
        "        Counter().peek(-1)\n"
    ),
    "pyproject.toml": (
        '[project]\nname = "tally"\n[tool.pytest.ini_options]\npythonpath = ["src"]\n'
    ),
}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "tally"
    for name, text in LIBRARY.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "init", "-q")
    return root


def test_init_writes_a_benchmark_that_times_the_code_in_scope(library: Path) -> None:
    result = cli(library, "init", "--yes", "--kind", "speed", "--provider", "tune", "--no-generate")
    assert result.returncode == 0, result.stdout + result.stderr
    config = load_config(library)
    assert config.check.run == f"python {init.SPEED_HARNESS}"
    assert config.check.score is not None and config.check.score.pattern == r"SCORE: ([\d.]+) ms"
    assert init.SPEED_HARNESS in config.check.frozen  # frozen by the lock
    script = (library / init.SPEED_HARNESS).read_text()
    # Recorded from the tests: the arguments they really pass, and not the call that raised.
    assert "('tally.core', 'checksum', 'function', ('abc' * 50, 1), {}, None, False)" in script
    assert "'Counter.add'" in script and "'Counter.peek'" in script
    assert "(-1,)" not in script
    # Counter.add changes its instance: every call gets a fresh one.
    assert "('tally.core', 'Counter.add', 'method', ([1, 2, 3],), {}, ((2,), {}), True)" in script
    # The noise was measured and repeats set from it, out loud.
    assert "benchmark noise" in result.stdout or "benchmark no noise" in result.stdout
    assert config.check.repeats is not None
    assert f"repeats: {config.check.repeats} in improve.md" in result.stdout
    assert "baseline score:" in result.stdout and " ms (lower is better)" in result.stdout
    run = subprocess.run(
        [sys.executable, init.SPEED_HARNESS], cwd=library, capture_output=True, text=True
    )
    assert run.returncode == 0 and config.check.score.search(run.stdout), run.stdout + run.stderr


def test_init_memory_benchmark_reports_kib(library: Path) -> None:
    result = cli(
        library, "init", "--yes", "--kind", "memory", "--provider", "tune", "--no-generate"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert load_config(library).check.run == f"python {init.MEMORY_HARNESS}"
    assert "KiB (lower is better)" in result.stdout
    assert "repeats: 1 in improve.md (one run decides)" in result.stdout  # allocation is exact


def test_init_keeps_the_repeats_it_is_given(library: Path) -> None:
    result = cli(
        library, "init", "--yes", "--kind", "speed", "--provider", "tune", "--no-generate",
        "--repeats", "7",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert load_config(library).check.repeats == 7
    assert "repeats: 7 (from --repeats)" in result.stdout


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--provider", "claude"], "provider claude: `claude` is not on PATH"),
        (["--provider", "command", "--command", "no-such-agent --go"], "`no-such-agent`"),
        (["--provider", "tune", "--scope", "src/tallyy/*.py"], "matches no file"),
    ],
)
def test_init_checks_its_answers_before_writing_anything(
    library: Path, flags: list[str], message: str
) -> None:
    env_path = os.environ.get("PATH", "")
    result = subprocess.run(
        [sys.executable, "-m", "pytest_autoimprove", "init", "--yes", "--kind", "speed", *flags],
        cwd=library,
        capture_output=True,
        text=True,
        timeout=300,
        # A PATH without any agent CLI, as on a fresh machine.
        env={**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"},
    )
    assert env_path  # the test's own PATH is untouched
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (library / "improve.md").exists()
    assert not (library / init.SPEED_HARNESS).exists()


def test_infer_score_regex_prefers_named_scores() -> None:
    assert init.infer_score_regex("hit=0.5 mrr=0.3\ncombined_score: 0.4\n") == (
        r"combined_score\s*[=:]\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    )
    assert init.infer_score_regex("loaded 3 files\naccuracy=0.91") is not None
    assert init.infer_score_regex("no numbers here") is None
