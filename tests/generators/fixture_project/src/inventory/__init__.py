"""A small inventory package: the fixture the generator tests run on."""

from __future__ import annotations
