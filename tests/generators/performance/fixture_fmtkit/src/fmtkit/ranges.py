"""Page ranges."""

from __future__ import annotations


def expand(spec):
    pages = []
    for part in spec.split(","):
        if "-" in part:
            start, end = part.split("-")
            pages.extend(range(int(start), int(end) + 1))
        else:
            pages.append(int(part))
    return pages
