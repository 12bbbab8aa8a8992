"""pytest-autoimprove: a safe keep/discard loop for code optimized by an agent.

The public API is listed in ``__all__``; everything else is internal.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
