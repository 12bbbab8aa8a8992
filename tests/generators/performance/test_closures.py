"""A factory's closures: the function a call returns is guarded by what it answers.

titlecase's ``create_wordlist_filter_from_file`` and voluptuous' validators return a
function made on the spot. It cannot be stored and has no name to keep, so the frozen
result held its name alone and a rewrite of its body passed. The baseline's answers to
the call's own values (and a few ordinary ones) are frozen beside the name.

A ``@contextmanager`` function returns an object holding a generator, different on
every call, so its target had no test at all: it is entered and left, and what it
yields is its answer.
"""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

FACTORY = '''
def make_filter(words: list[str]):
    """A predicate: is ``word``, in any case, one of ``words``?"""
    wanted = {w.upper() for w in words}
    return lambda word: word.upper() in wanted


def scaler(factor: float):
    def scale(x):
        return x * factor

    return scale
'''


def test_a_returned_closure_is_compared_by_its_answers(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("factory", FACTORY)
    project.assert_caught(
        "return lambda word: word.upper() in wanted", "return lambda word: word in wanted"
    )
    project.assert_caught("return x * factor", "return x * factor * 1.0000001")
    project.assert_passes(
        "wanted = {w.upper() for w in words}", "wanted = frozenset(w.upper() for w in words)"
    )


MANAGERS = '''
import contextlib


@contextlib.contextmanager
def words_of(text: str):
    """Yield the lower-cased words of ``text``."""
    yield [w.lower() for w in text.split()]


@contextlib.asynccontextmanager
async def squeezed(text: str):
    yield " ".join(text.split())
'''


def test_a_context_manager_is_guarded_by_what_it_yields(
    guarded: Callable[[str, str], Guarded],
) -> None:
    project = guarded("managers", MANAGERS)
    project.assert_caught("yield [w.lower() for w in text.split()]", "yield text.split()")
    project.assert_caught('yield " ".join(text.split())', "yield text.strip()")
    project.assert_passes(
        "yield [w.lower() for w in text.split()]", "yield list(map(str.lower, text.split()))"
    )
