"""Pairwise combinations of edge values: odd values of two parameters together.

Edge cases vary one parameter at a time, around ordinary values of the others; a fast
path that is wrong only when two parameters are odd at once (an empty text with a
negative width, ``None`` with ``strict=True``) goes unseen. A covering array of
strength two puts every pair of edge values of every two parameters in at least one
call, in far fewer calls than all combinations (built greedily, deterministically).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["SKIPPED_RISKS", "covering_rows", "pick_edges"]

#: Edge risks left out of combinations: big inputs are slow and order edges say
#: nothing new in combination.
SKIPPED_RISKS = frozenset({"huge-input", "hash-order-output", "changed-floats", "int-precision"})
#: Edge values per parameter in the combinations, and calls per target at most.
PER_PARAM = 3
MAX_ROWS = 12


def pick_edges(edges: Sequence[tuple[object, str]], count: int = PER_PARAM) -> list[int]:
    """Indices of up to ``count`` edges: distinct risks first, then any (but skipped risks)."""
    usable = [i for i, (_, risk) in enumerate(edges) if risk not in SKIPPED_RISKS]
    chosen: list[int] = []
    seen: set[str] = set()
    for i in usable:
        if edges[i][1] not in seen:
            chosen.append(i)
            seen.add(edges[i][1])
    chosen += [i for i in usable if i not in chosen]
    return sorted(chosen[:count])


def covering_rows(sizes: Sequence[int], max_rows: int = MAX_ROWS) -> list[tuple[int, ...]]:
    """Rows (a value index per parameter) covering every pair of values of two parameters.

    Greedy: each row starts from the first uncovered pair and gives every other
    parameter the value that covers most uncovered pairs (lowest index on ties).
    Parameters with no values are left out (``-1``); at most ``max_rows`` rows.
    """
    params = [i for i, n in enumerate(sizes) if n > 0]
    if len(params) < 2:
        return []
    uncovered = {
        (i, a, j, b)
        for x, i in enumerate(params)
        for j in params[x + 1 :]
        for a in range(sizes[i])
        for b in range(sizes[j])
    }
    rows: list[tuple[int, ...]] = []
    while uncovered and len(rows) < max_rows:
        i, a, j, b = min(uncovered)
        row = [-1] * len(sizes)
        row[i], row[j] = a, b
        for p in params:
            if row[p] != -1:
                continue

            def gain(v: int, p: int = p, row: list[int] = row) -> tuple[int, int]:
                """Uncovered pairs ``p = v`` would cover with the values set so far."""
                pairs = [
                    (p, v, q, row[q]) if p < q else (q, row[q], p, v)
                    for q in params
                    if row[q] != -1
                ]
                return sum(1 for pair in pairs if pair in uncovered), -v

            row[p] = max(range(sizes[p]), key=gain)
        for x, p in enumerate(params):
            for q in params[x + 1 :]:
                uncovered.discard((p, row[p], q, row[q]))
        rows.append(tuple(row))
    return rows
