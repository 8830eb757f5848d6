"""One day's market for valuing positions: the market fields of a day, its VX curve, and the
Greeks-core valuation context (SPX surface solved to VIX9D/VIX/VIX3M, VIX option smile, rates).

Assumptions, written once: the T-bill quote and the S&P 500 dividend yield converted to
continuous rates by `alvh_rules.market.rates` (q = 0 on a day whose dividend yield is
unknown, said in the reasons); SPX on the SSVI surface solved to VIX9D/VIX/VIX3M
(market/surface.py); VIX options Black-76 on the VX curve (greeks/vx_curve.py) with the
VVIX-anchored smile (greeks/vix_options.py); a VIX leg's SPX-equivalent vega uses the rule's
`beta`, else DEFAULT_VIX_BETA, and its SPX-equivalent delta that beta times the move of 30-day
ATM vol along the skew (market/surface.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from alvh_rules.eval.logic import FloatArray
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market.rates import continuous_dividend_yield, continuous_rate_from_discount

DEFAULT_VIX_BETA = 0.775  # midpoint of the 0.7-0.85 range of seed rule L5
UNKNOWN_DIV_YIELD = 0.0  # q on a day whose dividend yield is unknown (named in the reasons)
# The realized vol the expected figures read (greeks/expected.py), and those figures: a day
# without it leaves them unknown, and the reasons name it.
REALIZED_VOL = "spx_rv20"
EXPECTED_FIGURES = ("expected_profit", "expected_irr")


def day_values(columns: Mapping[str, FloatArray], index: int) -> dict[str, float]:
    return {
        name: float(columns[name][index]) if name in columns else math.nan for name in MARKET_FIELDS
    }


def vx_curve_of(values: Mapping[str, float], today: dt.date) -> Any:
    """The day's VX curve (alvh_rules.greeks.vx_curve), or None without a positive front
    future and its expiry."""
    from alvh_rules.greeks.vx_curve import VxCurve

    f1, dte1 = values.get("vix_f1", math.nan), values.get("vix_f1_dte", math.nan)
    if not (math.isfinite(f1) and f1 > 0 and math.isfinite(dte1)):
        return None
    f2 = values.get("vix_f2", math.nan)
    return VxCurve(
        today,
        f1,
        f2 if math.isfinite(f2) and f2 > 0 else math.nan,
        float(max(int(dte1), 0)),
        values.get("vix_f2_dte", math.nan),
    )


def vix_future_at(values: Mapping[str, float], days: float) -> float:
    """The VX curve at `days` from today (alvh_rules.greeks.vx_curve); NaN without F1."""
    curve = vx_curve_of(values, dt.date.min)
    return math.nan if curve is None else float(curve.at_days(days))


def valuation_context(
    values: Mapping[str, float],
    today: dt.date,
    chain: Any = None,
    beta: float = DEFAULT_VIX_BETA,
    shape: Any = None,
) -> Any:
    """A Greeks-core context for the day, or a string saying which input is missing; `shape`
    is the SPX smile's (greeks.ssvi.SurfaceShape; None: SPX_SHAPE)."""
    from alvh_rules.greeks.context import ValuationContext
    from alvh_rules.greeks.ssvi import SPX_SHAPE
    from alvh_rules.greeks.vix_options import VixOptionSurface
    from alvh_rules.market import surface as spx

    values_of = {name: values.get(name, math.nan) for name in ("spx", "vix", "risk_free")}
    for name, value in values_of.items():
        if not math.isfinite(value):
            return f"{name} is unknown on {today}, so positions cannot be valued"
    spot, vix, rate = values_of["spx"], values_of["vix"], values_of["risk_free"]
    levels = (values.get("vix9d", math.nan), values.get("vix3m", math.nan))
    div_yield = pricing_div_yield(values.get("dividend_yield", math.nan))
    surface = spx.vix_term_surface(
        spot,
        vix,
        *levels,
        rate=pricing_rate(rate),
        div_yield=div_yield,
        shape=SPX_SHAPE if shape is None else shape,
    )
    curve = vx_curve_of(values, today)
    theta = float(spx.vvix_atm_variance(values.get("vvix", math.nan)))
    usable = curve is not None and math.isfinite(theta)
    vix_surface = VixOptionSurface(curve, theta) if usable else None
    theta_30d = float(surface.atm_variance(spx.TENORS_YEARS[spx.INDEX_NAMES.index("vix")]))
    return ValuationContext(
        as_of=today,
        spx=spot,
        rate=pricing_rate(rate),
        div_yield=div_yield,
        spx_surface=chain if chain is not None else surface,
        vix_futures=curve,
        vix_surface=vix_surface,
        vix_vega_beta=beta,
        vix_delta_beta=float(spx.vix_delta_beta(beta, spot, theta_30d, surface.shape)),
        realized_vol=realized_vol(values.get(REALIZED_VOL, math.nan)),
    )


def realized_vol(spx_rv20: float) -> float | None:
    """The realized vol (decimal) the expected figures read, from `spx_rv20` (vol points);
    None where the day has no positive one."""
    return spx_rv20 / 100.0 if math.isfinite(spx_rv20) and spx_rv20 > 0 else None


def pricing_rate(risk_free: float) -> float:
    """The continuous rate options are priced at, from the data's T-bill discount quote."""
    return float(continuous_rate_from_discount(risk_free))


def pricing_div_yield(dividend_yield: float) -> float:
    """The continuous S&P 500 dividend yield, UNKNOWN_DIV_YIELD where the data has none."""
    q = float(continuous_dividend_yield(dividend_yield))
    return q if math.isfinite(q) else UNKNOWN_DIV_YIELD


def pricing_note(risk_free: float, dividend_yield: float) -> str:
    """How the day's positions are priced, for the reasons (`--explain`): model prices at
    the rate and dividend yield `valuation_context` uses, and where they come from."""
    rate, q = pricing_rate(risk_free), float(continuous_dividend_yield(dividend_yield))
    rate_text = (
        f"rate {rate:.3%} continuous (3-month T-bill {risk_free:.2%} discount basis)"
        if math.isfinite(rate)
        else "rate unknown"
    )
    div_text = (
        f"dividend yield {q:.3%} continuous (S&P 500 trailing {dividend_yield:.2%})"
        if math.isfinite(q)
        else f"dividend yield unknown, {UNKNOWN_DIV_YIELD:.0%} assumed"
    )
    return f"modelled prices: {rate_text}, {div_text}"
