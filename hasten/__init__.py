"""hasten: find slow Python, offer rewrites, and prove them."""

__version__ = "0.1.0"
