"""Internal parameters (``_m=CHUNK.match``, ``_len=len``): globals cached as locals for
speed, which no caller passes. The guardrails never pass them, so a rewrite that adds,
drops or renames one changes nothing they see, and their budget goes to the real ones."""

from __future__ import annotations

import pickle
import textwrap
from collections.abc import Callable
from pathlib import Path

from guarded import Guarded

from pytest_autoimprove.generators.discover import discover
from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.generators.performance.plan import _without_internal

SCANNER = r'''
import re

CHUNK = re.compile(r'[a-z]*(["\\])')


def scan(s, end, _m=CHUNK.match, _len=len):
    """The text of ``s`` from ``end`` up to the closing quote, and the index after it."""
    chunk = _m(s, end)
    if chunk is None:
        raise ValueError(f"unterminated text at {end}")
    if chunk.group(1) == "\\":
        raise ValueError(f"escape at {chunk.end()}")
    if _len(s) > 100:
        raise ValueError("too long")
    return s[end : chunk.end() - 1], chunk.end()
'''


def test_a_pattern_method_cached_in_a_default_matches_its_first_argument() -> None:
    facts = read_facts(textwrap.dedent(SCANNER), "scanner")
    assert facts.matched["scan"] == ["s"]  # `end` is an index, not text of the format


def test_a_recorded_call_loses_the_internal_arguments_the_frame_held(tmp_path: Path) -> None:
    (tmp_path / "scanner.py").write_text(textwrap.dedent(SCANNER), encoding="utf-8")
    target = next(t for t in discover(tmp_path, Path("scanner.py")).targets if t.qualname == "scan")
    assert [p.name for p in target.params if p.internal] == ["_m", "_len"]
    recorded = pickle.dumps((('ab"', 0, "matcher", len), {"_len": len}, None), protocol=4)
    assert pickle.loads(_without_internal(recorded, target)) == (('ab"', 0), {}, None)


def test_the_guardrails_never_pass_an_internal_parameter(
    guarded: Callable[[str, str], Guarded],
) -> None:
    scanner = guarded("scanner", SCANNER)
    guard = scanner.guard_text()
    assert "'_m'" not in guard and "'_len'" not in guard, guard[-3000:]
    # The local caches dropped: the same behaviour.
    scanner.assert_passes(
        'def scan(s, end, _m=CHUNK.match, _len=len):\n    """',
        'def scan(s, end):\n    _m, _len = CHUNK.match, len\n    """',
    )
    # The escape check dropped: a regression the format's strings reach.
    scanner.assert_caught('    if chunk.group(1) == "\\\\":\n', "    if False:\n")
