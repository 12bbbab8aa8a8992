"""Text helpers for a search front end."""
