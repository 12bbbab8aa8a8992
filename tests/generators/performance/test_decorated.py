"""Decorated targets: a decorator that makes a factory of a function is seen through.

voluptuous writes its validators as ``def Boolean(v)`` under ``@message(...)``, which
turns ``Boolean`` into ``Boolean(msg=None, cls=None)`` returning the validator: called
with what ``v`` takes, it returns a new function and the body never runs. The tracer
records the ``def``'s own calls; the guardrails call the ``def`` as written. A
decorator that keeps the call (a cache, a logger) is called as it is.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.runtime.replay import as_written

VALIDATORS = '''
import functools


def message(default):
    def decorator(f):
        @functools.wraps(f)
        def check(msg=None, cls=None):
            @functools.wraps(f)
            def wrapper(*args, **kwargs):
                try:
                    return f(*args, **kwargs)
                except ValueError:
                    raise (cls or TypeError)(msg or default)

            return wrapper

        return check

    return decorator


@message("expected a boolean")
def boolean(v):
    """A validator: ``boolean()("Yes")`` is True."""
    if isinstance(v, str):
        v = v.strip().lower()
        if v in ("1", "true", "yes", "on"):
            return True
        if v in ("0", "false", "no", "off"):
            return False
    raise ValueError(v)


def logged(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)

    return wrapper


@logged
def double(text):
    return text + text
'''


def test_a_factory_decorator_is_seen_through_and_a_keeping_one_is_not() -> None:
    module = types.ModuleType("validators")
    exec(VALIDATORS, module.__dict__)  # noqa: S102 - the module under test, written here
    assert as_written(module.boolean) is module.boolean.__wrapped__
    assert as_written(module.boolean)("Yes") is True
    assert as_written(module.double) is module.double  # `*args, **kwargs`: kept
    cached = functools.lru_cache(maxsize=None)(module.double.__wrapped__)
    assert as_written(cached) is cached
    assert as_written(len) is len


def test_the_body_under_a_factory_decorator_is_guarded(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("validators", VALIDATORS)
    project.assert_caught('if v in ("1", "true", "yes", "on"):', 'if v in ("1", "yes", "on"):')
    project.assert_caught("return text + text", "return text + text + text")
    project.assert_passes(
        'if v in ("1", "true", "yes", "on"):', 'if v in {"1", "true", "yes", "on"}:'
    )
