"""A call's own working directory: empty when it starts, removed when it ends.

Imported by the frozen tests: standard library only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

__all__ = ["own_directory"]


@contextlib.contextmanager
def own_directory() -> Iterator[None]:
    """Run in a fresh empty working directory, removed afterwards.

    Code that opens the names it is given (``write_hex_file("w")``, ``loadhex(path)``)
    wrote files into the project when the probe recorded it, and a later call found
    what an earlier one wrote: a case that raised ``FileNotFoundError`` when it was
    recorded returned once another test had written that file. Each call now starts
    in the same empty directory, whatever ran before it, and leaves nothing behind.
    """
    previous = os.getcwd()
    scratch = tempfile.mkdtemp(prefix="autoimprove-call-")
    os.chdir(scratch)
    try:
        yield
    finally:
        os.chdir(previous)
        shutil.rmtree(scratch, ignore_errors=True)
