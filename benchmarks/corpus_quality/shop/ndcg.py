"""nDCG@5 of the product ranker on a golden set: ``python ndcg.py GOLDEN``."""

from __future__ import annotations

import json
import math
import sys

from shoprank import rank

data = json.load(open(sys.argv[1], encoding="utf-8"))["data"]
total = 0.0
for row in data:
    skus = [hit.sku for hit in rank(row["q"], limit=5)]
    gains = [1.0 if sku in row["relevant"] else 0.0 for sku in skus]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(row["relevant"]), 5)))
    total += dcg / ideal if ideal else 0.0
print(f"ndcg@5 {total / max(len(data), 1):.4f}")
