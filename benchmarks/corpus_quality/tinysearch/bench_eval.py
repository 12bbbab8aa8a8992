"""MRR@5 of tinysearch on a golden set: ``python bench_eval.py GOLDEN`` prints ``SCORE: x``."""

from __future__ import annotations

import json
import sys

from tinysearch import search

rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
if not rows:
    sys.exit("empty golden set")
total = 0.0
for row in rows:
    ids = [doc_id for doc_id, _ in search(row["query"], limit=5)]
    total += next((1 / r for r, i in enumerate(ids, 1) if i in row["relevant"]), 0.0)
print(f"SCORE: {total / len(rows):.4f}")
