"""Parameter sweeps and walk-forward tests on Dask: the search space from the ruleset's
declared params, a backtest per point, resumable Parquet results, ranking and a report.

`alvh_rules.sweep` names both this package and the front-door function: importing any
submodule makes Python bind the package to that name on `alvh_rules`, so the package itself
is callable and calls `sweep(...)`; either way `alvh_rules.sweep(ruleset, history, ...)` works.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from alvh_rules.sweep.api import sweep, walk_forward

__all__ = ["sweep", "walk_forward"]


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
