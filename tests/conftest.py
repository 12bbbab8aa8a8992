"""Suite-wide setup: a git identity for the repositories the tests build, and one
place for Hypothesis' caches.

The tests commit in throwaway repositories (and the loop commits in its worktrees);
on a fresh machine git has no user.name/user.email and refuses. The environment
variables below apply to every git process the tests start, without touching the
machine's git configuration.

Hundreds of the suite's pytest subprocesses run generated guardrails in a fresh
``tmp_path``; with Hypothesis' default storage (``.hypothesis`` in the working
directory) each would build its Unicode tables again (about a second of CPU). They
share the folder the generators' own scratch runs use.
"""

from __future__ import annotations

import os
import subprocess

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
