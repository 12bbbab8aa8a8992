"""The fixture package is data for test_inputs_e2e.py, not tests of this suite."""

from __future__ import annotations

collect_ignore = ["fixture_fmtkit"]
