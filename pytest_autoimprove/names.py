"""The names many modules share: folders, files, environment variables, options.

A leaf module (it imports nothing of ours), so the cheap pytest plugin, the loop, the
generators and the runtime that frozen tests import can all agree on a name without
importing each other.
"""

from __future__ import annotations

#: Where generated guardrail tests (and their data files) live, relative to the repo root.
GUARD_DIR = "tests/autoimprove_guard"
#: Where ``generate`` writes the golden set's visible split and holdout.
GOLDEN_SPLIT_DIR = f"{GUARD_DIR}/golden"
#: The marker on every generated test.
GUARD_MARKER = "autoimprove_guard"

#: Our folder in the user's repository.
STATE_DIR = ".autoimprove"
#: The guard lock: hashes of everything frozen.
LOCK_PATH = f"{STATE_DIR}/guard.lock"
#: One folder per run: journal.jsonl, results.tsv, report.md, progress.png.
RUNS_DIR = f"{STATE_DIR}/runs"
#: The loop's git worktrees.
WORKTREES_DIR = f"{STATE_DIR}/worktrees"
#: Branches of runs are ``autoimprove/<run-id>``.
BRANCH_PREFIX = "autoimprove/"

#: The file the ``autoimprove_score`` fixture appends to (one JSON object per line).
SCORE_FILE_ENV = "AUTOIMPROVE_SCORE_FILE"
#: The golden split a quality benchmark should score.
GOLDEN_ENV = "AUTOIMPROVE_GOLDEN"
#: Multiplies every "too slow" threshold of generation (a slow or busy machine).
SLOWNESS_ENV = "AUTOIMPROVE_GENERATE_SLOWNESS"

#: pytest options of the plugin and of the loop (``--autoimprove*``).
OPTION_LOOP = "--autoimprove"
OPTION_FILE = "--autoimprove-file"
OPTION_BUDGET = "--autoimprove-budget"
OPTION_ROUNDS = "--autoimprove-rounds"
OPTION_STALE = "--autoimprove-stale"
OPTION_RESUME = "--autoimprove-resume"
OPTION_VERIFY = "--autoimprove-verify"
OPTION_WORKERS = "--autoimprove-workers"
#: The loop's options that take a value (stripped before the rest reach the test gate).
LOOP_VALUE_OPTIONS = (OPTION_FILE, OPTION_BUDGET, OPTION_ROUNDS, OPTION_STALE, OPTION_WORKERS)

#: What a proposer is told about its worker and part in a parallel run.
WORKER_ENV = "AUTOIMPROVE_WORKER"
PART_ENV = "AUTOIMPROVE_PART"
#: The run's board of experiments in flight, this experiment's intent file, and the lock
#: agents hold while they claim (:mod:`pytest_autoimprove.loop.board`).
BOARD_ENV = "AUTOIMPROVE_BOARD"
INTENT_ENV = "AUTOIMPROVE_INTENT"
BOARD_LOCK_ENV = "AUTOIMPROVE_BOARD_LOCK"
