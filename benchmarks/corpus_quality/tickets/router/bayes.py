"""Route support tickets to a team: multinomial naive Bayes trained on data/train.jsonl."""

from __future__ import annotations

import json
import math
from collections import Counter
from functools import lru_cache
from pathlib import Path

TRAIN = Path(__file__).resolve().parent.parent / "data" / "train.jsonl"
ALPHA = 1.0


def features(text: str) -> list[str]:
    return text.split()


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, float], dict[str, Counter[str]], dict[str, int], set[str]]:
    rows = [json.loads(line) for line in TRAIN.read_text(encoding="utf-8").splitlines() if line]
    counts: dict[str, Counter[str]] = {}
    docs: Counter[str] = Counter()
    for row in rows:
        docs[row["team"]] += 1
        counts.setdefault(row["team"], Counter()).update(features(row["text"]))
    priors = {team: math.log(n / len(rows)) for team, n in docs.items()}
    totals = {team: sum(c.values()) for team, c in counts.items()}
    vocab = {w for c in counts.values() for w in c}
    return priors, counts, totals, vocab


def predict(texts: list[str]) -> list[str]:
    """The team for each ticket, in order."""
    priors, counts, totals, vocab = _model()
    out = []
    for text in texts:
        best, best_score = "", -math.inf
        for team in sorted(priors):
            score = priors[team]
            for word in features(text):
                if word in vocab:
                    score += math.log(
                        (counts[team][word] + ALPHA) / (totals[team] + ALPHA * len(vocab))
                    )
            if score > best_score:
                best, best_score = team, score
        out.append(best)
    return out
