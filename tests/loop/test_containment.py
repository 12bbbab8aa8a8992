"""A benchmark that leaves a daemon behind, without even its token: the loop ends it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from toyrepo import ToyRepo, git, run_loop

#: bench.py that double-forks a daemon under `env -i` (no token, no parent left) which
#: writes its pid, then a file a little later, then prints the score.
BENCH = """\
import os, sys, time
import mod


def started():
    try:
        return len(open({pids!r}).read().split())
    except OSError:
        return 0


before = started()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        code = (
            "import os, sys, time; "
            "open(sys.argv[1], 'a').write(f'{{os.getpid()}}\\\\n'); "
            "time.sleep(2); open(sys.argv[2], 'w').write('late')"
        )
        os.execve(sys.executable, [sys.executable, "-c", code, {pids!r}, {late!r}], {{}})
    os._exit(0)
os.wait()
deadline = time.monotonic() + 10
while started() == before and time.monotonic() < deadline:
    time.sleep(0.01)
print(f"SCORE: {{mod.VALUE}}")
"""


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] not in "ZX"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_a_daemon_left_by_the_benchmark_ends_with_its_run(
    toy: Callable[..., ToyRepo], tmp_path: Path
) -> None:
    from pytest_autoimprove import guard
    from pytest_autoimprove.config import load_config

    repo = toy(rounds=1, plan=["improve"])
    pids, late = tmp_path / "daemons.pid", tmp_path / "late"
    (repo.root / "bench.py").write_text(BENCH.format(pids=str(pids), late=str(late)))
    guard.freeze(repo.root, load_config(repo.root), guard_tests=1)
    git(repo.root, "commit", "-qam", "a benchmark that leaves a daemon")
    code, out = run_loop(repo)
    assert code == 0, out
    started = [int(line) for line in pids.read_text().split()]
    assert len(started) >= 2  # the baseline's runs and the experiment's
    assert not [pid for pid in started if _alive(pid)]
    time.sleep(2.5)
    assert not late.exists()
