"""Rates and dividends as option pricing takes them: continuously compounded, decimal.

The data quotes the 3-month T-bill on the bank-discount basis (FRED DTB3) and the S&P 500
dividend yield as trailing dividends over the close (a simple annual yield); every pricer
(evaluate, replay, the surface calibration) converts them here, once.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from alvh_rules.greeks.conventions import DAYS_PER_YEAR, Figure

TBILL_DAYS: Final = 91
"""Days to maturity of the 13-week bill DTB3 quotes (the bill is auctioned with 91 days)."""

DISCOUNT_BASIS_DAYS: Final = 360.0
"""The bank-discount quote is per 360-day year (Treasury's convention for bills)."""


def continuous_rate_from_discount(discount: Figure, days: int = TBILL_DAYS) -> Figure:
    """The continuously compounded ACT/365 rate of a bill quoted at `discount` (decimal).

    A bill of `days` days quoted at discount d costs P = 1 - d * days / 360 per 1 of face;
    the continuous rate r that gives the same price is P = exp(-r * days / 365), so
    r = -ln(1 - d * days / 360) * 365 / days. At d = 5% and 91 days, r = 5.1018%: above the
    quote, because the discount is taken on the face (not the price) and per 360 days.
    A quote that leaves no price (d * days / 360 >= 1) or is not finite gives NaN.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        taken = np.asarray(discount, dtype=np.float64) * days / DISCOUNT_BASIS_DAYS
        # log1p keeps the precision of near-zero quotes (2009-2015 bills at 0.01%).
        rate = np.where(taken < 1, -np.log1p(np.where(taken < 1, -taken, 0.0)), np.nan)
    out = rate * DAYS_PER_YEAR / days
    return out if isinstance(out, np.ndarray) and out.ndim else float(out)  # type: ignore[return-value]


def bill_price_from_discount(discount: Figure, days: int = TBILL_DAYS) -> Figure:
    """The price per 1 of face of a bill quoted at `discount` (decimal), bank-discount basis."""
    return 1.0 - discount * days / DISCOUNT_BASIS_DAYS


def continuous_dividend_yield(simple_yield: Figure) -> Figure:
    """The continuous dividend yield q of a simple annual yield y (dividends over price).

    Holding the index a year with dividends reinvested continuously grows it by exp(q); the
    trailing yield says it grows by 1 + y, so q = ln(1 + y). At y = 2%, q = 1.9803%.
    A yield at or below -100% or not finite gives NaN.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        simple = np.asarray(simple_yield, dtype=np.float64)
        out = np.where(simple > -1, np.log1p(np.where(simple > -1, simple, 0.0)), np.nan)
    return out if out.ndim else float(out)  # type: ignore[return-value]
