"""pytest-autoimprove: a safe keep/discard loop for code optimized by an agent.

The public API for plugin authors is listed in ``__all__`` and importable from here:
the types a proposer, a generator or a listener receives and returns. Everything else
is internal. Names are resolved on first use, so ``import pytest_autoimprove`` (which
every pytest run of every user does, through our ``pytest11`` plugin) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig
    from pytest_autoimprove.errors import AutoimproveError, ConfigError, ExitCode, UsageError
    from pytest_autoimprove.generators import (
        Finding,
        GeneratedFile,
        GenerateRequest,
        GenerationResult,
    )
    from pytest_autoimprove.generators.catalog import GoalFamily, Risk
    from pytest_autoimprove.generators.strength import TargetStrength
    from pytest_autoimprove.loop.journal import ExperimentRecord, RunSummary
    from pytest_autoimprove.proposers import PastExperiment, Proposal, ProposalContext

#: public name -> the module that defines it.
_PUBLIC = {
    "ImproveConfig": "pytest_autoimprove.config",
    "AutoimproveError": "pytest_autoimprove.errors",
    "ConfigError": "pytest_autoimprove.errors",
    "ExitCode": "pytest_autoimprove.errors",
    "UsageError": "pytest_autoimprove.errors",
    "Finding": "pytest_autoimprove.generators",
    "GeneratedFile": "pytest_autoimprove.generators",
    "GenerateRequest": "pytest_autoimprove.generators",
    "GenerationResult": "pytest_autoimprove.generators",
    "GoalFamily": "pytest_autoimprove.generators.catalog",
    "Risk": "pytest_autoimprove.generators.catalog",
    "TargetStrength": "pytest_autoimprove.generators.strength",
    "ExperimentRecord": "pytest_autoimprove.loop.journal",
    "RunSummary": "pytest_autoimprove.loop.journal",
    "PastExperiment": "pytest_autoimprove.proposers",
    "Proposal": "pytest_autoimprove.proposers",
    "ProposalContext": "pytest_autoimprove.proposers",
}

__all__ = [
    "AutoimproveError",
    "ConfigError",
    "ExitCode",
    "ExperimentRecord",
    "Finding",
    "GenerateRequest",
    "GeneratedFile",
    "GenerationResult",
    "GoalFamily",
    "ImproveConfig",
    "PastExperiment",
    "Proposal",
    "ProposalContext",
    "Risk",
    "RunSummary",
    "TargetStrength",
    "UsageError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_autoimprove' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
