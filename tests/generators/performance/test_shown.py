"""Documents the README and docs show: a parser's many-line input, from its author.

A patch parser rejects or ignores random text; the patch its README shows reaches
every branch, hunk after hunk, and with CRLF line ends it is a Windows file too.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from guarded import Guarded

from pytest_autoimprove.generators.performance.shown import MAX_SHOWN, shown_documents

README = """\
# Hunks

```bash
$ pip install hunks
```

```python
from hunks import added_lines
```

Given this patch:

```diff
--- a/notes.txt
+++ b/notes.txt
@@ -1,2 +1,2 @@
-old first
+new first
 kept
@@ -9,1 +9,2 @@
 kept too
+appended
```

`added_lines` gives `[['new first'], ['appended']]`.
"""

DOCS = """\
Settings
========

.. code-block:: ini

    [server]
    port = 8080

A one-line block is no document:

.. code-block:: ini

    [empty]
"""


def test_the_data_blocks_of_the_readme_and_docs(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "settings.rst").write_text(DOCS, encoding="utf-8")
    documents = shown_documents(tmp_path)
    # Shell and Python blocks are code, not input; the diff and the INI file are.
    assert [d.splitlines()[0] for d in documents] == ["--- a/notes.txt", "[server]"]
    assert documents[1] == "[server]\nport = 8080\n"
    many = "".join(f"```text\nline {i}\nline {i + 1}\n```\n" for i in range(MAX_SHOWN + 2))
    (tmp_path / "README.md").write_text(many, encoding="utf-8")
    assert len(shown_documents(tmp_path)) == MAX_SHOWN


HUNKS = '''
def added_lines(text):
    """The lines each hunk of a unified diff adds, hunk by hunk."""
    hunks = []
    for line in text.split("\\n"):
        line = line.rstrip("\\r")
        if line.startswith("@@"):
            hunks.append([])
        elif hunks and line.startswith("+"):
            hunks[-1].append(line[1:])
    return hunks
'''


def test_regressions_only_the_shown_patch_reaches_are_caught(
    tmp_path: Path, guarded: Callable[[str, str], Guarded]
) -> None:
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    project = guarded("hunks", textwrap.dedent(HUNKS))
    assert "# a document the project's docs show" in project.guard_text()
    # One list for every hunk: only a patch of two hunks shows it.
    project.assert_caught(
        "            hunks.append([])\n", "            hunks.append(hunks[-1] if hunks else [])\n"
    )
    # The '\r' of a CRLF line kept: the shown patch with CRLF line ends shows it.
    project.assert_caught('        line = line.rstrip("\\r")\n', "")
