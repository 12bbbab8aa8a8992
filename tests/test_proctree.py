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
