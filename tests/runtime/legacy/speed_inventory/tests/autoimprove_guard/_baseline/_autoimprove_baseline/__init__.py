"""Frozen baseline copy (generated)."""
