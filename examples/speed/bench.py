"""Time ``normalize_and_dedupe`` on a fixed workload: ``python bench.py`` prints ``SCORE: <ms>``.

The workload is 10,000 labels as people type them (3% None, 3% blank), drawn
from about 150 distinct labels in many spellings: case, extra spaces, tabs,
no-break spaces, full-width letters, decomposed accents and ligatures. It is
built from a fixed seed, so every run times the same input. SCORE is the median
CPU time of 9 runs after one warm-up, in milliseconds (lower is better).

Why CPU time: the function is single-threaded and CPU-bound, and on a busy
machine most of the noise in wall time is other processes taking the core away
(wall time varied by +-50% between runs on a loaded 2-core box, CPU time by a
few percent). The median wall time is printed too, as ``wall_ms``, so a change
that moves work out of the process (a subprocess's CPU time is not counted; a
thread's is) still shows up.

This file is frozen by improve.md: an experiment that edits it is discarded.
"""

from __future__ import annotations

import random
import statistics
import time
import unicodedata

from textnorm import normalize_and_dedupe

LINES = 10_000
RUNS = 9
SEED = 20240611

WORDS = (  # noqa: SIM905
    "café latte espresso flat white mocha chai matcha oat milk decaf cold brew "
    "straße garden bulb tulip daffodil crocus fern hosta aster dahlia basil "
    "naïve résumé façade piñata jalapeño crème brûlée fiancé über soufflé "
    "office profile offline workflow affinity efficient fifty fluffy "
    "north south east west red green blue amber violet "
    "alpha beta gamma delta sigma omega release hotfix backlog urgent"
).split()


def _variant(label: str, rng: random.Random) -> str:
    """One way a person might type ``label``."""
    text = label
    pick = rng.random()
    if pick < 0.25:
        text = text.upper()
    elif pick < 0.5:
        text = text.title()
    if rng.random() < 0.3:
        text = text.replace(" ", rng.choice(["  ", "\t", "\u00a0", " \u3000 "]))
    if rng.random() < 0.2:  # full-width letters, as typed with an East Asian keyboard
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    if rng.random() < 0.2:
        text = unicodedata.normalize("NFD", text)
    if rng.random() < 0.1:
        text = text.replace("fi", "\ufb01").replace("ff", "\ufb00")
    if rng.random() < 0.3:
        text = rng.choice([" ", "  ", "\t"]) + text + rng.choice(["", " ", "\n"])
    return text


def workload() -> list[str | None]:
    rng = random.Random(SEED)
    labels = sorted({" ".join(rng.sample(WORDS, rng.choice([1, 2, 2, 3]))) for _ in range(150)})
    lines: list[str | None] = []
    for _ in range(LINES):
        roll = rng.random()
        if roll < 0.03:
            lines.append(None)
        elif roll < 0.06:
            lines.append(rng.choice(["", " ", "\t \u00a0"]))
        else:
            lines.append(_variant(rng.choice(labels), rng))
    return lines


def main() -> None:
    lines = workload()
    unique = len(normalize_and_dedupe(lines))  # warm-up, and a figure to print
    cpu_ms, wall_ms = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        normalize_and_dedupe(lines)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        wall_ms.append((time.perf_counter() - wall) * 1000)
    print(f"lines={len(lines)} unique={unique}")
    print(f"wall_ms={statistics.median(wall_ms):.3f}")
    print(f"SCORE: {statistics.median(cpu_ms):.3f}")


if __name__ == "__main__":
    main()
