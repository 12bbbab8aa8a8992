"""Score the search engine on the golden queries: ``python eval.py [GOLDEN_PATH]``.

Prints ``hit_rate`` (share of queries with a relevant chunk in the top 5), ``mrr``
(mean reciprocal rank of the first relevant chunk in the top 10) and
``SCORE: <0.5 * hit_rate + 0.5 * mrr>``, the number the autoimprove loop maximizes.

The golden file defaults to ``$AUTOIMPROVE_GOLDEN``, else ``data/golden.jsonl``.
This file is frozen by improve.md: an experiment that edits it is discarded.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from rag_search import search

HIT_AT = 5
MRR_AT = 10


def load_golden(path: Path) -> list[tuple[str, set[str]]]:
    """Read ``{"query": ..., "relevant": [ids]}`` lines; exit 2 with a message if malformed."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        sys.exit(f"eval.py: cannot read golden set {path}: {exc.strerror}")
    golden = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            golden.append((str(record["query"]), {str(i) for i in record["relevant"]}))
        except (ValueError, KeyError, TypeError):
            sys.exit(f'{path}:{number}: expected {{"query": "...", "relevant": ["id", ...]}}')
    if not golden:
        sys.exit(f"{path}: no golden queries")
    return golden


def evaluate(golden: list[tuple[str, set[str]]]) -> tuple[float, float]:
    """Return (hit rate at HIT_AT, mean reciprocal rank at MRR_AT)."""
    hits = 0
    reciprocal_ranks = 0.0
    for query, relevant in golden:
        ids = [hit.id for hit in search(query, limit=MRR_AT)]
        rank = next((n for n, chunk_id in enumerate(ids, 1) if chunk_id in relevant), None)
        if rank is not None:
            hits += rank <= HIT_AT
            reciprocal_ranks += 1.0 / rank
    return hits / len(golden), reciprocal_ranks / len(golden)


def main(argv: list[str]) -> None:
    default = os.environ.get("AUTOIMPROVE_GOLDEN") or Path(__file__).parent / "data/golden.jsonl"
    golden = load_golden(Path(argv[0] if argv else default))
    hit_rate, mrr = evaluate(golden)
    print(f"queries={len(golden)}")
    print(f"hit_rate={hit_rate:.3f}")
    print(f"mrr={mrr:.3f}")
    print(f"SCORE: {0.5 * hit_rate + 0.5 * mrr:.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
