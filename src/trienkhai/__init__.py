"""trienkhai — tracks how a programme is deployed through a hierarchical organisation."""

__version__ = "0.1.0"
