"""Formal documents in the Party and State layouts, generated from live figures (issue 6)."""
