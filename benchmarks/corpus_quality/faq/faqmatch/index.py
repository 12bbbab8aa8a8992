"""Match a user's question to the closest entries of a FAQ (BM25 over the FAQ questions)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

K1 = 1.2
B = 0.75
ANSWER_WEIGHT = 0.0
_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class FaqIndex:
    """BM25 over each entry's question (and, weighted, its answer)."""

    def __init__(self, entries: list[dict[str, str]]) -> None:
        self.ids = [e["id"] for e in entries]
        self.docs = [
            Counter(tokens(e["question"]))
            + Counter({t: 0 for t in tokens(e["answer"])})
            for e in entries
        ]
        self.answers = [Counter(tokens(e["answer"])) for e in entries]
        self.avg = sum(sum(d.values()) for d in self.docs) / max(len(self.docs), 1)
        df: Counter[str] = Counter()
        for doc in self.docs:
            df.update(t for t, n in doc.items() if n)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    @classmethod
    def from_file(cls, path: str | Path) -> FaqIndex:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return cls([json.loads(line) for line in lines if line.strip()])

    def lookup(self, question: str, top_k: int = 3) -> list[dict[str, object]]:
        """The ``top_k`` best entries as ``{"id", "score"}``, best first."""
        terms = tokens(question)
        scored = []
        for i, doc in enumerate(self.docs):
            length = sum(doc.values())
            score = 0.0
            for t in terms:
                tf = doc.get(t, 0)
                if tf:
                    norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.avg))
                    score += self.idf.get(t, 0.0) * norm
                score += ANSWER_WEIGHT * self.answers[i].get(t, 0)
            if score > 0:
                scored.append({"id": self.ids[i], "score": round(score, 6)})
        scored.sort(key=lambda item: (-float(item["score"]), str(item["id"])))
        return scored[:top_k]
