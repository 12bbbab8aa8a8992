"""The query fixture project is data, not tests of this suite."""

from __future__ import annotations

collect_ignore = ["fixture_query"]
