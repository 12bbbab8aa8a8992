"""A tiny store: price tables and records."""
