"""Results that hold a function that cannot be stored are frozen with its name.

A validation library returning failure objects that carry the checking function
(``Failure(func=check, value=...)``), where that function is the original under a
decorator (pickle refuses it: the module attribute is the wrapper), had every such call
dropped as "unpicklable", and with it every guardrail of the module.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.probe import portable
from pytest_autoimprove.runtime.compare import Named, difference

CHECKS = '''
import functools


class Failure:
    """What a failed check returns (falsy), naming the check and the value."""

    def __init__(self, func, value):
        self.func = func
        self.value = value

    def __bool__(self):
        return False


def checker(func):
    @functools.wraps(func)
    def wrapper(value):
        return True if func(value) else Failure(func, value)

    return wrapper


@checker
def digits(value: str) -> bool:
    """Only ASCII digits, at least one."""
    return bool(value) and all("0" <= c <= "9" for c in value)
'''


def test_what_does_not_pickle_is_stored_by_name() -> None:
    def local() -> None: ...

    value = {"f": local, "n": [1, len]}
    stored = portable(value)
    assert stored["f"] == Named(f"{__name__}.{local.__qualname__}")
    assert stored["n"] == [1, len]  # a builtin pickles: kept as it is
    pickle.dumps(stored)
    # The name matches the function it stood for, and no other.
    assert difference(local, stored["f"]) is None
    assert difference(len, stored["f"]) is not None


class _Invalid(Exception):
    """Returned, not raised: a validation library's failure, its check in ``args``."""


def test_an_exception_is_stored_with_its_args_made_portable() -> None:
    def check(value: str) -> bool:
        return bool(value)

    failure = _Invalid(check, {"value": ""})
    stored = portable(failure)
    assert stored.args == (Named(f"{__name__}.{check.__qualname__}"), {"value": ""})
    assert failure.args[0] is check  # the original is left as it was
    assert difference(failure, pickle.loads(pickle.dumps(stored))) is None


def test_a_failure_object_holding_the_decorated_original_is_frozen(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("checks", CHECKS)
    text = project.guard_text()
    # The empty string's answer (a Failure holding the original ``digits``) is frozen.
    assert "DATA['digits/empty-input-value-0']" in text
    # The empty string accepted: the baseline's answer is a Failure holding ``digits``'
    # original (decorated away, so it does not pickle), frozen with its name.
    project.assert_caught("bool(value) and all(", "all(")
    # An honest rewrite: the same check with a set.
    project.assert_passes('all("0" <= c <= "9" for c in value)', 'set(value) <= set("0123456789")')
