"""The Greeks core: option prices, Greeks and implied vols (array API) and trader figures.

Array API: `bsm`, `black76`, `implied_vol` return raw derivatives (conventions in
`alvh_rules.greeks.conventions`); trader-level models and dollar figures load on first use.
"""

from __future__ import annotations

from alvh_rules.greeks.analytic import FIGURES, Greeks, black76, bsm
from alvh_rules.greeks.implied import REASONS, implied_vol

__all__ = ["FIGURES", "REASONS", "Greeks", "black76", "bsm", "implied_vol"]
