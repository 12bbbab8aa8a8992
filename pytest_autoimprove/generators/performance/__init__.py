"""The built-in guardrail generator for performance goals: ``speed``, ``memory``, ``other``.

An agent chasing speed or allocations tends to break the same things (see
:mod:`~pytest_autoimprove.generators.catalog`). This generator writes, per module in
scope, tests that use the baseline code itself as the oracle; an excerpt::

    TO_CENTS_RECORDED = [
        Case('real-0', args=(1.25,), returns=125),
        Case('real-3', args=(float("nan"),), raises='builtins.ValueError'),
    ]

    # risk changed-behaviour: any other change of output on inputs the project really uses
    # risk argument-mutation: an argument is mutated in place to save a copy
    @pytest.mark.autoimprove_guard
    @pytest.mark.parametrize("case", TO_CENTS_RECORDED, ids=lambda case: case.id)
    def test_to_cents_recorded(case: Case) -> None:
        replay(current, "to_cents", "function", case, tolerance=TOLERANCE)

How:

1. discover public functions, methods, properties and constructors with libcst
   (:mod:`..discover`); the targets improve.md names go first (:mod:`.focus`);
2. record the arguments the code in scope really receives while the project's own
   tests run, however it is reached (:mod:`.tracer`);
3. plan candidate calls: real ones, inferred ones, edge values per type (:mod:`.plan`);
4. probe the baseline on them in a subprocess (:mod:`.probe`): outputs, exception types,
   argument states, freshness; unexpected crashes on valid edge inputs become findings;
5. render one test file per module plus the frozen baseline copy (:mod:`.render`,
   :mod:`.baseline_copy`);
6. verify: run the generated tests on the untouched baseline (:mod:`.verify`) and drop
   whatever fails, flickers across hash seeds or is slow, so nothing flaky is frozen;
7. mutation testing (:mod:`.strengthen`): run the tests against each target's likely
   regressions (:mod:`.mutants`), add the inputs that tell survivors apart
   (:mod:`.search`), and report the strength per target (:mod:`.report`).

``time_budget`` bounds the whole generation: tracing, probing, verification and
mutation testing each get a share and stop at their deadline with what they have
(fewer real inputs, fewer probed cases, fewer verified tests, fewer mutants), and what
was not verified is never written.

:func:`generate` is the plain entry point; :func:`pytest_autoimprove_generate` is the
hook implementation the plugin manager calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_autoimprove.generators import GenerateRequest, GenerationResult

__all__ = ["FAMILIES", "generate", "pytest_autoimprove_generate"]

#: The goal families this generator serves.
FAMILIES = ("speed", "memory", "other")


@pytest.hookimpl
def pytest_autoimprove_generate(request: GenerateRequest) -> GenerationResult | None:
    """Hook implementation: guardrails for speed, memory and other goals."""
    if request.kind not in FAMILIES:
        return None
    from pytest_autoimprove.generators.performance.pipeline import generate

    return generate(request)


def __getattr__(name: str) -> Any:
    """The pipeline's names (``generate``, its settings), imported when first asked for."""
    missing = AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name.startswith("__"):
        raise missing
    pipeline = importlib.import_module(f"{__name__}.pipeline")
    try:
        return getattr(pipeline, name)
    except AttributeError:
        raise missing from None
