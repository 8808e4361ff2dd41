"""Base layout, shared UI pieces and the home page."""
