"""Shapes on which a fix once broke real code; see README.md."""
