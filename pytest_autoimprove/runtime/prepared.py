"""A receiver made ready by the calls its class wants first, and read by the methods
that answer for it afterwards.

asn1's ``Encoder`` raises ``Error('... Call start() first.')`` on every ``write`` to a
fresh instance, and ``write`` returns ``None``: what it did lives in a private stack
that only ``output()`` shows. Called on a bare instance, 163 frozen cases of ``write``
all froze that one error, and a regression in the integer encoder passed. A method's
receiver is now written ``Build('pytest_autoimprove.runtime.prepared.ready',
Build('Encoder'), setup=(('start', (), {}),), read=('output',))``: built by its
constructor, made ready by the set-up calls, and, after the call under test, read by
the methods named in ``read``, whose answers join its public state
(``'<output()>'``).

Imported by the frozen tests: standard library only.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from pytest_autoimprove.runtime.compare import type_name
from pytest_autoimprove.runtime.results import materialize

__all__ = ["readings", "ready"]

#: ``id(instance) -> (weak reference, reading methods, answers once read)`` of the
#: instances :func:`ready` made. Keyed by identity: an instance equal to another (its
#: own ``__eq__``) is still not that one.
_READERS: dict[int, tuple[weakref.ref[Any], tuple[str, ...], dict[str, Any] | None]] = {}


def ready(
    instance: Any,
    setup: Sequence[tuple[str, Sequence[Any], dict[str, Any]]] = (),
    read: Sequence[str] = (),
) -> Any:
    """``instance`` after its ``setup`` calls; ``read`` names the methods that report
    its state after the call under test (see :func:`readings`)."""
    for name, args, kwargs in setup:
        getattr(instance, name)(*args, **kwargs)
    if read:
        key = id(instance)
        try:
            ref = weakref.ref(instance, lambda _: _READERS.pop(key, None))
        except TypeError:  # no weak references (``__slots__`` without one): not read
            return instance
        _READERS[key] = (ref, tuple(read), None)
    return instance


def readings(obj: Any) -> dict[str, Any]:
    """What the reading methods of ``obj`` answer now: ``{'<output()>': b'...'}``, an
    exception as ``'raises module.Name'``. Read once: a second look gives the first
    answers (a reader such as ``output()`` may end the instance's work)."""
    entry = _READERS.get(id(obj))
    if entry is None or entry[0]() is not obj:
        return {}
    ref, names, answers = entry
    if answers is not None:
        return dict(answers)
    answers = {}
    for name in names:
        try:
            answers[f"<{name}()>"] = materialize(getattr(obj, name)())
        except Exception as error:  # noqa: BLE001 - what it raises is its answer
            answers[f"<{name}()>"] = f"raises {type_name(type(error))}"
    _READERS[id(obj)] = (ref, names, answers)
    return dict(answers)
