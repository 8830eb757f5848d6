"""Parameter sweeps and walk-forward tests on Dask: the search space from the ruleset's
declared params, a backtest per point, resumable Parquet results, ranking and a report.

The package is `alvh_rules.sweeping` (as the backtest's is `alvh_rules.backtesting`), so that
`alvh_rules.sweep` stays the function: importing a submodule binds the package's name on
`alvh_rules`, which would hide a function of the same name.
"""

from __future__ import annotations

from alvh_rules.sweeping.api import sweep, walk_forward

__all__ = ["sweep", "walk_forward"]
