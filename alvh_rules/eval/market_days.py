"""Many days' markets at once, for the batch path of `Proposals`: the market fields of each
day, which days cannot be valued, the `DayMarkets` of `day_market.valuation_context` on every
day, and the VX future at many expiries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from alvh_rules.eval.day_market import REALIZED_VOL, UNKNOWN_DIV_YIELD
from alvh_rules.eval.logic import FloatArray
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market.rates import continuous_dividend_yield, continuous_rate_from_discount

IntArray = np.ndarray[Any, np.dtype[np.intp]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]

CONTEXT_FIELDS = ("spx", "vix", "risk_free")  # valuation_context's required fields, in order


def days_values(columns: Mapping[str, FloatArray], days: IntArray) -> dict[str, FloatArray]:
    """`day_values` for many days: each market field at `days` (NaN where absent)."""
    missing = np.full(days.shape, math.nan)
    return {
        name: np.asarray(columns[name], dtype=np.float64)[days] if name in columns else missing
        for name in MARKET_FIELDS
    }


def unvalued_field(values: Mapping[str, FloatArray]) -> IntArray:
    """Per day, 1 + the index in CONTEXT_FIELDS of the first unknown one (0: all known)."""
    code = np.zeros(values["spx"].shape, dtype=np.intp)
    for position, name in reversed(list(enumerate(CONTEXT_FIELDS, start=1))):
        code = np.where(np.isfinite(values[name]), code, position)
    return code


def context_refused(values: Mapping[str, FloatArray], beta: FloatArray) -> BoolArray:
    """Days whose valuation_context would raise (a non-positive SPX or VIX, a percentage
    rate, a non-positive future, an unknown beta): the per-day path reports those."""
    with np.errstate(invalid="ignore"):
        refused = (values["spx"] <= 0) | (values["vix"] <= 0) | (np.abs(values["risk_free"]) > 1)
        front = np.isfinite(values["vix_f1"]) & np.isfinite(values["vix_f1_dte"])
        refused |= front & ((values["vix_f1"] <= 0) | (values["vix_f2"] <= 0))
    refused |= ~np.isfinite(beta)
    return np.asarray(refused)


def markets_for_days(values: Mapping[str, FloatArray], beta: FloatArray, shape: Any = None) -> Any:
    """The `DayMarkets` of `valuation_context` on each day (no chain), smile `shape`
    (None: SPX_SHAPE)."""
    from alvh_rules.greeks.batch_market import DayMarkets
    from alvh_rules.greeks.ssvi import SPX_SHAPE
    from alvh_rules.market import surface as spx
    from alvh_rules.market.calibration import fit_atm_variances

    smile = SPX_SHAPE if shape is None else shape
    levels = np.stack([values[name] for name in spx.INDEX_NAMES], axis=1)
    theta = fit_atm_variances(levels, spx.TENORS_YEARS, smile).atm_variances
    with np.errstate(invalid="ignore"):
        f1, f2, dte1 = values["vix_f1"], values["vix_f2"], values["vix_f1_dte"]
        front = np.isfinite(f1) & (f1 > 0) & np.isfinite(dte1)
        second = np.isfinite(f2) & (f2 > 0)
    front_days = np.where(front, np.maximum(np.trunc(np.where(front, dte1, 0.0)), 0.0), np.nan)
    theta_30d = theta[:, spx.INDEX_NAMES.index("vix")]
    return DayMarkets(
        spot=values["spx"],
        rate=continuous_rate_from_discount(values["risk_free"]),
        div_yield=np.nan_to_num(
            continuous_dividend_yield(values["dividend_yield"]), nan=UNKNOWN_DIV_YIELD
        ),
        tenors_years=spx.TENORS_YEARS,
        atm_variances=theta,
        shape=smile,
        vx_f1=np.where(front, f1, np.nan),
        vx_f2=np.where(second, f2, np.nan),
        vx_dte1=front_days,
        vx_dte2=values["vix_f2_dte"],
        vix_theta_30d=spx.vvix_atm_variance(values["vvix"]),
        vix_vega_beta=beta,
        vix_delta_beta=spx.vix_delta_beta(beta, values["spx"], theta_30d, smile),
        realized_vol=np.where(values[REALIZED_VOL] > 0, values[REALIZED_VOL] / 100.0, np.nan),
    )


def vix_future_at_days(values: Mapping[str, FloatArray], days: FloatArray) -> FloatArray:
    """`vix_future_at` for many days at once."""
    from alvh_rules.greeks.vx_curve import vx_future

    f1, dte1 = values["vix_f1"], values["vix_f1_dte"]
    with np.errstate(invalid="ignore"):
        front = np.isfinite(f1) & (f1 > 0) & np.isfinite(dte1)
        f2 = np.where(values["vix_f2"] > 0, values["vix_f2"], np.nan)
    front_days = np.maximum(np.trunc(np.where(front, dte1, 0.0)), 0.0)
    found = vx_future(np.where(front, f1, np.nan), f2, front_days, values["vix_f2_dte"], days)
    return np.where(front, found, np.nan)
