"""Where attempts run: the executor protocol and the built-in ``local`` executor.

An executor runs :class:`~pytest_autoimprove.loop.attempt.Task` s and hands back their
:class:`~pytest_autoimprove.loop.attempt.Outcome` s; the driver
(:mod:`~pytest_autoimprove.loop.parallel`) decides what they mean, one at a time.
Executors are plugins: ``pytest_autoimprove_executor(backend, workers, config)``
returns one for ``## Agent backend:`` (first answer wins). This module is the
built-in answer for ``local`` (a thread per worker on this machine; the proposer,
tests and benchmark are subprocesses, so the threads only wait) and, with the
``[ray]`` extra, ``ray`` (:mod:`~pytest_autoimprove.loop.ray_backend`, imported only
then: nothing of Ray is imported otherwise).
"""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import pytest

from pytest_autoimprove import process

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig
    from pytest_autoimprove.loop.attempt import Attempts, Outcome, Task


@runtime_checkable
class Executor(Protocol):
    """Runs attempts for a parallel run.

    :attr:`slots` attempts are in flight at most; the driver calls :meth:`start` once,
    then :meth:`submit` and :meth:`next` as workers free up, :meth:`cancel` on Ctrl-C
    (everything in flight ends now, all its processes with it) and :meth:`close` at
    the end.
    """

    slots: int

    def start(self, attempts: Attempts) -> None: ...

    def submit(self, task: Task) -> None: ...

    def next(self, timeout: float) -> Outcome | None:
        """The next finished attempt, or ``None`` after ``timeout`` seconds."""

    def cancel(self) -> None: ...

    def close(self) -> None: ...


class LocalExecutor:
    """Attempts in threads of this process, one per worker, in the workers' own trees."""

    def __init__(self, workers: int) -> None:
        self.slots = workers
        self._attempts: Attempts | None = None
        self._done: queue.Queue[Outcome | BaseException] = queue.Queue()
        self._threads: list[threading.Thread] = []

    def start(self, attempts: Attempts) -> None:
        self._attempts = attempts

    def submit(self, task: Task) -> None:
        thread = threading.Thread(
            target=self._work, args=(task,), name=f"autoimprove-w{task.worker}", daemon=True
        )
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()

    def _work(self, task: Task) -> None:
        assert self._attempts is not None
        try:
            self._done.put(self._attempts.run(task))
        except BaseException as exc:  # handed to the driver, which raises it
            self._done.put(exc)

    def next(self, timeout: float) -> Outcome | None:
        try:
            item = self._done.get(timeout=timeout)
        except queue.Empty:
            return None
        if isinstance(item, BaseException):
            raise item
        return item

    def cancel(self) -> None:
        if self._attempts is not None:
            self._attempts.stop.set()
        process.end_all()

    def close(self) -> None:
        for thread in self._threads:
            thread.join(timeout=process.GRACE_SECONDS + 5)
            if thread.is_alive():  # a command started after cancel() looked
                process.end_all()
                thread.join(timeout=process.GRACE_SECONDS + 5)
        self._threads.clear()


@pytest.hookimpl(trylast=True)
def pytest_autoimprove_executor(
    backend: str, workers: int, config: ImproveConfig
) -> Executor | None:
    if backend == "local":
        return LocalExecutor(workers)
    if backend == "ray":
        from pytest_autoimprove.loop.ray_backend import RayExecutor

        return RayExecutor(workers, address=config.agent.address)
    return None
