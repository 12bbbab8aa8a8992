"""Where the loop's tests and benchmarks run: a fresh, watched corner of the run folder.

Every test and benchmark command the loop starts gets a *session*: an empty
``TMPDIR``, ``HOME`` and ``XDG_CACHE_HOME`` under ``.autoimprove/runs/<id>/sandbox/``,
removed afterwards (in the background), so an answer cached on disk by one run is gone
for the next;
an environment without the loop's own ``AUTOIMPROVE_*`` and ``PYTEST_*`` variables,
so the code under test cannot tell a benchmark from any other run by them; and a
watcher loaded before any project code in every Python process
(:mod:`~pytest_autoimprove.loop.watch_site._sitewatch`, through a ``sitecustomize.py``
first on ``PYTHONPATH``) that pins the benchmark's clocks and reports, through a FIFO
this process reads, what the code in scope did to the interpreter and the file system.

The loop never imports the code it judges: the session only reads records.
:meth:`Session.findings` turns them into reasons; :class:`Baseline` remembers what
the untouched baseline already does (a benchmark that writes its own log file),
so only what a proposal added counts. :func:`cross_check` compares a claimed
speed-up with what the benchmark's processes really spent (their CPU time from
the kernel, ``RUSAGE_CHILDREN``, and their wall time), the one check that no code
inside the measured process can reach.
"""

from __future__ import annotations

import ast
import contextlib
import json
import marshal
import os
import queue
import secrets
import select
import shutil
import site
import statistics
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_autoimprove import paths
from pytest_autoimprove.names import GUARD_DIR

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig

#: The watcher module, imported by path from the per-session ``sitecustomize.py``.
WATCH_DIR = Path(__file__).resolve().parent / "watch_site"
#: The loop's own variables, and pytest's, that a measured process must not see.
SCRUBBED_PREFIXES = ("AUTOIMPROVE_", "PYTEST_XDIST_")
SCRUBBED = ("PYTEST_VERSION", "PYTEST_CURRENT_TEST")
#: What a run learnt about its baseline, in the run folder (read again on resume).
STATE_FILE = "integrity.json"
#: Kinds of watcher findings that are tampering whoever did them (no culprit needed).
_GLOBAL_KINDS = frozenset({"patch", "exit", "startup"})
#: Cross-check: a claim is checked when it says the benchmark got at least this much faster...
CLAIM_FACTOR = 1.5
#: ... and it implies the benchmark's processes spend at least this share less time;
MIN_SAVING = 0.15
#: it fails when they saved less than this fraction of what the claim implies.
SAVED_FRACTION = 0.25

_STUB = """\
import sys
sys.path.insert(0, {watch!r})
try:
    import _sitewatch
finally:
    del sys.path[0]
_sitewatch.install({spec!r})
_sitewatch.chain({site!r}, {trees!r})
"""


@dataclass
class Session:
    """One command's sandbox: its environment, and what its processes reported."""

    folder: Path
    env: dict[str, str | None]
    label: str
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def score_file(self) -> Path:
        """Where the ``autoimprove_score`` fixture writes, inside the sandbox."""
        return self.folder / "scores.jsonl"

    def findings(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r.get("e") == "finding"]

    def ends(self) -> list[dict[str, Any]]:
        """The exit records of the processes that were not forked from another."""
        return [r for r in self.records if r.get("e") == "end" and not r.get("forked")]


@dataclass
class Baseline:
    """What the untouched baseline's tests and benchmark already do, per command kind."""

    keys: set[tuple[str, str, str, str]] = field(default_factory=set)
    #: the best commit's benchmark runs: the share of their time the benchmark timed
    timed_share: float | None = None
    #: what the baseline's tests and benchmark left in the worktree
    leftovers: set[str] = field(default_factory=set)

    def learn(self, label: str, findings: Sequence[dict[str, Any]]) -> None:
        self.keys.update(_key(label, f) for f in findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "keys": sorted(self.keys),
            "timed_share": self.timed_share,
            "leftovers": sorted(self.leftovers),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Baseline:
        return cls(
            keys={(str(k[0]), str(k[1]), str(k[2]), str(k[3])) for k in data.get("keys", [])},
            timed_share=data.get("timed_share"),
            leftovers=set(data.get("leftovers", [])),
        )

    def problems(self, label: str, findings: Sequence[dict[str, Any]]) -> list[str]:
        """One line per finding the baseline did not have and that counts as tampering."""
        out = []
        for finding in findings:
            if _key(label, finding) in self.keys:
                continue
            if not finding.get("where") and finding.get("kind") not in _GLOBAL_KINDS:
                continue
            where = finding.get("where")
            text = f"{where}: {finding['message']}" if where else str(finding["message"])
            out.append(f"{text} (during the {label})")
        return out


def _key(label: str, finding: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """What a finding is, without its line (edits above it move it): the same thing done
    in the same file as the baseline does it is the baseline's."""
    where = str(finding.get("where") or "")
    return (label, str(finding.get("kind")), str(finding.get("message")), where.rpartition(":")[0])


class Sandbox:
    """Makes sessions for the commands of one run.

    :param run_dir: the run folder; sessions live in ``sandbox/`` below it.
    :param repo_root: the user's checkout (reads there by code in scope are reported).
    """

    def __init__(self, config: ImproveConfig, run_dir: Path, repo_root: Path | None = None) -> None:
        self.config = config
        self.run_dir = run_dir
        self.repo_root = repo_root
        self.baseline = Baseline()
        self.best_costs: list[ProcessCost] = []
        self._load()
        self._scope: dict[tuple[str, str], list[str] | None] = {}
        _compile_watcher()
        self._home = os.path.expanduser("~")
        self._temp = os.environ.get("TMPDIR") or "/tmp"

    # -- what the run learnt, kept in the run folder for --autoimprove-resume ---------

    @property
    def _state_file(self) -> Path:
        return self.run_dir / STATE_FILE

    def _load(self) -> None:
        try:
            data = json.loads(self._state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        self.baseline = Baseline.from_json(data.get("baseline", {}))
        self.best_costs = [ProcessCost(*c) for c in data.get("best_costs", [])]

    def save(self) -> None:
        data = {
            "baseline": self.baseline.to_json(),
            "best_costs": [[c.wall, c.cpu, c.timed_share, c.interval] for c in self.best_costs],
        }
        self.run_dir.mkdir(parents=True, exist_ok=True)
        temporary = self._state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, self._state_file)

    @contextlib.contextmanager
    def session(self, label: str, tree: Path, *, key: str = "") -> Iterator[Session]:
        """A fresh sandbox for one command run in ``tree``; records are read on exit.

        :param label: ``tests`` or ``benchmark``, for messages and the baseline.
        :param key: the experiment the tree holds (scope files are listed once per key).
        """
        root = self.run_dir / "sandbox"
        folder = root / f"{label}-{secrets.token_hex(6)}"
        for sub in ("tmp", "home", "site"):  # XDG_CACHE_HOME is made by whoever uses it
            (folder / sub).mkdir(parents=True, exist_ok=True)
        channel = _Channel(folder / "channel")
        session = Session(folder, self._env(folder), label)
        try:
            spec = self._spec(label, tree, folder, key)
            spec_path = folder / "site" / "spec.bin"
            spec_path.write_bytes(marshal.dumps(spec))
            stub = _STUB.format(
                watch=str(WATCH_DIR),
                spec=str(spec_path),
                site=str(folder / "site"),
                trees=[str(tree)],
            )
            (folder / "site" / "sitecustomize.py").write_text(stub, encoding="utf-8")
            yield session
        finally:
            session.records = channel.close()
            _remove_later(folder)

    def _env(self, folder: Path) -> dict[str, str | None]:
        env: dict[str, str | None] = {
            name: None
            for name in os.environ
            if name.startswith(SCRUBBED_PREFIXES) or name in SCRUBBED
        }
        tmp, home = str(folder / "tmp"), str(folder / "home")
        env.update(
            TMPDIR=tmp,
            TEMP=tmp,
            TMP=tmp,
            HOME=home,
            XDG_CACHE_HOME=str(folder / "home" / ".cache"),
            PYTHONPATH=str(folder / "site"),
        )
        if site.ENABLE_USER_SITE and "PYTHONUSERBASE" not in os.environ:
            # A fresh HOME must not hide packages installed with `pip install --user`.
            env["PYTHONUSERBASE"] = site.getuserbase()
        gitconfig = Path(self._home) / ".gitconfig"
        if "GIT_CONFIG_GLOBAL" not in os.environ and gitconfig.is_file():
            env["GIT_CONFIG_GLOBAL"] = str(gitconfig)  # the git identity of the user's tests
        return env

    def _spec(self, label: str, tree: Path, folder: Path, key: str) -> dict[str, Any]:
        scope = self.scope_files(tree, key)
        frozen = [p for p in _frozen_files(tree, self.config) if p.endswith(".py")]
        watched = {"/tmp", "/var/tmp", "/dev/shm", self._home, self._temp, str(self.run_dir)}
        if self.repo_root is not None:
            watched.add(str(self.repo_root))
        for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            if os.environ.get(name):
                watched.add(os.environ[name])
        return {
            "label": label,
            # Tests may fake the clock on purpose (freezegun, mock.patch): only the
            # benchmark's processes get pinned clocks; the tests' are checked at exit.
            "pin": label == "benchmark",
            "channel": str(folder / "channel"),
            "trees": [str(tree)],
            "scope": scope if scope is not None else [],
            "all_scope": scope is None,
            "frozen": frozen,
            "writable": [str(folder)],
            "watched": sorted(watched),
            "readable": [str(tree)],
            "site": str(folder / "site"),
        }

    def scope_files(self, tree: Path, key: str = "") -> list[str] | None:
        """The Python files of ``tree`` that are code in scope (``None``: every file is)."""
        cache_key = (str(tree), key)
        if cache_key not in self._scope:
            self._scope = {k: v for k, v in self._scope.items() if k[0] != str(tree)}
            self._scope[cache_key] = _scope_files(tree, self.config)
        return self._scope[cache_key]

    def is_scope(self, tree: Path, key: str, path: str) -> bool:
        """Whether the repo-relative ``path`` is code under experiment (as the watcher sees it)."""
        scope = self.scope_files(tree, key)
        if scope is not None:
            return path in scope
        if not path.endswith(".py") or path in _frozen_files(tree, self.config):
            return False
        from pytest_autoimprove.loop.integrity import is_test_file

        return not is_test_file(path) and not path.endswith("conftest.py")

    def judge(self, label: str, findings: Sequence[dict[str, Any]], *, number: int) -> list[str]:
        """Tampering among a session's findings; at the baseline (``number`` 0) they are
        learnt instead: what the untouched code already does is never held against it."""
        if number == 0:
            self.baseline.learn(label, findings)
            self.save()
            return []
        return self.baseline.problems(label, findings)

    def note_best(self, costs: Sequence[ProcessCost]) -> None:
        """What the best commit's benchmark runs cost (the baseline's, then each kept one's)."""
        if not costs:
            return
        self.best_costs = list(costs)
        shares = [c.timed_share for c in costs if c.timed_share is not None]
        self.baseline.timed_share = statistics.median(shares) if shares else None
        self.save()

    def claim_problem(
        self,
        *,
        goal: str,
        best_score: float,
        score: float,
        costs: Sequence[ProcessCost],
        best_costs: Sequence[ProcessCost] | None = None,
    ) -> str | None:
        """:func:`cross_check` of a candidate's claim against the best's processes."""
        return cross_check(
            goal=goal,
            best_score=best_score,
            score=score,
            best=best_costs or self.best_costs,
            candidate=costs,
            share=self.baseline.timed_share,
        )


class Tampered(Exception):
    """A measured process reached into the judge; the message says how and where."""


_TRASH: queue.SimpleQueue[Path] = queue.SimpleQueue()
_REMOVER: list[threading.Thread] = []


def _remove_later(folder: Path) -> None:
    """Remove a finished session's folder in the background.

    Nothing reads it again (every session has a new one), and removing folders costs up
    to milliseconds each on some file systems: the next command need not wait for it.
    """
    _TRASH.put(folder)
    if not _REMOVER or not _REMOVER[0].is_alive():
        thread = threading.Thread(target=_remover, name="autoimprove-sandbox-rm", daemon=True)
        _REMOVER[:] = [thread]
        thread.start()


def _remover() -> None:
    while True:
        shutil.rmtree(_TRASH.get(), ignore_errors=True)


def _compile_watcher() -> None:
    """Byte-compile the watcher once, so that no process compiles it again.

    Every Python process of every measured command imports it; with
    ``PYTHONDONTWRITEBYTECODE`` set (or a read-only install) each would compile it.
    """
    import importlib.util
    import py_compile

    source = WATCH_DIR / "_sitewatch.py"
    cached = Path(importlib.util.cache_from_source(str(source)))
    try:
        if cached.is_file() and cached.stat().st_mtime >= source.stat().st_mtime:
            return
        py_compile.compile(str(source), cfile=str(cached), doraise=True)
    except (OSError, py_compile.PyCompileError):
        pass  # read-only: each process compiles it, as Python would anyway


def _scope_files(tree: Path, config: ImproveConfig) -> list[str] | None:
    change = config.change
    if not change.scope:
        return None
    found: set[str] = set()
    for pattern in change.scope:
        parts = paths.normalize(pattern).split("/")
        fixed = next((i for i, part in enumerate(parts) if paths.is_glob(part)), len(parts))
        base = "/".join(parts[:fixed])
        start = tree / base if base else tree
        if start.is_file():
            candidates = [base]
        elif start.is_dir():
            candidates = [
                p.relative_to(tree).as_posix()
                for p in start.rglob("*.py")
                if ".git" not in p.parts and "__pycache__" not in p.parts
            ]
        else:
            candidates = []
        found.update(c for c in candidates if c.endswith(".py") and change.in_scope(c))
    return sorted(found)


def _frozen_files(tree: Path, config: ImproveConfig) -> list[str]:
    names = [*config.check.frozen, GUARD_DIR]
    if config.check.golden:
        names.append(config.check.golden)
    return paths.expand(tree, names)


class _Channel:
    """A FIFO the watched processes write records to, read by a thread of the loop.

    A pipe, not a file: a record sent is out of the sending process's reach.
    """

    _STOP = b"\n#stop\n"

    def __init__(self, path: Path) -> None:
        os.mkfifo(path, 0o600)
        self.read_fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        # Our own writer keeps the FIFO open: readers never see end-of-file in between.
        self.write_fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
        self.data = bytearray()
        self.thread = threading.Thread(target=self._run, name="autoimprove-sandbox", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        poller = select.poll()
        poller.register(self.read_fd, select.POLLIN)
        while True:
            poller.poll()
            while True:
                try:
                    chunk = os.read(self.read_fd, 1 << 16)
                except BlockingIOError:
                    break
                if not chunk:
                    break
                self.data += chunk
            if self.data.endswith(self._STOP):
                return

    def close(self) -> list[dict[str, Any]]:
        """Stop reading (every writer has exited) and parse the records."""
        try:
            os.write(self.write_fd, self._STOP)
            self.thread.join(timeout=5)
        finally:
            os.close(self.write_fd)
            os.close(self.read_fd)
        records = []
        for line in bytes(self.data).decode("utf-8", "replace").splitlines():
            if not line.startswith("{"):
                continue
            try:
                record = ast.literal_eval(line)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                continue
            if isinstance(record, dict):
                records.append(record)
        return records


# ---------------------------------------------------------------------------
# The cross-check: a score against the processes that produced it.


#: The clocks the watcher reports that measure wall time, and CPU time.
WALL_CLOCKS = ("perf_counter", "monotonic", "time")
CPU_CLOCKS = ("process_time",)


@dataclass(frozen=True)
class ProcessCost:
    """What one benchmark run cost, measured from outside and, for the share, inside.

    :param wall: wall-clock seconds of the command (the loop's own clock).
    :param cpu: CPU seconds of the command's processes (the kernel's ``RUSAGE_CHILDREN``).
    :param timed_share: the share of its Python processes' time between their first and
        last clock reading (the watcher's count), ``None`` when no clock was read.
    :param interval: seconds between two readings of the clock read most often (see
        :func:`reading_interval`), ``None`` when no clock was read twice.
    """

    wall: float
    cpu: float
    timed_share: float | None = None
    interval: float | None = None


def timed_share(ends: Sequence[Mapping[str, Any]], *, wall: float, cpu: float) -> float | None:
    """The share of a run's measured wall (or CPU) time that its clock readings span.

    ``wall`` and ``cpu`` are the loop's own measures of the whole command; the spans are
    the watcher's, between the first and the last reading of each clock in each process.
    """
    shares = []
    for end in ends:
        spans = end.get("spans") or {}
        span = max(float(spans.get(n, 0.0)) for n in WALL_CLOCKS)
        if wall > 0 and span > 0:
            shares.append(min(1.0, span / wall))
        cpu_span = max(float(spans.get(n, 0.0)) for n in CPU_CLOCKS)
        if cpu > 0 and cpu_span > 0:
            shares.append(min(1.0, cpu_span / cpu))
    return max(shares) if shares else None


def reading_interval(ends: Sequence[Mapping[str, Any]]) -> float | None:
    """Mean seconds between two readings of the clock the benchmark read most often.

    A benchmark that adapts its work to the clock (more passes until a time budget is
    spent, as the one ``init`` writes and pytest-benchmark do) runs as long after an
    honest speed-up as before: what shrinks is the work between two readings. A score
    rewritten on its way out leaves that interval as it was.
    """
    best: tuple[int, float] | None = None
    for end in ends:
        spans = end.get("spans") or {}
        reads = end.get("reads") or {}
        for name in (*WALL_CLOCKS, *CPU_CLOCKS):
            count, span = int(reads.get(name, 0)), float(spans.get(name, 0.0))
            if count >= 2 and span > 0 and (best is None or (count, span) > best):
                best = (count, span)
    return None if best is None else best[1] / (best[0] - 1)


def cross_check(
    *,
    goal: str,
    best_score: float,
    score: float,
    best: Sequence[ProcessCost],
    candidate: Sequence[ProcessCost],
    share: float | None,
) -> str | None:
    """Why a claimed speed-up cannot be true of the processes that claimed it, else ``None``.

    A real speed-up of the timed part shortens the process by about ``share`` (the timed
    part's share of the best's runs) of what the claim says; a faked clock or a score
    rewritten on its way out claims it without the process spending any less. Checked
    only for claims of at least :data:`CLAIM_FACTOR` that imply a saving of at least
    :data:`MIN_SAVING` of the whole run (below that, start-up, set-up and noise hide
    it); fails only when neither the wall time, the CPU time nor the time between two
    clock readings (:func:`reading_interval`, when every run has one) fell by
    :data:`SAVED_FRACTION` of that saving, and for each the shortfall is wider than
    the spread of its own runs (a loaded machine makes an honest gain look like none:
    an unproven verdict is no verdict).
    """
    if share is None or not best or not candidate or best_score <= 0 or score <= 0:
        return None
    factor = best_score / score if goal == "lower" else score / best_score
    if factor < CLAIM_FACTOR:
        return None
    removed = share * (1 - 1 / factor)
    if removed < MIN_SAVING:
        return None
    measures = ["wall", "cpu"]
    if all(c.interval for c in (*best, *candidate)):
        measures.append("interval")
    verdicts = []
    for measure in measures:
        runs = [getattr(c, measure) for c in best], [getattr(c, measure) for c in candidate]
        before, after = (statistics.median(r) for r in runs)
        if before <= 0:
            return None
        saved = (before - after) / before
        if saved >= SAVED_FRACTION * removed or removed - saved <= _spread(*runs, before):
            return None
        if measure == "interval":
            verdicts.append(f"{after * 1e3:.3g}ms vs {before * 1e3:.3g}ms between clock readings")
        else:
            verdicts.append(f"{measure} {after:.3g}s vs {before:.3g}s")
    return (
        f"the score claims {factor:.3g}x faster, but its benchmark processes did not get "
        f"faster ({', '.join(verdicts)}; the timed part is {share:.0%} of a run): "
        "the score was not measured honestly"
    )


def _spread(best: Sequence[float], candidate: Sequence[float], before: float) -> float:
    """How far one side's runs lie apart, the wider side's, as a share of ``before``."""
    return max(max(r) - min(r) for r in (best, candidate)) / before


def children_cpu() -> float:
    """CPU seconds of every child process this process has waited for so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def python_path_first(
    env: Mapping[str, str | None], session_env: Mapping[str, str | None]
) -> dict[str, str | None]:
    """The session's variables, ``env`` on top (what the loop sets on purpose, such as
    ``AUTOIMPROVE_GOLDEN``, is not scrubbed), and the session's site folder first on the path."""
    merged = {**session_env, **env}
    inherited = env.get("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
    merged["PYTHONPATH"] = os.pathsep.join(
        p for p in (session_env.get("PYTHONPATH"), inherited) if p
    )
    return merged


__all__ = [
    "Baseline",
    "ProcessCost",
    "Sandbox",
    "Session",
    "Tampered",
    "children_cpu",
    "cross_check",
    "python_path_first",
    "timed_share",
]

if sys.platform == "win32":  # pragma: no cover - the loop needs POSIX process groups
    raise ImportError("the sandbox needs a POSIX system (FIFOs, process groups)")
