"""What frozen guardrail tests import at test time, and nothing else.

Users commit generated tests and freeze them by hash, so this runtime is a stable
interface: small, importing only the standard library, pytest, Hypothesis and our
leaf modules (:mod:`pytest_autoimprove.names`, :mod:`pytest_autoimprove.process`,
:mod:`pytest_autoimprove.score`), and never moved without a re-export (the 0.1
paths ``pytest_autoimprove.compare`` and ``pytest_autoimprove.generators.replay``,
``.quality_runtime``, ``.footprint_runtime`` still work).
"""
