"""The sealed holdout: golden rows kept outside the repository, scored only by the guard.

Anything committed is readable by an agent, through git history too, so the holdout
``generate`` splits off the golden set stops overfitting but not a determined
memorizer. ``holdout:`` in improve.md names a second holdout that never enters the
repository: ``env:NAME`` (a variable holding the file's path, set from a CI secret)
or an absolute path. ``generate`` scores the baseline on it where it is available and
records the result in ``tests/autoimprove_guard/sealed_holdout.json``; ``freeze``
puts its hash in the lock; ``verify`` says plainly whether it is present and
unchanged, and ``verify --sealed`` (for CI) scores the current code on it and fails
when it is absent, changed, or scores below the baseline.

It is not a pytest guard test: a guard test must pass, never skip, and the loop's
machine is exactly where the file should be absent.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.names import GUARD_DIR

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig
    from pytest_autoimprove.guard import Lock

__all__ = [
    "RECORD_FILE",
    "SealedEntry",
    "SealedFile",
    "SealedRecord",
    "SealedStatus",
    "locate",
    "read_record",
    "sealed_entry",
    "sealed_status",
]

#: Where ``generate`` records the baseline's score on the sealed holdout.
RECORD_FILE = f"{GUARD_DIR}/sealed_holdout.json"


@dataclass(frozen=True)
class SealedFile:
    """The sealed holdout as this machine sees it: its file, or why there is none."""

    source: str
    path: Path | None
    absent: str = ""

    def digest(self) -> tuple[str, int]:
        """``(sha256, size)`` of the file (present only)."""
        assert self.path is not None
        data = self.path.read_bytes()
        return hashlib.sha256(data).hexdigest(), len(data)


def locate(source: str, root: Path) -> SealedFile:
    """Resolve ``holdout:`` (``env:NAME`` or a path); a file inside ``root`` is an error."""
    if source.startswith("env:"):
        name = source[4:]
        value = os.environ.get(name)
        if not value:
            return SealedFile(source, None, f"the environment variable {name} is not set")
        path = Path(value).expanduser()
    else:
        path = Path(source).expanduser()
    if not path.is_file():
        return SealedFile(source, None, f"{path} is not a file")
    resolved = path.resolve()
    if resolved.is_relative_to(root.resolve()):
        raise UsageError(
            f"the sealed holdout {path} ({source}) is inside the repository, where an agent "
            "reads it (through git too); move it outside, e.g. to ~/holdouts/, and point "
            "`holdout:` in improve.md at it"
        )
    return SealedFile(source, resolved)


@dataclass(frozen=True)
class SealedRecord:
    """What ``generate`` recorded: the file's hash and the baseline's score on it.

    :param mode: how the benchmark takes a golden file (the harness's ``mode``).
    :param allowed_drop: how far below ``baseline`` the score may fall.
    """

    source: str
    sha256: str
    size: int
    rows: int
    baseline: float
    allowed_drop: float
    goal: str
    mode: str

    def to_json(self) -> str:
        data = {
            "source": self.source,
            "sha256": self.sha256,
            "size": self.size,
            "rows": self.rows,
            "baseline": self.baseline,
            "allowed_drop": self.allowed_drop,
            "goal": self.goal,
            "mode": self.mode,
        }
        return json.dumps(data, indent=2, sort_keys=True) + "\n"


def read_record(root: Path) -> SealedRecord | None:
    """The record ``generate`` wrote, or ``None``."""
    path = root / RECORD_FILE
    if not path.is_file():
        return None
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        return SealedRecord(
            source=str(data["source"]),
            sha256=str(data["sha256"]),
            size=int(data["size"]),
            rows=int(data["rows"]),
            baseline=float(data["baseline"]),
            allowed_drop=float(data["allowed_drop"]),
            goal=str(data["goal"]),
            mode=str(data["mode"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(
            f"{RECORD_FILE}: unreadable; regenerate it with `autoimprove-guard generate` "
            "where the sealed holdout is available"
        ) from None


@dataclass(frozen=True)
class SealedEntry:
    """The sealed holdout's source (``env:NAME`` or a path) and its content's hash."""

    source: str
    sha256: str
    size: int


def sealed_entry(root: Path, config: ImproveConfig | None) -> SealedEntry | None:
    """The sealed holdout as ``generate`` recorded it, when improve.md still names it."""
    if config is None or not config.check.holdout:
        return None
    record = read_record(root)
    if record is None or record.source != config.check.holdout:
        return None
    return SealedEntry(record.source, record.sha256, record.size)


@dataclass(frozen=True)
class SealedStatus:
    """What ``verify`` says of the sealed holdout on this machine.

    :param state: ``present`` (matches the lock), ``absent``, ``changed`` (differs from
        the lock) or ``unrecorded`` (improve.md names one, the lock has none).
    """

    source: str
    state: str
    message: str


def sealed_status(root: Path, config: ImproveConfig | None, lock: Lock) -> SealedStatus | None:
    """The sealed holdout's state against the lock (``None``: none configured or locked)."""
    source = config.check.holdout if config is not None else None
    if lock.sealed is None:
        if not source:
            return None
        return SealedStatus(
            source,
            "unrecorded",
            f"sealed holdout ({source}): not recorded in the lock; run `autoimprove-guard "
            "generate` where it is available, so its hash and the baseline's score on it "
            "are frozen",
        )
    source = lock.sealed.source
    try:
        where = locate(source, root)
    except UsageError as exc:
        return SealedStatus(source, "changed", f"sealed holdout ({source}): {exc}")
    if where.path is None:
        return SealedStatus(
            source,
            "absent",
            f"sealed holdout ({source}): ABSENT here ({where.absent}), not checked; CI must "
            "provide it (`verify --sealed` fails without it)",
        )
    sha256, size = where.digest()
    if (sha256, size) != (lock.sealed.sha256, lock.sealed.size):
        return SealedStatus(
            source,
            "changed",
            f"sealed holdout ({source}): {where.path} differs from the one frozen "
            f"({lock.sealed.sha256[:10]} ({lock.sealed.size} B) -> {sha256[:10]} ({size} B)); "
            "restore it, or regenerate and commit the lock",
        )
    return SealedStatus(source, "present", f"sealed holdout ({source}): present, matches the lock")
