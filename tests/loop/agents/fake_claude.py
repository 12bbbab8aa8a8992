"""Pretends to be the claude CLI: checks the preset's flags, edits mod.py, describes it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

args = sys.argv[1:]
if args == ["--version"]:  # what the loop asks before the baseline
    print("1.0.0 (fake Claude Code)")
    sys.exit(0)
assert args[:2] == ["-p", "--dangerously-skip-permissions"], args
assert args[2:4] == ["--model", "opus"], args
prompt = args[4]
assert "## Rules" in prompt and "experiment 1" in prompt, prompt
path = Path("mod.py")
text = path.read_text()
value = int(re.search(r"VALUE = (\d+)", text).group(1))  # type: ignore[union-attr]
path.write_text(text.replace(f"VALUE = {value}", f"VALUE = {value + 5}"))
print("I made VALUE bigger.")
print("DESCRIPTION: raise VALUE by 5")
