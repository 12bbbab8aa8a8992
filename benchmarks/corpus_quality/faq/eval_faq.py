"""hit@3 of the FAQ matcher: ``python eval_faq.py GOLDEN`` prints ``hit@3=x``."""

from __future__ import annotations

import json
import sys

from faqmatch import FaqIndex

index = FaqIndex.from_file("data/faq.jsonl")
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
hits = 0
for row in rows:
    found = [item["id"] for item in index.lookup(row["question"], top_k=3)]
    hits += any(i in row["relevant"] for i in found)
print(f"hit@3={hits / max(len(rows), 1):.4f}")
