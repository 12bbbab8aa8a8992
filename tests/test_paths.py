"""Repo-relative patterns: one meaning of `*`, `**` and plain names everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_autoimprove.paths import expand, matches, matches_any, normalize


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("src/rank/bm25.py", "src/rank/*.py", True),
        ("src/rank/sub/x.py", "src/rank/*.py", False),
        ("src/rank/sub/x.py", "src/**/*.py", True),
        ("src/a.py", "src/**/*.py", True),
        ("src/a.py", "src", True),
        ("src/a.py", "src/", True),
        ("srcx/a.py", "src", False),
        ("bench.py", "./bench.py", True),
        ("data/golden.jsonl", "data/*.json", False),
        ("data/golden.jsonl", "data/*.jsonl", True),
        ("a/b.py", "[ab]/b.py", True),
        ("c/b.py", "[!ab]/b.py", True),
    ],
)
def test_matches(path: str, pattern: str, expected: bool) -> None:
    assert matches(path, pattern) is expected


_part = st.sampled_from(["src", "a", "b.py", "rank", "x.txt", "*", "**", "*.py", "[ab]"])
_patterns = st.lists(st.lists(_part, min_size=1, max_size=3).map("/".join), max_size=4)
_paths = st.lists(
    st.sampled_from(["src", "a", "b.py", "rank", "x.txt"]), min_size=1, max_size=4
).map("/".join)


@given(_paths, _patterns)
def test_matches_any_is_any_of_matches(path: str, patterns: list[str]) -> None:
    assert matches_any(path, patterns) == any(matches(path, p) for p in patterns)


def test_normalize() -> None:
    assert normalize("./a\\b/") == "a/b"


def test_expand_lists_files_not_caches(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text("")
    (tmp_path / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"")
    assert expand(tmp_path, ["pkg"]) == ["pkg/a.py"]
    assert expand(tmp_path, ["pkg/*.py", "missing.py"]) == ["pkg/a.py"]
