"""Accuracy of the intent classifier: ``python evaluate.py`` prints ``SCORE: x``.

Reads ``$AUTOIMPROVE_GOLDEN`` when set (the loop's visible split), else the golden file.
"""

from __future__ import annotations

import json
import os
import sys

from intents import classify

path = os.environ.get("AUTOIMPROVE_GOLDEN", "data/golden.jsonl")
rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
if not rows:
    sys.exit("empty golden set")
right = sum(classify(row["text"]) == row["intent"] for row in rows)
print(f"SCORE: {right / len(rows):.4f}")
