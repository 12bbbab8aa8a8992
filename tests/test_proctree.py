"""proctree reads /proc right, whatever a process calls itself, and ends only what it picks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pytest_autoimprove import proctree

pytestmark = pytest.mark.skipif(not proctree.readable(), reason="needs /proc (Linux)")

#: Renames itself (its comm) to something that looks like /proc/<pid>/stat syntax,
#: starts a child, and says when both are there.
TREE = """
import subprocess, sys, time
with open("/proc/self/comm", "w") as comm:
    comm.write("a) S 1 (b")
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
print(child.pid, flush=True)
time.sleep(60)
"""


def _tree() -> tuple[subprocess.Popen[str], int]:
    parent = subprocess.Popen(
        [sys.executable, "-c", TREE], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    deadline = time.monotonic() + 10
    while (proc := proctree.read(parent.pid)) is None or proc.name != "a) S 1 (b":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return parent, child


def test_a_name_like_the_stat_syntax_does_not_shift_the_fields() -> None:
    parent, child = _tree()
    try:
        proc = proctree.read(parent.pid)
        assert proc is not None
        assert (proc.name, proc.ppid, proc.pgrp, proc.sid) == (
            "a) S 1 (b",
            os.getpid(),
            parent.pid,
            parent.pid,
        )
        assert proc.state in "RS" and not proc.dead
        assert proc.start == proctree.start_time(parent.pid) > 0
    finally:
        os.kill(child, 9)  # it holds the parent's stdout
        parent.kill()
        parent.communicate()


def test_end_takes_what_it_picks_with_descendants_and_spares_the_lineage() -> None:
    parent, child = _tree()
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        procs = proctree.snapshot()
        me = proctree.lineage(procs, os.getpid())
        assert os.getpid() in me and os.getppid() in me
        picked = proctree.with_descendants(procs, {parent.pid, os.getpid()}, me)
        assert picked == {parent.pid, child}
        ended = proctree.end(
            lambda procs: proctree.with_descendants(procs, {parent.pid}, set()), grace=0
        )
        assert sorted(int(e.split()[0]) for e in ended) == sorted([parent.pid, child])
        assert parent.wait(timeout=5) < 0
        assert proctree.read(child) is None or proctree.read(child).dead  # type: ignore[union-attr]
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()
        parent.kill()
        parent.communicate()
        if Path(f"/proc/{child}").exists():
            os.kill(child, 9)


def test_a_child_the_adopter_already_had_is_not_taken_for_an_orphan() -> None:
    # /proc start times count clock ticks: a child started just before the command
    # can share the leader's tick. It was there first, so the command did not leave it.
    me, leader, elder, orphan = os.getpid(), 900001, 900002, 900003
    procs = {
        me: proctree.Proc(me, "loop", "S", 1, me, me, 100),
        leader: proctree.Proc(leader, "sh", "S", me, leader, leader, 500),
        elder: proctree.Proc(elder, "sleep", "S", me, elder, elder, 500),
        orphan: proctree.Proc(orphan, "daemon", "S", me, orphan, orphan, 501),
    }
    command = proctree.Command(leader, 500, "cafe", elders=frozenset({elder}))
    # token_of reads /proc: these pids do not exist there, so they carry no token.
    victims = proctree.command_victims(procs, command, spared={me}, adopter=me)
    assert victims == {leader, orphan}


def test_children_lists_what_this_process_started() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in proctree.children(os.getpid())
    finally:
        child.kill()
        child.wait()


@pytest.mark.parametrize(
    ("start", "pid", "born"),
    [
        (101, 50, True),  # a later tick, whatever its pid
        (99, 5000, False),  # an earlier tick
        (100, 1001, True),  # the same tick: the pid tells
        (100, 999, False),
        (100, 1000, False),  # the reference itself
    ],
)
def test_born_after_orders_by_tick_then_by_pid(start: int, pid: int, born: bool) -> None:
    proc = proctree.Proc(pid, "x", "S", 1, pid, pid, start)
    assert proctree.born_after(proc, 100, 1000) is born


def test_born_after_survives_the_pid_wrap_around() -> None:
    top = proctree._pid_max()
    proc = proctree.Proc(3, "x", "S", 1, 3, 3, 100)  # handed out right after the wrap
    assert proctree.born_after(proc, 100, top - 2)
    assert not proctree.born_after(proctree.Proc(top - 2, "x", "S", 1, 1, 1, 100), 100, 3)
