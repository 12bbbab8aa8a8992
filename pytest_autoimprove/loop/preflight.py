"""The checks a run passes before it creates anything: no worktree, branch or run folder
exists until they do.

The loop runs on HEAD, so everything is checked as committed: improve.md (committed,
well formed, without snapshot-update flags), the guard lock (committed, and holding
for HEAD's files), every ``scope:`` pattern (it matches a file), and the proposer
(its program is installed and answers; :mod:`pytest_autoimprove.proposers.check`).
Problems of improve.md are reported together, each with its line. What needs a
tree to run in (the tests pass, the benchmark prints a score the ``score:`` regex
finds) is the baseline's job; when that fails, the run removes what it created
(:func:`pytest_autoimprove.loop.leftovers.remove`), so a run that cannot start
leaves nothing behind either way.

An improve.md edited but not committed is not what runs: the run says which fields
differ from HEAD's, so nobody waits all night on a ``repeats: 10`` that never applied.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_autoimprove import guard, paths, repo
from pytest_autoimprove.errors import ConfigError, GuardError, UsageError
from pytest_autoimprove.loop.gate import snapshot_flag
from pytest_autoimprove.names import LOCK_PATH

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig

__all__ = ["Preflight", "changed_fields", "check", "check_flags", "no_lock"]


@dataclass(frozen=True)
class Preflight:
    """What the checks found: HEAD's improve.md, and warnings to show.

    :param config: improve.md as committed (its path is the user's file, for messages).
    :param relative: improve.md's path relative to the repository root.
    """

    config: ImproveConfig
    relative: str
    warnings: tuple[str, ...] = ()


def check(
    root: Path,
    improve_file: str | None,
    on_disk: ImproveConfig,
    pytest_args: Sequence[str] = (),
) -> Preflight:
    """Everything a run needs that can be checked without creating anything.

    :param on_disk: improve.md as the user's checkout has it (already parsed).
    :param pytest_args: the other arguments of ``pytest --autoimprove`` (for the gate).
    :raises ConfigError: improve.md is not committed, malformed at HEAD, a scope
        pattern matches nothing, or the proposer's program is missing.
    :raises GuardError: the lock is not committed or does not hold at HEAD.
    """
    from pytest_autoimprove.config import find_config_path, parse_text

    user_path = find_config_path(root, improve_file)
    try:
        relative = user_path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(
            f"{user_path}: improve.md must live inside the repository the loop runs on"
        ) from None
    try:
        head = repo.resolve(root, "HEAD")
    except UsageError:
        raise UsageError(
            f"{root}: the repository has no commit yet; the loop runs on HEAD: commit "
            f"your code, {relative} and {LOCK_PATH} first"
        ) from None
    committed = repo.read_at(root, head, [relative, LOCK_PATH])
    text = committed[relative]
    if text is None:
        raise ConfigError(
            user_path,
            None,
            "not committed: the loop runs on HEAD, which has no such file",
            f"commit it first (`git add {relative} && git commit`)",
        )
    warnings: list[str] = []
    if text != user_path.read_bytes():
        try:
            config = parse_text(text.decode("utf-8", "replace"), user_path)
        except ConfigError as exc:
            raise UsageError(
                f"{relative} as committed (HEAD) is malformed, and the loop runs on HEAD: "
                f"commit your fixed {relative}\n{exc}"
            ) from None
        fields = changed_fields(config, on_disk)
        if fields:
            warnings.append(
                f"{relative} has uncommitted changes to {', '.join(fields)}: the run uses "
                f"the committed values; commit them (`git commit {relative}`) to use yours"
            )
    else:
        config = on_disk
    check_flags(config, pytest_args)
    problems = [*_scope_problems(root, head, config), *_proposer_problems(root, config)]
    if problems:
        raise ConfigError.combine(problems)
    _check_lock(root, head, config, committed[LOCK_PATH])
    return Preflight(config, relative, tuple(warnings))


def check_flags(config: ImproveConfig, pytest_args: Sequence[str]) -> None:
    """No snapshot-update flag in ``test:``, ``run:``, the gate's arguments or
    ``PYTEST_ADDOPTS``: it would rewrite the expected outputs, so every test would pass."""
    for key, text in (("check.test", config.check.test or ""), ("check.run", config.check.run)):
        flag = snapshot_flag(text)
        if flag:
            raise config.error(
                key,
                f"{flag} rewrites expected outputs, so every test run would pass",
                f"remove {flag} from the command",
            )
    flag = snapshot_flag(pytest_args) or snapshot_flag(os.environ.get("PYTEST_ADDOPTS", ""))
    if flag:
        raise UsageError(
            f"{flag}: snapshot-update flags would make every test run pass; "
            "remove it from the command line / PYTEST_ADDOPTS"
        )


def changed_fields(old: ImproveConfig, new: ImproveConfig) -> list[str]:
    """The improve.md fields (``repeats``, ``budget``, ``instructions``) that differ."""
    out: list[str] = []
    for part in ("change", "check", "stop", "agent"):
        before, after = getattr(old, part), getattr(new, part)
        for item in dataclasses.fields(before):
            if getattr(before, item.name) != getattr(after, item.name):
                out.append(_FIELD_NAMES.get(item.name, item.name))
    if old.instructions != new.instructions:
        out.append("instructions")
    if old.name != new.name:
        out.append("the title")
    return list(dict.fromkeys(out))


#: Config attributes whose improve.md field has another name.
_FIELD_NAMES = {"guards": "guard", "notes": "the ## Change prose"}


def _scope_problems(root: Path, head: str, config: ImproveConfig) -> list[ConfigError]:
    files = repo.files_at(root, head)
    problems = []
    for pattern in config.change.scope:
        if not any(paths.matches(name, pattern) for name in files):
            problems.append(
                config.error(
                    "change.scope",
                    f"scope '{pattern}' matches no file in HEAD",
                    "fix the path or glob (relative to the repository root), or commit "
                    "the files it names",
                )
            )
    return problems


def _proposer_problems(root: Path, config: ImproveConfig) -> list[ConfigError]:
    from pytest_autoimprove.proposers.check import program_problem

    found = program_problem(config.agent, root)
    if found is None:
        return []
    problem, fix = found
    key = "agent.command" if "agent.command" in config.lines else "agent.provider"
    return [config.error(key, problem, fix)]


def no_lock(root: Path) -> GuardError:
    """The error for a HEAD without the lock: not committed yet, or not written yet."""
    if guard.lock_file(root).is_file():
        return GuardError(
            f"{LOCK_PATH}: not committed; the loop runs on HEAD: commit it "
            f"(`git add {LOCK_PATH} && git commit`)"
        )
    return GuardError(f"{LOCK_PATH}: not found; run `autoimprove-guard freeze` and commit the lock")


def _check_lock(root: Path, head: str, config: ImproveConfig, data: bytes | None) -> None:
    if data is None:
        raise no_lock(root)
    lock = guard.Lock.loads(data.decode("utf-8", "replace"))
    entries = guard.snapshot_entries(repo.Snapshot(root, head), config, lock.patterns)
    report = guard.Report(lock=lock, against_lock=guard.compare(lock.entries, entries))
    if not report.holds:
        raise GuardError(report.render())
