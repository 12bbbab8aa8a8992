"""The legacy guard folders are data for test_legacy_guards.py, not tests of this suite."""

from __future__ import annotations

collect_ignore = ["legacy"]
