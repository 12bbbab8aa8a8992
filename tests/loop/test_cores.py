"""Test-gate slots: one gate at a time, a second only for a gate that queued long enough."""

from __future__ import annotations

import threading
import time

import pytest

from pytest_autoimprove.loop.cores import Cores


def _take(cores: Cores, taken: list[str], name: str) -> threading.Thread:
    def take() -> None:
        cores.acquire(lambda: None)
        taken.append(name)

    thread = threading.Thread(target=take)
    thread.start()
    return thread


def test_before_any_gate_was_timed_a_second_waits_for_the_first() -> None:
    cores = Cores(2)
    cores.acquire(lambda: None)
    taken: list[str] = []
    waiter = _take(cores, taken, "second")
    time.sleep(0.3)
    assert taken == []  # a free core, but no gate timed yet: it waits for the running one
    cores.release(took=0.3)
    waiter.join(timeout=5)
    assert taken == ["second"]


def test_a_gate_that_waited_as_long_as_a_gate_takes_runs_beside_it() -> None:
    cores = Cores(2)
    cores.acquire(lambda: None)
    cores.release(took=0.2)
    assert cores.patience() == pytest.approx(0.2)
    cores.acquire(lambda: None)  # the one running
    taken: list[str] = []
    started = time.monotonic()
    waiter = _take(cores, taken, "beside")
    waiter.join(timeout=5)
    waited = time.monotonic() - started
    assert taken == ["beside"] and waited >= 0.2
    # Both cores are busy now: a third waits for a release, whatever its patience.
    third = _take(cores, taken, "third")
    time.sleep(0.5)
    assert taken == ["beside"]
    cores.release(took=0.2)
    third.join(timeout=5)
    assert taken == ["beside", "third"]


def test_first_come_first_served_and_a_waiter_can_give_up() -> None:
    cores = Cores(1)
    cores.acquire(lambda: None)
    stop = threading.Event()

    def check() -> None:
        if stop.is_set():
            raise KeyboardInterrupt

    gave_up: list[bool] = []

    def impatient() -> None:
        try:
            cores.acquire(check)
        except KeyboardInterrupt:
            gave_up.append(True)

    first = threading.Thread(target=impatient)
    first.start()
    time.sleep(0.1)
    taken: list[str] = []
    second = _take(cores, taken, "second")
    stop.set()
    first.join(timeout=5)
    assert gave_up == [True]
    cores.release()
    second.join(timeout=5)
    assert taken == ["second"]  # the one that gave up no longer holds the queue


def test_the_baseline_gate_sets_the_patience_before_any_gate_here() -> None:
    cores = Cores(2, usual=0.2)
    assert cores.patience() == pytest.approx(0.2)
    cores.acquire(lambda: None)
    taken: list[str] = []
    waiter = _take(cores, taken, "beside")
    waiter.join(timeout=5)
    assert taken == ["beside"]
