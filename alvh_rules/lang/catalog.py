"""The catalogue of names a ruleset can read: market fields, position fields, event kinds.

This module is pure Python (no pandas) because the checker reads it on the `alvh check`
path. The market package loads data under exactly these field names; the interpreter
and the checker take units and as-of rules from here, so the three cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alvh_rules.lang.units import Unit, parse_unit

Frequency = Literal["daily", "monthly", "quarterly", "event"]


@dataclass(frozen=True, slots=True)
class MarketField:
    """A daily series the rules read. Values of `%` fields are stored as fractions (0.0425)."""

    name: str
    unit_name: str
    description: str
    as_of: str  # when a value becomes known, in words (also enforced by the market loaders)
    frequency: Frequency = "daily"
    source: str = ""

    @property
    def unit(self) -> Unit:
        return parse_unit(self.unit_name)


@dataclass(frozen=True, slots=True)
class PositionField:
    """A figure of a position, a layer or the whole portfolio, computed by the Greeks core."""

    name: str
    unit_name: str
    description: str

    @property
    def unit(self) -> Unit:
        return parse_unit(self.unit_name)


_CLOSE = "the day's close, 16:00 ET"
_SETTLE = "the day's settlement, 16:00 ET"

MARKET_FIELDS: dict[str, MarketField] = {
    f.name: f
    for f in (
        MarketField("spx", "pt", "S&P 500 index close", _CLOSE, source="spx_daily.csv close"),
        MarketField("spx_open", "pt", "S&P 500 index open", "09:30 ET", source="spx_daily.csv"),
        MarketField("spx_high", "pt", "S&P 500 index high", _CLOSE, source="spx_daily.csv"),
        MarketField("spx_low", "pt", "S&P 500 index low", _CLOSE, source="spx_daily.csv"),
        MarketField("vix", "vp", "Cboe VIX close", _CLOSE, source="vix_daily.csv close"),
        MarketField("vix_open", "vp", "Cboe VIX open", "09:30 ET", source="vix_daily.csv"),
        MarketField("vix_high", "vp", "Cboe VIX high", _CLOSE, source="vix_daily.csv"),
        MarketField("vix_low", "vp", "Cboe VIX low", _CLOSE, source="vix_daily.csv"),
        MarketField("vix9d", "vp", "Cboe 9-day VIX close", _CLOSE, source="vix9d_daily.csv"),
        MarketField("vix3m", "vp", "Cboe 3-month VIX close", _CLOSE, source="vix3m_daily.csv"),
        MarketField("vvix", "vp", "Cboe VVIX close (vol of VIX)", _CLOSE, source="vvix_daily.csv"),
        MarketField(
            "vix_f1", "vp", "front-month VIX future settle", _SETTLE, source="vix_futures_f1_f2.csv"
        ),
        MarketField(
            "vix_f2",
            "vp",
            "second-month VIX future settle",
            _SETTLE,
            source="vix_futures_f1_f2.csv",
        ),
        MarketField(
            "vix_f1_dte",
            "d",
            "calendar days to the front VIX future's expiry",
            _SETTLE,
            source="vix_futures_f1_f2.csv f1_expiry",
        ),
        MarketField(
            "vix_f2_dte",
            "d",
            "calendar days to the second VIX future's expiry",
            _SETTLE,
            source="vix_futures_f1_f2.csv f2_expiry",
        ),
        MarketField(
            "expected_move_30d",
            "pt",
            "one-standard-deviation SPX move over 30 calendar days implied by VIX (derived)",
            _CLOSE,
            source="spx * vix/100 * sqrt(30/365)",
        ),
        MarketField(
            "vix_basis",
            "vp",
            "front VIX future minus VIX spot (derived)",
            _CLOSE,
            source="vix_f1 - vix",
        ),
        MarketField(
            "vix_term_slope",
            "vp",
            "second minus front VIX future (derived)",
            _SETTLE,
            source="vix_f2 - vix_f1",
        ),
        MarketField(
            "vvix_vix_ratio", "x", "VVIX divided by VIX (derived)", _CLOSE, source="vvix / vix"
        ),
        MarketField(
            "spx_rv20",
            "vp",
            "SPX 20-day close-to-close realized volatility, annualised (derived)",
            _CLOSE,
            source="realized_vol(spx, 20)",
        ),
        MarketField(
            "iv_rv_ratio",
            "x",
            "VIX over SPX 20-day realized volatility (derived)",
            _CLOSE,
            source="vix / spx_rv20",
        ),
        MarketField(
            "advances",
            "1",
            "NYSE advancing issues",
            _CLOSE,
            source="nyse_breadth_daily_unicorn.csv; shoppafund proxy",
        ),
        MarketField(
            "declines",
            "1",
            "NYSE declining issues",
            _CLOSE,
            source="nyse_breadth_daily_unicorn.csv; shoppafund proxy",
        ),
        MarketField(
            "ad_line",
            "1",
            "NYSE cumulative advance-decline line (derived, restarts after gaps)",
            _CLOSE,
            source="cumsum(advances - declines)",
        ),
        MarketField(
            "roa",
            "%",
            "return on assets of the large-cap basket (user-supplied; no public series)",
            "the report date of the quarter",
            "quarterly",
            source="user file roa.csv",
        ),
        MarketField(
            "roe",
            "%",
            "S&P 500 trailing-12-month return on equity",
            "the report date of the quarter",
            "quarterly",
            source="sp500_quarterly_fundamentals_spdji.csv roe_ttm_asreported_pct",
        ),
        MarketField(
            "pe",
            "x",
            "S&P 500 close over the latest published trailing-12-month as-reported EPS (derived)",
            "the day's close, with the EPS of the latest quarter reported by then",
            "daily",
            source="spx / eps_ttm",
        ),
        MarketField(
            "eps_ttm",
            "pt",
            "S&P 500 trailing-12-month as-reported EPS, in index points",
            "the report date of the quarter",
            "quarterly",
            source="sp500_quarterly_fundamentals_spdji.csv as_reported_eps_ttm",
        ),
        MarketField(
            "dividends_ttm",
            "pt",
            "S&P 500 trailing-12-month dividends per share, in index points",
            "the report date of the quarter",
            "quarterly",
            source="sp500_quarterly_fundamentals_spdji.csv dividends_ps_ttm",
        ),
        MarketField(
            "dividend_yield",
            "%",
            "S&P 500 dividend yield: trailing-12-month dividends over the close (derived)",
            _CLOSE,
            source="dividends_ttm / spx",
        ),
        MarketField(
            "cape",
            "x",
            "Shiller cyclically adjusted P/E",
            "the month after, on publication",
            "monthly",
            source="shiller_sp500_monthly_ie_data.csv cape_pe10",
        ),
        MarketField(
            "pcf",
            "x",
            "S&P 500 price over cash flow per share (user-supplied)",
            "the report date of the quarter",
            "quarterly",
            source="user file pcf.csv",
        ),
        MarketField(
            "wacc",
            "%",
            "weighted average cost of capital of the basket (user-supplied)",
            "the report date of the quarter",
            "quarterly",
            source="user file wacc.csv",
        ),
        MarketField(
            "quick_ratio_fin",
            "x",
            "quick ratio of financial intermediaries (user-supplied)",
            "the report date of the quarter",
            "quarterly",
            source="user file quick_ratio_fin.csv",
        ),
        MarketField(
            "mcap_gdp",
            "%",
            "US market capitalisation over GDP (Buffett indicator)",
            "the GDP release about a month after the quarter",
            "quarterly",
            source="buffett_indicator_wilshire5000_to_gdp_quarterly.csv",
        ),
        MarketField(
            "gdp",
            "$",
            "US nominal GDP, seasonally adjusted annual rate, in dollars",
            "08:30 ET, about a month after the quarter",
            "quarterly",
            source="us_gdp_nominal_quarterly_fred_GDP.csv (FRED GDP, billions x 1e9)",
        ),
        MarketField(
            "risk_free",
            "%",
            "3-month T-bill rate (secondary market, discount basis)",
            "the next business day",
            source="us_tbill_3m_daily_fred_DTB3.csv; TB3MS monthly before 1954",
        ),
        MarketField(
            "treasury_10y",
            "%",
            "10-year Treasury constant-maturity yield",
            "the next business day",
            source="us_treasury_10y_daily_fred_DGS10.csv",
        ),
        MarketField(
            "cpi",
            "%",
            "latest CPI month-on-month print",
            "08:30 ET on its release day",
            "event",
            source="us_cpi_releases.csv cpi_mom_actual",
        ),
        MarketField(
            "cpi_consensus",
            "%",
            "consensus for the latest CPI m/m print",
            "08:30 ET on its release day",
            "event",
            source="us_cpi_releases.csv cpi_mom_forecast_a",
        ),
        MarketField(
            "cpi_surprise",
            "%",
            "latest CPI m/m print minus its consensus (derived)",
            "08:30 ET on its release day",
            "event",
            source="cpi - cpi_consensus",
        ),
        MarketField(
            "ppi",
            "%",
            "latest PPI month-on-month print",
            "08:30 ET on its release day",
            "event",
            source="us_ppi_releases.csv ppi_mom_actual",
        ),
        MarketField(
            "ppi_consensus",
            "%",
            "consensus for the latest PPI m/m print",
            "08:30 ET on its release day",
            "event",
            source="us_ppi_releases.csv ppi_mom_forecast_b",
        ),
        MarketField(
            "ppi_surprise",
            "%",
            "latest PPI m/m print minus its consensus (derived)",
            "08:30 ET on its release day",
            "event",
            source="ppi - ppi_consensus",
        ),
    )
}

# The plausible range of every market field, in its storage unit (`%` as fractions, `vp` in
# vol points, `pt` in index points, `d` in days, `$` in dollars), bounds included. A value
# outside it (inf, 1e300, a T-bill rate of -1,000,000 %) is a bad print, never a market: the
# loaders set it aside as unknown and list it in the data report, and `alvh eval --snapshot`
# refuses it. Wide on purpose: each bound is far past the extreme on record (noted).
PLAUSIBLE_RANGES: dict[str, tuple[float, float]] = {
    **dict.fromkeys(("spx", "spx_open", "spx_high", "spx_low"), (1.0, 1e6)),  # 4.4 in 1932
    # VIX closed at 82.7 (2020-03-16), 89.5 intraday (2008); VIX9D runs higher in a panic.
    **dict.fromkeys(
        ("vix", "vix_open", "vix_high", "vix_low", "vix9d", "vix3m", "vix_f1", "vix_f2"),
        (1.0, 300.0),
    ),
    "vvix": (1.0, 1000.0),  # about 212 in 2015
    **dict.fromkeys(("vix_f1_dte", "vix_f2_dte"), (0.0, 400.0)),  # f2 is under 70 days out
    "expected_move_30d": (0.0, 1e6),
    **dict.fromkeys(("vix_basis", "vix_term_slope"), (-300.0, 300.0)),
    "vvix_vix_ratio": (0.0, 1000.0),
    "spx_rv20": (0.0, 1000.0),  # about 150 in October 1987
    "iv_rv_ratio": (0.0, 1000.0),
    **dict.fromkeys(("advances", "declines"), (0.0, 20_000.0)),  # about 3,500 NYSE issues
    "ad_line": (-1e9, 1e9),
    **dict.fromkeys(("roa", "roe"), (-1.0, 1.0)),
    "pe": (-1e5, 1e5),  # as-reported EPS near zero (2009) makes it large
    "eps_ttm": (-1e4, 1e5),
    "dividends_ttm": (0.0, 1e5),
    "dividend_yield": (0.0, 0.5),
    "cape": (0.0, 200.0),  # 44 in 1999
    "pcf": (-1e4, 1e4),
    "wacc": (-0.5, 1.0),
    "quick_ratio_fin": (0.0, 1000.0),
    "mcap_gdp": (0.0, 20.0),  # about 2.0 (200 %) in 2021
    "gdp": (1e9, 1e16),  # dollars; 2.4e11 in 1947
    # 3-month bills peaked at 16.3 % (1981); euro-area style negative yields allowed.
    **dict.fromkeys(("risk_free", "treasury_10y"), (-0.05, 0.30)),
    # Month-on-month prints: the largest since 1947 is under 2 %.
    **dict.fromkeys(
        ("cpi", "cpi_consensus", "cpi_surprise", "ppi", "ppi_consensus", "ppi_surprise"),
        (-0.10, 0.10),
    ),
}


# Figures every position, layer and the portfolio expose (dollar Greeks, per contract multiplier).
POSITION_FIELDS: dict[str, PositionField] = {
    f.name: f
    for f in (
        PositionField("delta", "$/pt", "dollar delta: P&L per SPX point (SPX-equivalent)"),
        PositionField("gamma", "$/pt^2", "dollar gamma: change of dollar delta per SPX point"),
        PositionField("vega", "$/vp", "dollar vega per volatility point"),
        PositionField("theta", "$/d", "dollar theta per calendar day"),
        PositionField("vanna", "$/pt/vp", "change of dollar delta per volatility point"),
        PositionField("volga", "$/vp^2", "change of dollar vega per volatility point"),
        PositionField("value", "$", "mark-to-market value (positive when long premium)"),
        PositionField("credit", "$", "premium collected at entry (negative for a debit)"),
        PositionField("profit", "$", "open profit since entry"),
        PositionField("max_profit", "$", "maximum profit at expiry"),
        PositionField("max_loss", "$", "maximum loss at expiry (a positive number)"),
        PositionField("dte", "d", "calendar days to the nearest expiry"),
        PositionField("days_held", "d", "calendar days since it opened (a group: its youngest)"),
        PositionField("breakeven_low", "pt", "lower SPX break-even at expiry"),
        PositionField("breakeven_high", "pt", "upper SPX break-even at expiry"),
        PositionField("vol_breakeven", "vp", "IV change that wipes out the credit"),
        PositionField("roll_cost", "$", "cost to roll: close and reopen, slippage included"),
        PositionField("projected_payoff", "$", "hedge payoff projected at the hedge's scenario"),
        PositionField("contracts", "1", "number of contracts of the position's first leg"),
        PositionField(
            "irr", "%", "annualised return on risk: max profit over max loss, per year to expiry"
        ),
        PositionField("expected_profit", "$", "modelled expected P&L at expiry at realized vol"),
        PositionField("expected_irr", "%", "expected_profit over max loss, per year to expiry"),
    )
}

# Portfolio-only figures, beside the position fields.
PORTFOLIO_FIELDS: dict[str, PositionField] = {
    f.name: f
    for f in (
        PositionField("capital", "$", "account capital"),
        PositionField("risk_budget", "$", "the risk the account allows at once"),
    )
}

# Figures that add up across positions, and are zero for an empty portfolio.
PORTFOLIO_SUMS: tuple[str, ...] = tuple(
    ["delta", "gamma", "vega", "theta", "vanna", "volga", "value", "credit", "profit", "contracts"]
)

# Calendar event kinds usable in `within Nd of ...` and `days_to(...)`.
EVENT_KINDS: dict[str, str] = {
    "fomc": "FOMC decision, 14:00 ET",
    "cpi": "CPI release, 08:30 ET",
    "ppi": "PPI release, 08:30 ET",
    "vix_expiry": "monthly VIX futures and options expiry",
}
