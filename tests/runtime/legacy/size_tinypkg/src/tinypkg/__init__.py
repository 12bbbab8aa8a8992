"""Tiny."""
__all__ = ["hello"]
from tinypkg.core import hello
