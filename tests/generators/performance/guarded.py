"""A one-module project with its speed guardrails generated: the end-to-end tests of
one input source each build one, break it in one place, and run its guardrails."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Guarded:
    """A one-module project in ``root`` with its guardrails generated and written."""

    root: Path
    name: str
    source: str

    @property
    def guard(self) -> Path:
        return Path(f"tests/autoimprove_guard/test_guard_{self.name}.py")

    def guard_text(self) -> str:
        return (self.root / self.guard).read_text(encoding="utf-8")

    def run_with(self, old: str, new: str) -> subprocess.CompletedProcess[str]:
        """The guardrails run on the module with ``old`` replaced by ``new``."""
        assert old in self.source
        module = self.root / f"{self.name}.py"
        module.write_text(self.source.replace(old, new), encoding="utf-8")
        return self.run()

    def run(self, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """The guardrails run on the module as it is now (``env``: the whole environment)."""
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", str(self.guard)],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=env,
        )

    def assert_caught(self, old: str, new: str) -> None:
        """The guardrails fail on the module with ``old`` replaced by ``new``."""
        result = self.run_with(old, new)
        assert result.returncode == 1, result.stdout[-1500:]

    def assert_passes(self, old: str, new: str) -> None:
        """The guardrails pass on the module with ``old`` replaced by ``new``."""
        result = self.run_with(old, new)
        assert result.returncode == 0, result.stdout[-1500:]
