"""The child process of :func:`pytest_autoimprove.runtime.order.order_varies`.

Started with another ``PYTHONHASHSEED``, it calls the frozen baseline copy on a
pickled input and pickles back the result (``None`` when the call raised), so the
parent can see whether the baseline's own order depends on the hash seed.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from pytest_autoimprove.process import pickled_call
from pytest_autoimprove.runtime.replay import call, result_of


def answer(request: tuple[str, str, str, tuple[Any, Any, Any]]) -> tuple[object] | None:
    """``(result,)`` of the baseline's call, ``None`` when it raised."""
    module_name, qualname, kind, (args, kwargs, ctor) = request
    module = importlib.import_module(module_name)
    out = call(module, qualname, kind, args, kwargs, ctor)
    return None if out.error is not None else (result_of(out, kind),)


if __name__ == "__main__":
    raise SystemExit(pickled_call(answer, sys.argv[1:]))
