"""A tiny store."""

from __future__ import annotations

import sqlite3


def connect(path: str = ":memory:") -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("create table items (name text, qty integer)")
    db.executemany("insert into items values (?, ?)", [("apple", 3), ("pear", 5), ("apple", 2)])
    return db


def total_qty(db: sqlite3.Connection, name: str | None = None) -> int:
    if name is None:
        row = db.execute("select sum(qty) from items").fetchone()
    else:
        row = db.execute("select sum(qty) from items where name = ?", (name,)).fetchone()
    return row[0] or 0
