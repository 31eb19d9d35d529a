"""`hasten profile`: the command lives with the profiler, in ``hasten.server.profile.command``."""

from hasten.server.profile.command import register, run

__all__ = ["register", "run"]
