"""The public surface of a module: its names and their signatures, frozen by a guardrail.

A rewrite that removes a public function or changes how it is called breaks every
caller the recorded cases do not know, so the generated file freezes each public
name's signature and checks it first.

Imported by the frozen tests: standard library only.
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["check_surface", "surface_of"]

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def surface_of(
    module: types.ModuleType, names: Sequence[str], *, internal: bool = False
) -> dict[str, str | None]:
    """``name -> signature`` for the given public names (``None``: missing).

    Internal parameters (a private name with a default, ``_m=CHUNK.match``: a global
    cached as a local, which no caller passes) are left out unless ``internal``: a
    rewrite may add, drop or rename them."""
    out: dict[str, str | None] = {}
    for name in names:
        obj: Any = module
        for part in name.split("."):
            obj = getattr(obj, part, _MISSING)
            if obj is _MISSING:
                break
        if obj is _MISSING:
            out[name] = None
            continue
        try:
            sig = inspect.signature(obj)
        except (TypeError, ValueError):
            out[name] = "(...)"
            continue
        if not internal:
            kept = [
                p
                for p in sig.parameters.values()
                if not (p.name.startswith("_") and p.default is not p.empty)
            ]
            sig = sig.replace(parameters=kept)
        out[name] = _ADDRESS.sub("", str(sig))
    return out


_MISSING = object()


def check_surface(module: types.ModuleType, surface: Mapping[str, str]) -> None:
    """Every public name of the baseline still exists with the same signature."""
    now = surface_of(module, list(surface))
    missing = [name for name, sig in now.items() if sig is None]
    if missing:
        raise AssertionError(f"public names removed: {', '.join(missing)}")
    # Surfaces frozen before internal parameters were left out hold them.
    full = surface_of(module, list(surface), internal=True)
    changed = [
        f"{name}{surface[name]} -> {name}{now[name]}"
        for name in surface
        if surface[name] not in (now[name], full[name])
    ]
    if changed:
        raise AssertionError("signatures changed: " + "; ".join(changed))
