"""Suite-wide setup: a git identity for the repositories the tests build, and one
place for Hypothesis' caches.

The tests commit in throwaway repositories (and the loop commits in its worktrees);
on a fresh machine git has no user.name/user.email and refuses. The environment
variables below apply to every git process the tests start, without touching the
machine's git configuration.

On two workers (``-n 2 --dist loadfile``) the run ends when the last file does: files
with tests marked ``slow`` (tens of seconds each, end to end) go first, the most
seconds first, so no long file starts while the other worker has nothing left.

Hundreds of the suite's pytest subprocesses run generated guardrails in a fresh
``tmp_path``; with Hypothesis' default storage (``.hypothesis`` in the working
directory) each would build its Unicode tables again (about a second of CPU). They
share the folder the generators' own scratch runs use.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from pytest_autoimprove.generators import hypothesis_cache

_IDENTITY = {
    "GIT_AUTHOR_NAME": "autoimprove tests",
    "GIT_AUTHOR_EMAIL": "tests@localhost",
    "GIT_COMMITTER_NAME": "autoimprove tests",
    "GIT_COMMITTER_EMAIL": "tests@localhost",
}


def _has_identity() -> bool:
    done = subprocess.run(
        ["git", "config", "--get", "user.email"], capture_output=True, text=True, check=False
    )
    return bool(done.stdout.strip())


if not _has_identity():
    for key, value in _IDENTITY.items():
        os.environ.setdefault(key, value)

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(hypothesis_cache()))


#: Seconds a test marked ``slow`` without a figure is counted as.
SLOW_SECONDS = 20


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow(seconds=20): an end-to-end test of tens of seconds; its file is run first",
    )
    # xdist would order files by their number of tests (a one-test file of a minute
    # last): keep the order below instead.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Files by the seconds their ``slow`` tests say, most first; the rest as collected."""
    seconds: Counter[Path] = Counter()
    for item in items:
        mark = item.get_closest_marker("slow")
        if mark is not None:
            seconds[item.path] += mark.kwargs.get("seconds", SLOW_SECONDS)
    first = {path: i for i, path in enumerate(dict.fromkeys(item.path for item in items))}
    items.sort(key=lambda item: (-seconds[item.path], first[item.path]))
