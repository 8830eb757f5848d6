"""Units and conventions of the Greeks core, written once for the whole package.

The array API returns raw derivatives; the trader-level API returns dollar figures in the
units of `figures.FIGURES` (the catalogue maps onto them on the eval side). Every
conversion between the two is here.
"""

from __future__ import annotations

import math
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt

# --- Array API (alvh_rules.greeks.bsm / black76 / implied_vol): raw derivatives --------------
# t      time to expiry in years, ACT/365: calendar days / 365.
# vol    decimal volatility: 0.20 is 20%.
# rate   continuously compounded, decimal; div likewise (continuous dividend yield).
# price  value of one unit of underlying (multiply by the contract multiplier for dollars).
# delta  dV/dS (bsm: spot delta; black76: dV/dF, delta to the future).
# gamma  d2V/dS2.
# vega   dV/dvol per 1.00 of vol (divide by 100 for one vol point).
# theta  value change per year of calendar time passing, -dV/dt (QuantLib's `theta()`).
# rho    dV/drate per 1.00 of rate; bsm holds the dividend yield fixed, black76 the forward.
# vanna  d2V/dS dvol per 1.00 of vol.
# volga  d2V/dvol2 per 1.00 of vol, squared.
# Rows with a non-positive or non-finite spot, strike, time or vol, a non-finite rate, or a
# right other than "c"/"p" give NaN in every figure; no exception and no warning is raised.

DAYS_PER_YEAR: Final = 365.0
"""ACT/365: the year fraction of `d` calendar days is d / DAYS_PER_YEAR."""

Figure = TypeVar("Figure", float, npt.NDArray[np.float64])

VOL_POINT: Final = 0.01
"""One volatility point (`vp`) is 0.01 of decimal vol: VIX 20 is an IV of 0.20."""

SPX_MULTIPLIER: Final = 100
"""Dollars per SPX index point for one SPX option contract."""

VIX_OPTION_MULTIPLIER: Final = 100
"""Dollars per VIX point for one VIX option contract."""

VX_FUTURE_MULTIPLIER: Final = 1000
"""Dollars per VIX point for one VX future contract."""

SPX_STRIKE_INCREMENT: Final = 5.0
"""Listing increment used to round solved SPX strikes."""

VIX_STRIKE_INCREMENT: Final = 1.0
"""Listing increment used to round solved VIX strikes."""


def years_from_days(days: Figure) -> Figure:
    """Year fraction (ACT/365) of `days` calendar days."""
    return days / DAYS_PER_YEAR


def per_vol_point(per_unit_vol: Figure) -> Figure:
    """A sensitivity per 1.00 of vol (vega, vanna) expressed per vol point."""
    return per_unit_vol * VOL_POINT


def per_vol_point_squared(per_unit_vol_squared: Figure) -> Figure:
    """A second derivative in vol (volga) per 1.00 of vol squared, per vol point squared."""
    return per_unit_vol_squared * VOL_POINT * VOL_POINT


def per_calendar_day(per_year: Figure) -> Figure:
    """A rate per year of calendar time (theta) expressed per calendar day."""
    return per_year / DAYS_PER_YEAR


def annualised_return(max_profit: Figure, max_loss: Figure, dte: Figure) -> Figure:
    """The `irr` of a position or a stack: max profit over max loss, annualised by
    DAYS_PER_YEAR / dte, as a fraction. NaN where undefined: a max loss that is not positive
    and finite (an unbounded loss has no return on risk), a profit not finite, no days left.
    The one formula evaluate, replay's batch path and the stacks all use."""
    if type(max_profit) is float and type(max_loss) is float and type(dte) is float:
        # One position's figures (every day of a backtest): the same IEEE operations in the
        # same order on Python floats, without the arrays.
        if math.isfinite(max_profit) and math.isfinite(max_loss) and max_loss > 0 and dte > 0:
            return max_profit / max_loss * (DAYS_PER_YEAR / dte)
        return math.nan
    profit, loss, days = (np.asarray(x, dtype=np.float64) for x in (max_profit, max_loss, dte))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        defined = np.isfinite(profit) & np.isfinite(loss) & (loss > 0) & (days > 0)
        out = np.where(defined, profit / loss * (DAYS_PER_YEAR / days), np.nan)
    return out if np.ndim(out) else float(out)  # type: ignore[return-value]


def spx_dollar_figures(units: npt.NDArray[np.float64], g: Any) -> dict[str, Any]:
    """An SPX option leg's dollar figures from its raw Greeks `g` (an `analytic.Greeks`):
    `units` (signed contracts x multiplier) times each Greek in trader units. The one table
    of the per-day valuation and the batch path."""
    return {
        "delta": units * g.delta,
        "gamma": units * g.gamma,
        "vega": units * per_vol_point(g.vega),
        "theta": units * per_calendar_day(g.theta),
        "vanna": units * per_vol_point(g.vanna),
        "volga": units * per_vol_point_squared(g.volga),
        "value": units * g.price,
    }


def vix_dollar_figures(units: Any, g: Any, beta_s: Any, beta_v: Any) -> dict[str, Any]:
    """A VIX option leg's SPX-equivalent dollar figures from its Black-76 Greeks `g`:
    through `beta_s` (VIX-future points per SPX point) and `beta_v` (per SPX vol point),
    vega = dollar delta to the future x beta_v, volga = gamma x beta_v^2."""
    return {
        "delta": units * g.delta * beta_s,
        "gamma": units * g.gamma * beta_s * beta_s,
        "vega": units * g.delta * beta_v,
        "theta": units * per_calendar_day(g.theta),
        "vanna": units * g.gamma * beta_s * beta_v,
        "volga": units * g.gamma * beta_v * beta_v,
        "value": units * g.price,
    }
