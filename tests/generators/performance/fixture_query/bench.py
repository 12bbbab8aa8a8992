import time

from tinyquery import search

started = time.perf_counter()
for _ in range(2000):
    search("a.b[1].c", {"a": {"b": [{"c": 1}, {"c": 2}]}})
print(f"SCORE: {time.perf_counter() - started:.4f}")
