"""The Greeks core: option prices, Greeks and implied vols (array API) and trader figures.

Array API (numpy + scipy.special, loaded at import): `bsm`, `black76`, `implied_vol`, raw
derivatives as stated in `alvh_rules.greeks.conventions`. Trader-level names (pydantic
models, dollar Greeks, builders) load on first attribute access.
"""

from __future__ import annotations

from typing import Any

from alvh_rules.greeks.analytic import FIGURES, Greeks, black76, bsm
from alvh_rules.greeks.implied import REASONS, implied_vol
from alvh_rules.lazy import lazy_export

# Public trader-level name -> module defining it; imported on first use.
_LAZY_EXPORTS: dict[str, str] = {
    "Leg": "alvh_rules.greeks.legs",
    "Position": "alvh_rules.greeks.legs",
    "Portfolio": "alvh_rules.greeks.legs",
    "ValuationContext": "alvh_rules.greeks.context",
    "VixFutures": "alvh_rules.greeks.context",
    "FutureCurve": "alvh_rules.greeks.context",
    "VolSurface": "alvh_rules.greeks.surfaces",
    "FlatSurface": "alvh_rules.greeks.surfaces",
    "SkewSurface": "alvh_rules.greeks.surfaces",
    "SsviSurface": "alvh_rules.greeks.ssvi",
    "SurfaceShape": "alvh_rules.greeks.ssvi",
    "VxCurve": "alvh_rules.greeks.vx_curve",
    "VixOptionSurface": "alvh_rules.greeks.vix_options",
    "OptionQuote": "alvh_rules.greeks.chain",
    "OptionChain": "alvh_rules.greeks.chain",
    "Risk": "alvh_rules.greeks.valuation",
    "Scenario": "alvh_rules.greeks.valuation",
    "leg_risk": "alvh_rules.greeks.valuation",
    "position_risk": "alvh_rules.greeks.valuation",
    "layer_risk": "alvh_rules.greeks.valuation",
    "portfolio_risk": "alvh_rules.greeks.valuation",
    "position_fields": "alvh_rules.greeks.figures",
    "layer_fields": "alvh_rules.greeks.figures",
    "portfolio_fields": "alvh_rules.greeks.figures",
    "max_profit_and_loss": "alvh_rules.greeks.payoff",
    "breakevens": "alvh_rules.greeks.payoff",
    "vol_breakeven": "alvh_rules.greeks.payoff",
    "pnl_curve": "alvh_rules.greeks.payoff",
    "strike_for_delta": "alvh_rules.greeks.strikes",
    "expected_move": "alvh_rules.greeks.strikes",
    "iron_condor": "alvh_rules.greeks.builders",
    "vertical_spread": "alvh_rules.greeks.builders",
    "strangle": "alvh_rules.greeks.builders",
    "straddle": "alvh_rules.greeks.builders",
    "vix_call_spread": "alvh_rules.greeks.builders",
    "diagonal": "alvh_rules.greeks.builders",
}

__all__ = ["FIGURES", "REASONS", "Greeks", "black76", "bsm", "implied_vol", *_LAZY_EXPORTS]


def __getattr__(name: str) -> Any:
    return lazy_export(__name__, _LAZY_EXPORTS, globals(), name)
