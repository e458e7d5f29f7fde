"""Lazy package exports (PEP 562): a package's public names are imported from their modules
when first used, so importing the package stays cheap (the PLS bootstrap's worker processes
start without pandas; the continuous-data fit path without scipy)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def lazy_exports(
    package: str, modules: dict[str, list[str]]
) -> tuple[Callable[[str], object], Callable[[], list[str]], list[str]]:
    """``(__getattr__, __dir__, __all__)`` for ``package``, whose names live in its modules:
    ``modules`` maps each module (relative to the package) to the names it provides.

    Example:
        >>> get, names, all_ = lazy_exports("loyaltysem.base", {"errors": ["InputError"]})
        >>> get("InputError").__name__, all_
        ('InputError', ['InputError'])
    """
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str):
        if name in where:
            return getattr(importlib.import_module(f".{where[name]}", package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__, sorted(where)
