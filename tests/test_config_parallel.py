"""improve.md's parallel fields: ``part:`` lines, ``workers``, ``backend``, ``address``."""

from __future__ import annotations

import pytest

from pytest_autoimprove.config import Part, parse_text, render
from pytest_autoimprove.errors import ConfigError

BASE = """\
# autoimprove: pipe

## Change
{change}

## Check
run: python bench.py
goal: higher

## Agent
provider: command
command: ./agent
{agent}
"""


def parse(change: str = "scope: src/a.py", agent: str = "") -> object:
    return parse_text(BASE.format(change=change, agent=agent), "improve.md")


def test_parts_each_have_a_scope_and_the_run_may_touch_all_of_them() -> None:
    config = parse_text(
        BASE.format(
            change="part: tokenizer = src/pipe/tokenize.py\n"
            "part: ranker = src/pipe/rank.py, src/pipe/score/*.py\n"
            "exclude: src/pipe/score/legacy.py",
            agent="workers: 4\nbackend: ray\naddress: auto",
        )
    )
    change = config.change
    assert change.parts == (
        Part("tokenizer", ("src/pipe/tokenize.py",)),
        Part("ranker", ("src/pipe/rank.py", "src/pipe/score/*.py")),
    )
    assert change.in_scope("src/pipe/tokenize.py") and change.in_scope("src/pipe/score/x.py")
    assert not change.in_scope("src/pipe/score/legacy.py") and not change.in_scope("README.md")
    ranker = change.for_part("ranker")
    assert ranker.in_scope("src/pipe/rank.py") and not ranker.in_scope("src/pipe/tokenize.py")
    assert "`ranker`" in ranker.notes
    assert (config.agent.workers, config.agent.backend, config.agent.address) == (4, "ray", "auto")
    assert parse_text(render(config)) == config


def test_a_file_without_parts_means_what_it_did() -> None:
    config = parse_text(BASE.format(change="scope: src/a.py", agent=""))
    assert config.change.parts == ()
    assert (config.agent.workers, config.agent.backend, config.agent.address) == (1, "local", None)
    assert config.change.in_scope("src/a.py") and not config.change.in_scope("src/b.py")


@pytest.mark.parametrize(
    ("change", "agent", "message"),
    [
        ("part: tokenizer", "", "improve.md:4: part 'tokenizer' is not `NAME = paths`"),
        ("part: tok = the tokenizer", "", "improve.md:4: part 'tok' names no paths"),
        ("part: a = x.py\npart: a = y.py", "", "improve.md:4: part 'a' is named twice"),
        ("scope: a.py", "workers: 0", "improve.md:13: workers: '0' must be at least 1"),
        (
            "scope: a.py",
            "backend: rey",
            "improve.md:13: backend 'rey' is not local or ray; did you mean 'ray'?",
        ),
    ],
)
def test_bad_parallel_fields_are_one_line_errors(change: str, agent: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_text(BASE.format(change=change, agent=agent), "improve.md")
    assert str(info.value).startswith(message), str(info.value)
