"""Fixture packages are data for the tests beside them, not tests of this suite."""

from __future__ import annotations

collect_ignore = ["fixture_fmtkit", "fixture_query"]
