"""Routing accuracy on the golden tickets (a fixed path): prints ``accuracy x``."""

from __future__ import annotations

import csv

from router import predict

with open("data/golden.csv", encoding="utf-8", newline="") as handle:
    rows = list(csv.DictReader(handle))
guesses = predict([row["ticket"] for row in rows])
right = sum(g == row["team"] for g, row in zip(guesses, rows))
print(f"accuracy {right / max(len(rows), 1):.4f}")
