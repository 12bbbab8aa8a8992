"""Documents a project's README and docs show: sample inputs of the formats it parses.

A patch parser's README shows a patch in a ``.. code-block:: diff``; a config reader's
shows an INI file in a ```` ```ini ```` fence. Such a block is the author's own valid
input, whole and many lines long, which no regular expression of the module and no
random text is: it leads the text parameters' samples (see ``inputs._with_shown``).
Blocks of Python, shell sessions and consoles are code, not data: the doctests and
examples read the Python ones (:mod:`.doctests`, :mod:`.examples`).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from pytest_autoimprove.generators.performance.doctests import doc_texts

__all__ = ["MAX_SHOWN", "shown_documents"]

#: Documents taken from one project, at most, and the lines of one.
MAX_SHOWN = 3
MAX_LINES = 60
#: Languages of code, not of data: their blocks are never a parser's input.
_CODE = frozenset(
    {"python", "python3", "py", "pycon", "pytb", "ipython", "bash", "sh", "shell", "zsh",
     "console", "shell-session", "sh-session", "powershell", "ps1", "bat", "cmd", "doscon",
     "javascript", "js", "typescript", "ts", "rust", "go", "c", "cpp", "java", "ruby"}
)  # fmt: skip
_FENCED = re.compile(
    r"^[ \t]*(?:```|~~~)[ \t]*([\w+-]+)[^\n]*\n(.*?)^[ \t]*(?:```|~~~)", re.MULTILINE | re.DOTALL
)
_DIRECTIVE = re.compile(
    r"^([ \t]*)\.\. (?:code-block|code|sourcecode)::[ \t]*([\w+-]+)[ \t]*\n"
    r"(?:\1[ \t]+:[^\n]*\n)*\n?((?:(?:\1[ \t]+[^\n]*)?\n)+)",
    re.MULTILINE,
)


def shown_documents(root: Path) -> list[str]:
    """The data blocks of ``root``'s README and docs pages, in order, each ending in a
    line break: at most :data:`MAX_SHOWN`, each of 2 to :data:`MAX_LINES` lines."""
    found: list[str] = []
    for _, text in doc_texts(root):
        blocks = [(m.start(), m.group(1), m.group(2)) for m in _FENCED.finditer(text)]
        blocks += [(m.start(), m.group(2), m.group(3)) for m in _DIRECTIVE.finditer(text)]
        for _, language, body in sorted(blocks):
            if language.lower() in _CODE:
                continue
            document = textwrap.dedent(body).strip("\n") + "\n"
            if 2 <= document.count("\n") <= MAX_LINES and document not in found:
                found.append(document)
    return found[:MAX_SHOWN]
