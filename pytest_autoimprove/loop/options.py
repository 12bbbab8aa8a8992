"""``pytest --autoimprove``: the loop's options and its entry point into pytest.

A ``pytest11`` entry point of its own (as pytest-xdist's looponfail is), so the loop
owns its options and the plain plugin stays small. Like that plugin, this module
imports only pytest and :mod:`pytest_autoimprove.names`: the loop itself is imported
only when ``--autoimprove`` is given.
"""

from __future__ import annotations

import pytest

from pytest_autoimprove.names import (
    OPTION_BUDGET,
    OPTION_LOOP,
    OPTION_RESUME,
    OPTION_ROUNDS,
    OPTION_STALE,
    OPTION_WORKERS,
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("autoimprove", "pytest-autoimprove (safe optimization loop)")
    group.addoption(
        OPTION_LOOP,
        action="store_true",
        help="run the keep/discard optimization loop described by improve.md instead of a "
        "test session; other pytest arguments pass on to the loop's test gate",
    )
    group.addoption(
        OPTION_BUDGET,
        metavar="DURATION",
        help="override ## Stop budget, e.g. 30m or 1h30m",
    )
    group.addoption(OPTION_ROUNDS, metavar="N", type=int, help="override ## Stop rounds")
    group.addoption(OPTION_STALE, metavar="N", type=int, help="override ## Stop stale")
    group.addoption(
        OPTION_WORKERS,
        metavar="N",
        type=int,
        help="override ## Agent workers: N experiments in flight, each in its own worktree",
    )
    group.addoption(
        OPTION_RESUME,
        nargs="?",
        const="last",
        default=None,
        metavar="RUN",
        help="continue an interrupted run (the last one, or the run id given)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | None:
    if not config.getoption("autoimprove", False):
        return None
    from pytest_autoimprove.loop.run import run_from_pytest

    return int(run_from_pytest(config))
