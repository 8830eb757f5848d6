"""Lazy exports of a package: a public name is imported from the module that defines it on
first access (PEP 562), so importing the package stays light (`alvh check` starts fast)."""

from __future__ import annotations

import importlib
from typing import Any


def lazy_export(package: str, exports: dict[str, str], namespace: dict[str, Any], name: str) -> Any:
    """The value of `name` from its module in `exports`, kept in the package's `namespace`
    so the next access is a plain lookup; AttributeError for a name not exported."""
    module_name = exports.get(name)
    if module_name is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    namespace[name] = value
    return value
