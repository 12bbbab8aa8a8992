"""The baseline's score on the sealed holdout (``holdout:`` in improve.md), recorded at generation.

The file lives outside the repository (see :mod:`pytest_autoimprove.sealed`); where
``generate`` runs it may be absent (a developer's machine) or present (CI, or the
machine of the person who keeps it). Present: the benchmark scores it twice (its noise
sets the allowed drop, as for the in-repo holdout) and ``sealed_holdout.json`` records
the file's hash, its size and the score, for ``freeze`` and ``verify --sealed``.
Absent: nothing is recorded, and the notes say so.
"""

from __future__ import annotations

from pathlib import Path

from pytest_autoimprove.config import ImproveConfig
from pytest_autoimprove.errors import UsageError
from pytest_autoimprove.generators import GeneratedFile
from pytest_autoimprove.runtime.golden import read_golden
from pytest_autoimprove.runtime.harness import Harness, run_harness
from pytest_autoimprove.sealed import RECORD_FILE, SealedRecord, locate

__all__ = ["plan_sealed"]


def plan_sealed(
    root: Path,
    config: ImproveConfig,
    harness: Harness,
    *,
    relative_drop: float,
    noise_factor: float,
) -> tuple[GeneratedFile | None, list[str]]:
    """``sealed_holdout.json`` for the baseline (``None`` when absent or failing), and notes."""
    source = config.check.holdout
    if not source:
        return None, []
    try:
        where = locate(source, root)
    except UsageError as exc:
        raise config.error(
            "check.holdout", str(exc).partition("; ")[0], str(exc).partition("; ")[2]
        ) from None
    if where.path is None:
        return None, [
            f"sealed holdout ({source}) is absent here ({where.absent}): nothing recorded; "
            "run `autoimprove-guard generate` where it is available so that CI can check it"
        ]
    read_golden(where.path)  # a malformed file is a one-line error naming it
    text = where.path.read_text(encoding="utf-8")
    rows = len(read_golden(where.path).records)
    first = run_harness(harness, text, split_name="sealed")
    second = run_harness(harness, text, split_name="sealed")
    problem = first.failure() or second.failure()
    if problem is not None or first.score is None or second.score is None:
        return None, [f"sealed holdout ({source}): the baseline benchmark fails on it: {problem}"]
    noise = abs(first.score - second.score)
    allowed = max(relative_drop * abs(first.score), noise_factor * noise, 1e-9)
    sha256, size = where.digest()
    record = SealedRecord(
        source=source,
        sha256=sha256,
        size=size,
        rows=rows,
        baseline=first.score,
        allowed_drop=round(allowed, 12),
        goal=config.check.goal,
        mode=harness.mode,
    )
    return GeneratedFile(Path(RECORD_FILE), record.to_json()), [
        f"sealed holdout ({source}): the baseline scores {first.score:g} on its {rows} rows; "
        f"recorded in {RECORD_FILE} and frozen by hash; `autoimprove-guard verify --sealed` "
        "checks it in CI. It is readable here: keep it off the machine the loop runs on"
    ]
