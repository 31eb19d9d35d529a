"""Starts hasten's sampler in this process (installed as ``sitecustomize`` on the run's path),
then runs the ``sitecustomize`` this one shadows, if there is one."""

import os
import sys


def _start():
    try:
        import hasten_profile_sampler

        hasten_profile_sampler.start()
    except Exception as exc:  # a broken profiler must not break the user's program
        sys.stderr.write(f"hasten profile: the sampler did not start in this process: {exc}\n")


def _chain():
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    paths = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", paths)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.stderr.write(f"hasten profile: the project's sitecustomize failed: {exc}\n")


_start()
_chain()
