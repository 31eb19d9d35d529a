"""Package attributes imported on first use (PEP 562), so a front end can import a package at start
without loading the modules behind names it may never use."""

from __future__ import annotations

import importlib
import sys
from typing import Callable


def lazy_attributes(package: str, modules: dict[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: ``name`` comes from ``package.modules[name]`` the
    first time it is asked for, and is kept in the package's namespace after that."""

    def __getattr__(name: str) -> object:
        if name not in modules:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{modules[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
