"""The guard lock: what an optimizer must not touch, frozen by hash.

``.autoimprove/guard.lock`` records the sha256 and size of every frozen file: the
guardrail folder, the files named in ``frozen:`` and ``golden:``, every conftest.py,
the ``## Check`` section of improve.md, and pytest's configuration (only the
pytest section of tox.ini, setup.cfg or pyproject.toml, so editing dependencies
does not trip the guard). ``verify`` compares the tree with the lock; ``verify
--base REF`` also compares it with REF, which catches an agent that re-froze its
own edits. The loop runs the same check after every proposal and every run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_autoimprove import lockcheck, paths
from pytest_autoimprove.compat import tomllib
from pytest_autoimprove.errors import GuardError
from pytest_autoimprove.lockcheck import PYTEST_CONFIG, TOOL
from pytest_autoimprove.names import GUARD_DIR, LOCK_PATH
from pytest_autoimprove.plural import plural
from pytest_autoimprove.repo import GitError, Snapshot
from pytest_autoimprove.sealed import SealedEntry, SealedStatus, sealed_entry, sealed_status

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig

LOCK_FORMAT = 1
_SECTION_SEP = lockcheck.SECTION_SEP


@dataclass(frozen=True, order=True)
class Entry:
    """One frozen item: a file, or a section of one (``tox.ini::[pytest]``)."""

    sha256: str
    size: int


@dataclass(frozen=True)
class Lock:
    """The content of guard.lock."""

    entries: Mapping[str, Entry]
    guard_tests: int = 0
    tool: str = TOOL
    format: int = LOCK_FORMAT
    #: Patterns plugins froze (``pytest_autoimprove_frozen_paths``), recorded so that
    #: checking the lock never needs to load plugins, and agrees with the freeze.
    patterns: tuple[str, ...] = ()
    #: The sealed holdout kept outside the repository (``holdout:``), when recorded.
    sealed: SealedEntry | None = None
    #: What improve.md's ``frozen:`` and ``golden:`` named at freeze time (``None``: not
    #: recorded): the quick check (:mod:`pytest_autoimprove.lockcheck`) uses it while the
    #: ``## Check`` section it was read from still hashes the same.
    check_patterns: tuple[str, ...] | None = None

    def dumps(self) -> str:
        """Deterministic, sorted, one line per entry: reviewable in a diff."""
        lines = [
            "# pytest-autoimprove guard lock: what an optimizer must not touch.",
            "# Written by `autoimprove-guard freeze`; checked by `autoimprove-guard verify`.",
            f"format = {self.format}",
            f"tool = {json.dumps(self.tool)}",
            f"guard_tests = {self.guard_tests}",
            f"extra_patterns = {json.dumps(list(self.patterns))}",
        ]
        if self.check_patterns is not None:
            lines.append(f"check_patterns = {json.dumps(list(self.check_patterns))}")
        if self.sealed is not None:
            lines.append(
                f"sealed_holdout = {{ source = {json.dumps(self.sealed.source)}, "
                f'sha256 = "{self.sealed.sha256}", size = {self.sealed.size} }}'
            )
        lines += ["", "[files]"]
        for name in sorted(self.entries):
            entry = self.entries[name]
            lines.append(
                f'{json.dumps(name)} = {{ sha256 = "{entry.sha256}", size = {entry.size} }}'
            )
        return "\n".join(lines) + "\n"

    @classmethod
    def loads(cls, text: str, source: str = LOCK_PATH) -> Lock:
        """Read a lock; the fixed shape written by :meth:`dumps` is read without tomllib.

        tomllib takes longer than hashing a large lock's files would, and the lock is
        read on every guarded pytest session; a hand-edited lock falls back to it.
        """
        fast = _loads_fast(text)
        if fast is not None:
            return fast
        try:
            data = tomllib.loads(text)
            files = data.get("files", {})
            entries = {
                str(name): Entry(str(value["sha256"]), int(value["size"]))
                for name, value in files.items()
            }
            sealed = data.get("sealed_holdout")
            return cls(
                entries=entries,
                guard_tests=int(data.get("guard_tests", 0)),
                tool=str(data.get("tool", "")),
                format=int(data.get("format", LOCK_FORMAT)),
                patterns=tuple(str(p) for p in data.get("extra_patterns", ())),
                check_patterns=tuple(str(p) for p in data["check_patterns"])
                if "check_patterns" in data
                else None,
                sealed=SealedEntry(
                    str(sealed["source"]), str(sealed["sha256"]), int(sealed["size"])
                )
                if sealed
                else None,
            )
        except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise GuardError(
                f"{source}: unreadable lock ({exc}); restore it from git or run "
                "`autoimprove-guard freeze`"
            ) from None


def _loads_fast(text: str) -> Lock | None:
    parsed = lockcheck.parse_lock(text)
    if parsed is None:
        return None
    header, entries = parsed
    sealed = header.get("sealed")
    return Lock(
        {name: Entry(*value) for name, value in entries.items()},
        header["guard_tests"],
        header["tool"],
        header["format"],
        header.get("extra_patterns", ()),
        SealedEntry(*sealed) if sealed else None,
        header.get("check_patterns"),
    )


@dataclass(frozen=True)
class Difference:
    """How a tree differs from a lock (or from another tree)."""

    changed: tuple[tuple[str, Entry, Entry], ...] = ()
    missing: tuple[tuple[str, Entry], ...] = ()
    added: tuple[tuple[str, Entry], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def holds(self) -> bool:
        return not (self.changed or self.missing or self.added or self.notes)

    def paths(self) -> list[str]:
        return sorted(
            [name for name, _, _ in self.changed]
            + [name for name, _ in self.missing]
            + [name for name, _ in self.added]
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "holds": self.holds,
            "changed": [
                {"path": name, "locked": _entry_json(old), "now": _entry_json(new)}
                for name, old, new in self.changed
            ],
            "missing": [{"path": name, "locked": _entry_json(old)} for name, old in self.missing],
            "added": [{"path": name, "now": _entry_json(new)} for name, new in self.added],
            "notes": list(self.notes),
        }

    def table(self, before: str = "locked") -> str:
        """A table a person reads at a glance: status, path, ``before`` -> now."""
        rows: list[tuple[str, str, str]] = []
        rows += [
            ("changed", name, f"{_short(old)} -> {_short(new)}") for name, old, new in self.changed
        ]
        rows += [("missing", name, f"{_short(old)} -> gone") for name, old in self.missing]
        rows += [("added", name, f"new {_short(new)}") for name, new in self.added]
        if not rows:
            return ""
        width = max(len(name) for _, name, _ in rows)
        lines = [f"  {'status':<8} {'path':<{width}}  {before} -> now"]
        lines += [f"  {status:<8} {name:<{width}}  {detail}" for status, name, detail in rows]
        return "\n".join(lines)


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {"sha256": entry.sha256, "size": entry.size}


def _short(entry: Entry) -> str:
    return f"{entry.sha256[:10]} ({entry.size} B)"


def compare(expected: Mapping[str, Entry], actual: Mapping[str, Entry]) -> Difference:
    changed = tuple(
        (name, expected[name], actual[name])
        for name in sorted(expected.keys() & actual.keys())
        if expected[name] != actual[name]
    )
    missing = tuple((name, expected[name]) for name in sorted(expected.keys() - actual.keys()))
    added = tuple((name, actual[name]) for name in sorted(actual.keys() - expected.keys()))
    return Difference(changed, missing, added)


# ---------------------------------------------------------------------------
# What is frozen


def frozen_patterns(config: ImproveConfig | None, extra: Iterable[str] = ()) -> list[str]:
    """Path patterns frozen for ``config``: the guard folder, ``frozen:``, ``golden:``."""
    patterns = [GUARD_DIR]
    if config is not None:
        patterns += list(config.check.frozen)
        if config.check.golden:
            patterns.append(config.check.golden)
    patterns += list(extra)
    return list(dict.fromkeys(paths.normalize(p) for p in patterns if paths.normalize(p)))


def _check_patterns(config: ImproveConfig | None) -> tuple[str, ...] | None:
    """What improve.md's ``## Check`` freezes, for the lock's record (``None``: no record;
    a sealed holdout is always left to the full check)."""
    if config is None or config.check.holdout:
        return None
    return tuple(frozen_patterns(config)[1:])


def is_protected(
    path: str, root: Path, config: ImproveConfig | None, extra: Iterable[str] = ()
) -> bool:
    """Whether a proposal may not touch ``path``: frozen, improve.md, the lock, pytest config."""
    path = paths.normalize(path)
    name = path.rsplit("/", 1)[-1]
    if name == "conftest.py" or path.startswith(".autoimprove/"):
        return True
    if path in {config_file for config_file, _ in PYTEST_CONFIG}:
        return True
    if config is not None and path == config_path_in(root, config):
        return True
    return paths.matches_any(path, frozen_patterns(config, extra))


def config_path_in(root: Path, config: ImproveConfig) -> str:
    """improve.md's path relative to ``root`` (it may live in a subfolder)."""
    try:
        return config.path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return config.path.name


def snapshot_entries(
    tree: Snapshot, config: ImproveConfig | None, extra: Iterable[str] = ()
) -> dict[str, Entry]:
    """Hash everything frozen in ``tree`` (the work tree or a commit)."""
    patterns = frozen_patterns(config, extra)
    improve_md = config_path_in(tree.root, config) if config is not None else None
    if tree.ref is None:
        try:
            found = lockcheck.snapshot(tree.root, patterns, improve_md)
        except GitError:  # not a repository: every file under the root
            found = _snapshot_of(tree, tree.files(), patterns, improve_md)
    else:
        found = _snapshot_of(tree, tree.files(), patterns, improve_md)
    return {name: Entry(*value) for name, value in found.items()}


def _snapshot_of(
    tree: Snapshot, files: Sequence[str], patterns: Sequence[str], improve_md: str | None
) -> dict[str, lockcheck.Digest]:
    frozen = lockcheck.frozen_names(files, patterns)
    if tree.ref is None:
        found = lockcheck.hash_files(tree.root, frozen)
    else:
        contents = tree.read(frozen)
        found = {name: lockcheck.digest(d) for name, d in contents.items() if d is not None}
    listed = set(files)
    config_files = {name for name, _ in PYTEST_CONFIG if name in listed}
    if improve_md and improve_md in listed:
        config_files.add(improve_md)
    found.update(lockcheck.section_digests(tree.read(sorted(config_files)), improve_md))
    return found


# ---------------------------------------------------------------------------
# Freeze and verify


def lock_file(root: Path) -> Path:
    return root / LOCK_PATH


def read_lock(root: Path) -> Lock:
    path = lock_file(root)
    if not path.is_file():
        raise GuardError(
            f"{LOCK_PATH}: not found in {root}; run `autoimprove-guard freeze` to create it"
        )
    return Lock.loads(path.read_text(encoding="utf-8"))


def locked_patterns(root: Path) -> tuple[str, ...]:
    """The plugin patterns the lock recorded at freeze time (none without a lock)."""
    try:
        return read_lock(root).patterns
    except GuardError:
        return ()


def plugin_patterns(root: Path, config: ImproveConfig | None) -> list[str]:
    """What installed plugins freeze through ``pytest_autoimprove_frozen_paths``.

    Asked only when freezing (the CLI's hook manager: built-ins and the
    ``pytest_autoimprove`` entry points); the answer is recorded in the lock.
    """
    from pytest_autoimprove.manager import standalone_manager

    answers = standalone_manager().hook.pytest_autoimprove_frozen_paths(root=root, config=config)
    return [str(pattern) for answer in answers if answer for pattern in answer]


def freeze_repo(root: Path, config: ImproveConfig | None) -> Lock:
    """``autoimprove-guard freeze``: count the guard tests, ask plugins, write the lock."""
    return freeze(
        root,
        config,
        guard_tests=count_guard_tests(root),
        extra=plugin_patterns(root, config),
    )


def freeze(
    root: Path,
    config: ImproveConfig | None,
    *,
    guard_tests: int,
    extra: Iterable[str] = (),
) -> Lock:
    """Hash everything frozen and write the lock; returns it.

    A ``frozen:`` entry that names nothing is an error: a typo there would leave
    the eval harness unguarded without anyone noticing.
    """
    if config is not None:
        for pattern in config.check.frozen:
            if not paths.expand(root, [pattern]):
                raise config.error(
                    "check.frozen",
                    f"frozen: {pattern!r} matches no file",
                    "fix the path (relative to the repo root) or remove it",
                )
    extra = tuple(dict.fromkeys(paths.normalize(p) for p in extra if paths.normalize(p)))
    lock = Lock(
        entries=snapshot_entries(Snapshot(root), config, extra),
        guard_tests=guard_tests,
        patterns=extra,
        sealed=sealed_entry(root, config),
        check_patterns=_check_patterns(config),
    )
    path = lock_file(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(lock.dumps(), encoding="utf-8")
    return lock


@dataclass(frozen=True)
class Report:
    """The outcome of ``verify``: against the lock, and against ``--base`` when given."""

    lock: Lock
    against_lock: Difference
    base: str | None = None
    against_base: Difference | None = None
    lock_changed_since_base: bool = False
    messages: tuple[str, ...] = field(default=())
    sealed: SealedStatus | None = None

    @property
    def holds(self) -> bool:
        return (
            self.against_lock.holds
            and (self.against_base is None or self.against_base.holds)
            and not self.lock_changed_since_base
            and (self.sealed is None or self.sealed.state != "changed")
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "holds": self.holds,
            "lock": LOCK_PATH,
            "entries": len(self.lock.entries),
            "guard_tests": self.lock.guard_tests,
            "against_lock": self.against_lock.to_json(),
        }
        if self.base is not None:
            data["base"] = self.base
            data["lock_changed_since_base"] = self.lock_changed_since_base
            data["against_base"] = self.against_base.to_json() if self.against_base else None
        if self.sealed is not None:
            data["sealed_holdout"] = {
                "source": self.sealed.source,
                "state": self.sealed.state,
                "message": self.sealed.message,
            }
        return data

    def render(self) -> str:
        """What a person reads: one summary line, then a table per comparison."""
        n = len(self.lock.entries)
        sealed = [self.sealed.message] if self.sealed is not None else []
        if self.holds:
            where = f" and matches {self.base}" if self.base else ""
            return "\n".join(
                [
                    f"guard lock holds: {n} frozen entries, {self.lock.guard_tests} guard "
                    f"tests{where}",
                    *sealed,
                ]
            )
        out = [f"guard lock does not hold ({LOCK_PATH}):", *sealed]
        if not self.against_lock.holds:
            count = len(self.against_lock.paths())
            out.append(f"{_entries(count)} from the lock:")
            out.append(self.against_lock.table())
        if self.lock_changed_since_base:
            out.append(f"the lock itself changed since {self.base} (a re-freeze needs review)")
        if self.against_base is not None and not self.against_base.holds:
            count = len(self.against_base.paths())
            out.append(f"{_entries(count)} from {self.base}:")
            out.append(self.against_base.table(before=str(self.base)))
        out.append(
            "fix: restore the frozen files (`git checkout -- <path>`), or, if the change is "
            "yours and intended, run `autoimprove-guard freeze` and commit the lock"
        )
        return "\n".join(line for line in out if line)


def _entries(count: int) -> str:
    """``1 frozen entry differs`` / ``3 frozen entries differ``."""
    return plural(count, "frozen entry differs", "frozen entries differ")


def verify(
    root: Path,
    config: ImproveConfig | None,
    *,
    base: str | None = None,
    extra: Iterable[str] = (),
) -> Report:
    """Compare the work tree with the lock (and with ``base`` when given)."""
    lock = read_lock(root)
    extra = [*lock.patterns, *extra]
    now = snapshot_entries(Snapshot(root), config, extra)
    sealed = sealed_status(root, config, lock)
    report = Report(lock=lock, against_lock=compare(lock.entries, now), sealed=sealed)
    if base is None:
        return report
    then_tree = Snapshot(root, base)
    lock_then = then_tree.read([LOCK_PATH]).get(LOCK_PATH)
    then = snapshot_entries(then_tree, _config_at(then_tree, config), extra)
    return Report(
        lock=lock,
        against_lock=report.against_lock,
        base=base,
        against_base=compare(then, now),
        lock_changed_since_base=lock_then != lock_file(root).read_bytes(),
        sealed=sealed,
    )


def _config_at(tree: Snapshot, config: ImproveConfig | None) -> ImproveConfig | None:
    """improve.md as it was in ``tree``, so its ``frozen:`` list applies there."""
    if config is None:
        return None
    from pytest_autoimprove.config import parse_text
    from pytest_autoimprove.errors import ConfigError

    name = config_path_in(tree.root, config)
    data = tree.read([name]).get(name)
    if data is None:
        return config
    try:
        return parse_text(data.decode("utf-8", "replace"), config.path)
    except ConfigError:
        return config


def verify_for_pytest(start: Path, improve_file: str | None) -> tuple[str, int] | None:
    """``--autoimprove-verify``: ``None`` when the lock holds, else (report, exit code)."""
    from pytest_autoimprove.config import find_config_path, load_config
    from pytest_autoimprove.errors import AutoimproveError, ExitCode
    from pytest_autoimprove.repo import find_root

    root = find_root(start)
    try:
        config = (
            load_config(root, improve_file)
            if improve_file or find_config_path(root).is_file()
            else None
        )
        report = verify(root, config)
    except AutoimproveError as exc:
        return f"autoimprove: {exc}", int(exc.exit_code)
    if report.holds:
        return None
    return report.render(), int(ExitCode.GUARD_BROKEN)


_COUNT_SCRIPT = """
import sys, pytest
class Count:
    items = None
    def pytest_collection_finish(self, session):
        Count.items = sum(1 for i in session.items if i.get_closest_marker("autoimprove_guard"))
code = pytest.main(sys.argv[1:], plugins=[Count()])
print(f"\\nautoimprove-guard-tests={Count.items}")
sys.exit(code)
"""


def count_guard_tests(root: Path, *, timeout: float = 300.0) -> int:
    """How many guard tests pytest collects in the guard folder (what the gate must see run).

    Counted by a plugin inside the collecting process, not by parsing pytest's
    output, whose shape depends on the project's ``addopts`` (``-q`` twice...).
    """
    import sys as _sys

    from pytest_autoimprove.process import run_command

    folder = root / GUARD_DIR
    if not folder.is_dir() or not any(folder.rglob("*.py")):
        return 0
    result = run_command(
        [
            _sys.executable,
            "-c",
            _COUNT_SCRIPT,
            "--collect-only",
            "-p",
            "no:cacheprovider",
            "-m",
            "autoimprove_guard",
            GUARD_DIR,
        ],
        cwd=root,
        timeout=timeout,
    )
    counts = re.findall(r"^autoimprove-guard-tests=(\d+)$", result.output, re.MULTILINE)
    if result.timed_out or result.returncode not in (0, 5) or not counts:
        raise GuardError(
            f"{GUARD_DIR}: the guard tests do not collect (pytest exit {result.returncode}):\n"
            f"{result.tail(15)}\n"
            "fix the error above, or regenerate with `autoimprove-guard generate`"
        )
    return int(counts[-1])
