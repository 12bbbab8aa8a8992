"""``python -m pytest_autoimprove`` is ``autoimprove-guard``."""

from __future__ import annotations

import sys

from pytest_autoimprove.cli import main

sys.exit(main())
