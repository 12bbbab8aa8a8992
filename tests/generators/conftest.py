"""The fixture project and the recorded output are data, not tests of this suite."""

from __future__ import annotations

collect_ignore = ["fixture_project", "recorded"]
