"""Unsafe-fix safety: apply every rule's fixes to real packages and run their own test suites."""
