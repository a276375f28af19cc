"""Not a Label: musical identity backend."""

__version__ = "0.1.0"
