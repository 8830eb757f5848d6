"""The Greeks core: option prices, Greeks and implied vols (array API) and trader figures.

Array API: `bsm`, `black76`, `implied_vol` return raw derivatives (conventions in
`alvh_rules.greeks.conventions`); trader-level models and dollar figures load on first use.
"""

from __future__ import annotations

from alvh_rules.greeks.analytic import FIGURES, Greeks, black76, bsm

__all__ = ["FIGURES", "Greeks", "black76", "bsm"]
