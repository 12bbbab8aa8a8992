"""``backend: ray``: each attempt a Ray task on a worker node; the driver trusts none.

Imported only when improve.md says ``backend: ray`` (the ``[ray]`` extra): nothing of
Ray is imported otherwise. Each attempt (:class:`~pytest_autoimprove.loop.attempt.Task`)
travels as plain data with the commit it starts from as a git bundle; the task
(:func:`run_remote`) clones it into a temporary folder on its node, runs the
proposer, the gate and the benchmark there with the same code as a local worker
(:class:`~pytest_autoimprove.loop.attempt.Attempts`), and returns the outcome with the
change as a bundle of one commit.

The driver never trusts a node's verdict: it re-checks every returned change against
the protected paths and the scope, and a change the node says improves is checked
again from scratch on the driver's machine, the one measuring node (the lock, the
gate, and the benchmark measured beside the current best under the measurement
lock), before the driver decides on it. So machine-dependent scores are always the
measuring node's, and a node that lies can only waste its own time.
"""

from __future__ import annotations

import contextlib
import queue
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_autoimprove import guard, process, repo
from pytest_autoimprove.loop.attempt import Attempts, Outcome, Task

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig

#: The local tree where remote changes are checked again (worker trees are 1..N).
CONFIRM_SLOT = 0
#: Seconds a cancelled task gets to end its processes before its worker is killed.
CANCEL_GRACE = 5.0


class RayExecutor:
    """Attempts as Ray tasks (one CPU each); improvements confirmed on this machine.

    :param address: the cluster to join (``ray.init(address=...)``); ``None``: a Ray
        already initialized in this process, else a local one started for the run.
    """

    def __init__(self, workers: int, *, address: str | None = None) -> None:
        self.slots = workers
        self.address = address
        self._attempts: Attempts | None = None
        self._refs: dict[Any, Task] = {}
        self._done: queue.Queue[Outcome | BaseException] = queue.Queue()
        self._confirming: queue.Queue[Outcome | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._started_ray = False
        self._remote: Any = None

    def start(self, attempts: Attempts) -> None:
        import ray

        self._attempts = attempts
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if self.address is None:
                import os

                options["num_cpus"] = max(self.slots, os.cpu_count() or 1)
            ray.init(address=self.address, **options)
            self._started_ray = True
        self._remote = ray.remote(num_cpus=1, max_retries=0)(run_remote)
        best = repo.resolve(attempts.worktree, "HEAD")
        attempts.tree(CONFIRM_SLOT, best)
        self._thread = threading.Thread(target=self._confirm_loop, name="autoimprove-confirm")
        self._thread.daemon = True
        self._thread.start()

    # -- sending -------------------------------------------------------------

    def submit(self, task: Task) -> None:
        attempts = self._attempts
        assert attempts is not None and self._remote is not None
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "base.bundle"
            repo.bundle(attempts.root, task.apply or task.base, path)
            payload = {
                "task": task,
                "bundle": path.read_bytes(),
                "config": attempts.config.path.relative_to(attempts.worktree).as_posix(),
                "run_id": attempts.run_id,
                "pytest_args": attempts.checks.pytest_args,
                "lock_tests": attempts.checks.lock_tests,
                "max_pairs": attempts.max_pairs,
                "baseline_guards": attempts.baseline_guards,
            }
        self._refs[self._remote.remote(payload)] = task

    # -- receiving -------------------------------------------------------------

    def next(self, timeout: float) -> Outcome | None:
        import ray

        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(queue.Empty):
                item = self._done.get_nowait()
                if isinstance(item, BaseException):
                    raise item
                return item
            if self._refs:
                ready, _ = ray.wait(list(self._refs), num_returns=1, timeout=0.05)
                for ref in ready:
                    self._receive(self._refs.pop(ref), ref)
            else:
                time.sleep(0.05)
            if time.monotonic() >= deadline:
                return None

    def _receive(self, task: Task, ref: Any) -> None:
        import ray

        attempts = self._attempts
        assert attempts is not None
        try:
            answer: dict[str, Any] = ray.get(ref)
        except (ray.exceptions.TaskCancelledError, ray.exceptions.WorkerCrashedError):
            self._done.put(Outcome(task, None, task.description, cancelled=True))
            return
        except ray.exceptions.RayError as exc:
            reason = f"the Ray task failed: {str(exc).strip().splitlines()[-1][:200]}"
            self._done.put(Outcome(task, "crashed", task.description, fields={"reason": reason}))
            return
        outcome: Outcome = answer["outcome"]
        outcome.task = task
        outcome.remote = True
        if answer.get("bundle"):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "change.bundle"
                path.write_bytes(answer["bundle"])
                commit = repo.unbundle(attempts.root, path)
            outcome.tree = repo.tree_of(attempts.root, commit)
            problem = _static_problem(attempts, task.base, outcome.tree)
            if problem is not None:
                outcome.status, reason = problem
                outcome.fields = {"reason": reason + " (re-checked by the driver)"}
            elif outcome.status is None:
                # The node says it improves: check and measure it again here.
                self._confirming.put(replace(outcome, fields={**outcome.fields, "commit": commit}))
                return
        self._done.put(outcome)

    def _confirm_loop(self) -> None:
        attempts = self._attempts
        assert attempts is not None
        while (outcome := self._confirming.get()) is not None:
            task = outcome.task
            check = replace(
                task, apply=str(outcome.fields["commit"]), description=outcome.description
            )
            try:
                confirmed = attempts.run(check, slot=CONFIRM_SLOT)
            except BaseException as exc:
                self._done.put(exc)
                continue
            # The task as sent, or as merged onto a newer best before the checks here.
            confirmed.task = replace(confirmed.task, apply=task.apply, description=task.description)
            confirmed.duration += outcome.duration
            if confirmed.status is None:
                confirmed.fields["reason"] = (
                    f"{confirmed.fields.get('reason', '')} (confirmed on the measuring node)"
                ).strip()
            self._done.put(confirmed)

    # -- ending --------------------------------------------------------------

    def cancel(self) -> None:
        import ray

        if self._attempts is not None:
            self._attempts.stop.set()
        process.end_all()
        refs = list(self._refs)
        for ref in refs:  # KeyboardInterrupt in the task: it ends its commands
            with contextlib.suppress(Exception):
                ray.cancel(ref)
        if refs:
            ray.wait(refs, num_returns=len(refs), timeout=CANCEL_GRACE)
        for ref in refs:
            with contextlib.suppress(Exception):
                ray.cancel(ref, force=True)
        self._refs.clear()

    def close(self) -> None:
        self._confirming.put(None)
        if self._thread is not None:
            self._thread.join(timeout=process.GRACE_SECONDS + 10)
        if self._started_ray:
            import ray

            ray.shutdown()


def _static_problem(attempts: Attempts, base: str, tree: str) -> tuple[str, str] | None:
    """What the driver finds wrong with a returned change without running anything."""
    config: ImproveConfig = attempts.config
    changes = repo.changed_paths(attempts.root, base, tree)
    extra = guard.locked_patterns(attempts.worktree)
    for path, _ in changes:
        if guard.is_protected(path, attempts.worktree, config, extra):
            return "tampered", f"touched {path}"
    for path, _ in changes:
        if not config.change.in_scope(path):
            return "out-of-scope", f"touched {path}"
    return None


def run_remote(payload: dict[str, Any]) -> dict[str, Any]:
    """The Ray task: one attempt in a fresh clone on this node; the outcome and change."""
    from pytest_autoimprove.config import load_config
    from pytest_autoimprove.loop.checks import Checks
    from pytest_autoimprove.loop.reference import BestTree
    from pytest_autoimprove.manager import standalone_manager

    task: Task = payload["task"]
    with tempfile.TemporaryDirectory(prefix="autoimprove-ray-") as tmp:
        folder = Path(tmp)
        bundle = folder / "in.bundle"
        bundle.write_bytes(payload["bundle"])
        clone = folder / "repo"
        repo.clone_bundle(bundle, clone, task.base)
        config = load_config(clone, clone / payload["config"])
        run_dir = folder / "run"
        checks = Checks(
            config,
            clone,
            run_dir,
            pytest_args=tuple(payload["pytest_args"]),
            lock_tests=int(payload["lock_tests"]),
        )
        attempts = Attempts(
            root=clone,
            run_id=str(payload["run_id"]),
            run_dir=run_dir,
            worktree=clone,
            config=config,
            checks=checks,
            hook=standalone_manager().hook,
            best=BestTree(clone, Path(f"{clone}-best"), checks),
            max_pairs=int(payload["max_pairs"]),
            baseline_guards=dict(payload["baseline_guards"]),
        )
        outcome = attempts.run(task)
        answer: dict[str, Any] = {"outcome": outcome, "bundle": None}
        if outcome.tree is not None:
            commit = repo.commit_tree(clone, outcome.tree, task.base, outcome.description)
            path = folder / "out.bundle"
            repo.bundle(clone, commit, path, since=task.base)
            answer["bundle"] = path.read_bytes()
        return answer
