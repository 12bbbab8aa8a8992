"""A scripted stand-in for an AI agent: does what plan.json says for this experiment.

Usage: python fake_agent.py PLAN.json   (run by the loop in its worktree)
PLAN.json is a list of actions, one per experiment (1-based); past its end: noop.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

#: A process that escaped its proposer: it keeps writing into mod.py for a minute.
STRAY = """
import sys, time
from pathlib import Path
path = Path(sys.argv[1])
for _ in range(200):
    time.sleep(0.3)
    try:
        text = path.read_text()
        if "STRAY" not in text:
            path.write_text(text + "STRAY = True\\n")
    except OSError:
        pass
"""


def bump(step: int, file: str = "mod.py", name: str = "VALUE") -> None:
    path = Path(file)
    text = path.read_text()
    value = int(re.search(rf"{name} = (-?\d+)", text).group(1))  # type: ignore[union-attr]
    path.write_text(text.replace(f"{name} = {value}", f"{name} = {value + step}"))


def claim(files: list[str]) -> str:
    """The first of ``files`` no other experiment in flight intends to change; this
    experiment's intent says so (without a board: the first)."""
    intent = os.environ.get("AUTOIMPROVE_INTENT")
    if not intent:
        return files[0]
    import fcntl

    with open(os.environ["AUTOIMPROVE_BOARD_LOCK"]) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        mine = Path(intent)
        taken = {p.read_text().strip() for p in mine.parent.glob("*.intent") if p != mine}
        file = next((f for f in files if f not in taken), files[0])
        mine.write_text(file + "\n")
    return file


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text())
    number = int(os.environ["AUTOIMPROVE_EXPERIMENT"])
    assert Path(os.environ["AUTOIMPROVE_PROMPT_FILE"]).is_file()
    action = plan[number - 1] if number <= len(plan) else "noop"
    log = Path(sys.argv[1]).with_suffix(".calls")
    with log.open("a") as handle:
        handle.write(f"{number} {action}\n")
    # "claim:SECONDS": in a parallel run, claim a file no other worker is changing (the
    # board's intents, under its lock), think, then improve it (mod.py, else extra.py).
    if action.startswith("claim:"):
        file = claim(["mod.py", "extra.py"])
        time.sleep(float(action.split(":")[1]))
        action = "improve" if file == "mod.py" else "improve_b"
    # "sleep:SECONDS:ACTION": think for a while first (a parallel run's proposer).
    while action.startswith("sleep:"):
        _, seconds, action = action.split(":", 2)
        time.sleep(float(seconds))
    part = os.environ.get("AUTOIMPROVE_PART", "")
    if action == "part":
        # Improve this worker's part: mod.py's VALUE or extra.py's BONUS.
        action = "improve_b" if part == "extra" else "improve"
    if action == "improve":
        bump(1)
    elif action == "improve2":
        bump(2)
    elif action == "improve_b":
        bump(1, "extra.py", "BONUS")
    elif action == "both":
        bump(1)
        bump(1, "extra.py", "BONUS")
    elif action == "hang_pid":
        pids = Path(sys.argv[1]).with_suffix(".pids")
        with pids.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        time.sleep(600)
    elif action == "worse":
        bump(-1)
    elif action == "cut30":
        bump(-3)
    elif action == "poison":
        # Code in scope that, when imported, plants a module in the best's worktree.
        path = Path("mod.py")
        path.write_text(
            path.read_text()
            + "\nimport pathlib as _p\n"
            + "_best = _p.Path.cwd().with_name(_p.Path.cwd().name + '-best')\n"
            + "if _best.is_dir():\n"
            + "    (_best / 'sitecustomize.py').write_text('import time\\n')\n"
        )
    elif action == "comment":
        path = Path("mod.py")
        path.write_text(path.read_text() + f"# a change that does nothing ({number})\n")
    elif action == "break":
        bump(1)
        Path("mod.py").write_text(Path("mod.py").read_text() + "\nBROKEN = True\n")
    elif action == "guard":
        path = Path("tests/autoimprove_guard/test_guard.py")
        path.write_text(path.read_text().replace("< 1000", "< 10**9"))
        bump(1)
    elif action == "conftest":
        Path("tests/conftest.py").write_text("collect_ignore = ['test_mod.py']\n")
        bump(1)
    elif action == "addopts":
        path = Path("pyproject.toml")
        path.write_text(path.read_text().replace("testpaths", 'addopts = "-k nothing"\ntestpaths'))
        bump(1)
    elif action == "outside":
        Path("README.md").write_text("changed\n")
        bump(1)
    elif action == "bench":
        Path("bench.py").write_text("print('SCORE: 1000000')\n")
    elif action == "exit0":
        bump(1)
        Path("mod.py").write_text(Path("mod.py").read_text() + "\nEXIT = True\n")
    elif action == "crash":
        print("agent blew up", file=sys.stderr)
        return 3
    elif action == "hang":
        time.sleep(600)
    elif action == "fork":
        child = subprocess.Popen(
            [sys.executable, "-c", "import time; time.sleep(600)"],
        )
        Path(sys.argv[1]).with_suffix(".child").write_text(str(child.pid))
        bump(1)
    elif action == "commit":
        bump(1)
        subprocess.run(["git", "commit", "-qam", "agent's own commit"], check=True)
    elif action == "snapshot":
        bump(1)
        Path("mod.py").write_text(Path("mod.py").read_text() + "\n# run with --snapshot-update\n")
    elif action == "escape":
        # The first time: leave a child in a session of its own that writes into the
        # worktree later, and hang until the loop is killed. Done again: improve.
        bump(1)
        marker = Path(sys.argv[1]).with_suffix(".escaped")
        if not marker.exists():
            marker.write_text("")
            child = subprocess.Popen(
                [sys.executable, "-c", STRAY, str(Path("mod.py").resolve())],
                start_new_session=True,
            )
            Path(sys.argv[1]).with_suffix(".child").write_text(str(child.pid))
            time.sleep(600)
    elif action == "slow":
        time.sleep(float(os.environ.get("FAKE_AGENT_SLEEP", "0.5")))
        bump(1)
    print(f"DESCRIPTION: {action} at experiment {number}" + (f" on {part}" if part else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
