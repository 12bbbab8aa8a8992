"""The first night, end to end, as a new user lives it (issue 13).

A small library with its own tests and a speed goal; `autoimprove-guard init` with the
defaults and a scripted proposer; commit; `pytest --autoimprove` with a proposer that
makes the scoped code honestly ~30 % faster (it removes a pass over the input that
nothing needs). The benchmark init wrote must move by about that much (it times the
code in scope, not pytest's start-up), the change must be kept, and `clean` must leave
the repository as it was before the run, apart from the kept branch.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

LIBRARY = {
    "src/tinyq/__init__.py": '''"""A tiny query language: `.store.books[0].title | upper`."""

from tinyq.lexer import tokenize
from tinyq.parser import parse

__all__ = ["parse", "tokenize"]
''',
    "src/tinyq/lexer.py": '''"""Turns a query into (kind, value) tokens."""

OPERATORS = ".[]|(),"


def tokenize(text):
    """The tokens of ``text``; ValueError on a character that starts none."""
    tokens = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch.isalpha() or ch == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            tokens.append(("name", text[i:j]))
            i = j
        elif ch.isdigit():
            j = i
            while j < n and text[j].isdigit():
                j += 1
            tokens.append(("number", int(text[i:j])))
            i = j
        elif ch == '"':
            j = text.index('"', i + 1)
            tokens.append(("string", text[i + 1 : j]))
            i = j + 1
        elif ch in OPERATORS:
            tokens.append(("op", ch))
            i += 1
        else:
            raise ValueError(f"unexpected {ch!r} at {i}")
    _audit(text)
    return tokens


def _audit(text):
    # A second pass over the text that nothing needs.
    total = 0
    for ch in text:
        total = (total * 31 + ord(ch)) % 1000003
    return total
''',
    "src/tinyq/parser.py": '''"""Parses a query into pipeline stages of steps."""

from tinyq.lexer import tokenize


def parse(text):
    """Stages of steps: ("field", name), ("index", n), ("call", name), ("identity", None)."""
    tokens = tokenize(text)
    stages, steps = [], []
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        if (kind, value) == ("op", "|"):
            stages.append(steps)
            steps = []
            i += 1
        elif (kind, value) == ("op", "."):
            if i + 1 < len(tokens) and tokens[i + 1][0] == "name":
                steps.append(("field", tokens[i + 1][1]))
                i += 2
            else:
                steps.append(("identity", None))
                i += 1
        elif (kind, value) == ("op", "["):
            steps.append(("index", tokens[i + 1][1]))
            i += 3
        elif kind == "name":
            steps.append(("call", value))
            i += 1
        else:
            raise ValueError(f"unexpected token {value!r}")
    stages.append(steps)
    return stages
''',
    "tests/test_tinyq.py": """import pytest

from tinyq import parse, tokenize

QUERY = ".store.books[0].title | upper | " * 3 + ".x"


def test_tokenize():
    assert tokenize(".a.b") == [("op", "."), ("name", "a"), ("op", "."), ("name", "b")]
    assert tokenize('[12] "hi"') == [("op", "["), ("number", 12), ("op", "]"), ("string", "hi")]


def test_long_queries():
    assert len(tokenize(QUERY * 20)) == 760
    assert len(parse(QUERY * 20)) == 121


def test_parse():
    assert parse(".a[0] | length") == [[("field", "a"), ("index", 0)], [("call", "length")]]


def test_stray_character():
    with pytest.raises(ValueError):
        tokenize(".a ; .b")
""",
    "pyproject.toml": """[project]
name = "tinyq"
version = "0.1"

[tool.pytest.ini_options]
pythonpath = ["src"]
testpaths = ["tests"]
""",
    ".gitignore": "__pycache__/\n",
}

AGENT = """\
from pathlib import Path

path = Path("src/tinyq/lexer.py")
path.write_text(path.read_text().replace("    _audit(text)\\n", ""))
print("DESCRIPTION: drop the audit pass from tokenize")
"""


def run(root: Path, *argv: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTHONPATH")}
    return subprocess.run(
        list(argv),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,  # no terminal: init takes its defaults
    )


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


def repository(root: Path) -> dict[str, object]:
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not relative.startswith(".git/") and "__pycache__" not in relative:
            files[relative] = path.read_bytes()
    return {
        "files": files,
        "refs": git(root, "for-each-ref", "--format=%(refname) %(objectname)"),
        "head": git(root, "symbolic-ref", "HEAD"),
        "status": git(root, "status", "--porcelain", "--ignored"),
        "worktrees": git(root, "worktree", "list", "--porcelain"),
        "exclude": (root / ".git" / "info" / "exclude").read_text(),
    }


@pytest.mark.slow(seconds=35)
def test_the_first_night(tmp_path: Path) -> None:
    root = tmp_path / "tinyq"
    for name, text in LIBRARY.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    agent = tmp_path / "agent.py"
    agent.write_text(AGENT)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "commit.gpgsign=false", "commit", "-qm", "tinyq")
    guard = [sys.executable, "-m", "pytest_autoimprove"]

    # init, accepting every default but the proposer.
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(agent))}"
    done = run(root, *guard, "init", "--provider", "command", "--command", command)
    assert done.returncode == 0, done.stdout + done.stderr
    said = " ".join(done.stdout.split())
    assert "wrote autoimprove_bench.py: it times 2 targets in scope" in said
    assert "recorded from your tests" in said
    assert "repeats:" in said and "in improve.md" in said
    improve = (root / "improve.md").read_text()
    assert "run: python autoimprove_bench.py" in improve and "kind: speed" in improve
    assert "frozen: autoimprove_bench.py" in improve
    git_add = next(line for line in done.stdout.splitlines() if "git add" in line)
    subprocess.run(git_add.strip(), shell=True, cwd=root, check=True, capture_output=True)
    before = repository(root)

    # The loop: the honest speed-up moves the generated benchmark by about as much.
    done = run(root, sys.executable, "-m", "pytest", "--autoimprove", "--autoimprove-rounds", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    runs = sorted((root / ".autoimprove" / "runs").iterdir())
    events = [json.loads(line) for line in (runs[-1] / "journal.jsonl").read_text().splitlines()]
    [record] = [e["record"] for e in events if e["event"] == "experiment"]
    assert record["status"] == "kept", done.stdout
    assert record["description"] == "drop the audit pass from tokenize"
    # Removing the pass makes tokenize ~30 % faster; pytest's start-up does not dilute it.
    assert -0.55 < record["relative_delta"] < -0.15, record
    [baseline] = [e for e in events if e["event"] == "baseline"]
    assert (baseline["metric"], baseline["unit"]) == ("time", "ms")

    # The report reads to the end of a short pipe without a traceback.
    done = subprocess.run(
        f"{shlex.join(guard)} report | head -3",
        shell=True,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr and len(done.stdout.splitlines()) == 3

    # clean: the repository is as it was before the run, but for the kept branch.
    done = run(root, *guard, "clean")
    assert done.returncode == 0, done.stdout + done.stderr
    after = repository(root)
    branch = f"refs/heads/autoimprove/{runs[-1].name}"
    assert branch in str(after["refs"])
    kept_ref = next(line for line in str(after["refs"]).splitlines() if line.startswith(branch))
    assert str(after["refs"]).replace(kept_ref + "\n", "") == before["refs"]
    assert {k: v for k, v in after.items() if k != "refs"} == {
        k: v for k, v in before.items() if k != "refs"
    }
