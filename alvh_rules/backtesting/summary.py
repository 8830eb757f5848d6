"""The summary of a run: returns, risk, drawdowns and trades, with stable keys (SUMMARY_KEYS,
documented in docs/backtest.md) and a per-year table. Annualised with 252 trading days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from alvh_rules.backtesting.run_view import RunView

TRADING_DAYS = 252
NOISE = 1e-12  # a daily return's spread this small is floating-point rounding
SUMMARY_KEYS = (
    "start",
    "end",
    "days",
    "capital",
    "final_equity",
    "total_return",
    "spx_price_return",
    "cagr",
    "ann_vol",
    "sharpe",
    "sortino",
    "max_drawdown",
    "max_drawdown_peak",
    "max_drawdown_trough",
    "max_drawdown_recovery",
    "longest_drawdown_days",
    "win_rate",
    "avg_win",
    "avg_loss",
    "profit_factor",
    "premium_per_year",
    "trades",
    "fills",
    "not_taken",
    "margin_calls",
    "time_in_market",
    "fees",
    "interest",
    "carried_marks",
    "settlement_substitutes",
    "per_year",
)

# How the summary's figures read: fractions as percents, money in dollars (terminal, report).
PERCENT_FIGURES = frozenset(
    {
        "total_return",
        "spx_price_return",
        "cagr",
        "ann_vol",
        "max_drawdown",
        "win_rate",
        "time_in_market",
        "return",
    }
)
DOLLAR_FIGURES = frozenset(
    {
        "capital",
        "final_equity",
        "avg_win",
        "avg_loss",
        "premium_per_year",
        "fees",
        "interest",
        "pnl",
    }
)


def figure_text(key: str, value: Any) -> str:
    """A summary figure as a trader reads it: `10.71%`, `1,107,055 $`, `0.395`, `n/a`."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if key in PERCENT_FIGURES:
        return f"{100 * value:.2f}%"
    if key == "fees":  # 1.50 $ a contract: whole dollars would round 4.50 $ to 4 $
        return f"{value:,.2f} $"
    if key in DOLLAR_FIGURES:
        return f"{value:,.0f} $"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def summarize(
    daily: pd.DataFrame, trades: pd.DataFrame, closed: pd.DataFrame, capital: float
) -> dict[str, Any]:
    """Every SUMMARY_KEYS entry; NaN where it is undefined (no trade closed, say)."""
    equity = daily["equity"].to_numpy(dtype=np.float64)
    dates = pd.to_datetime(daily["date"])
    # A return needs a positive equity to grow from: after a close at or below zero (the
    # account is ruined) a day's change is no return, so the ratios stop at the ruin.
    previous = np.concatenate([[capital], equity[:-1]])
    growing = previous > 0
    returns = (equity[growing] - previous[growing]) / previous[growing]
    excess = returns - daily["tbill_return"].to_numpy(dtype=np.float64)[growing]
    years = max((dates.iloc[-1] - dates.iloc[0]).days, 1) / 365.25
    filled = trades[trades["status"] == "filled"] if len(trades) else trades
    opened = filled[filled["effect"] == "open"] if len(filled) else filled
    credit = opened.groupby("position")["cash"].sum() if len(opened) else pd.Series(dtype=float)
    out: dict[str, Any] = {
        "start": dates.iloc[0].date().isoformat(),
        "end": dates.iloc[-1].date().isoformat(),
        "days": len(daily),
        "capital": capital,
        "final_equity": float(equity[-1]),
        "total_return": float(equity[-1] / capital - 1.0),
        "spx_price_return": _spx_price_return(daily),
        "cagr": _cagr(float(equity[-1]) / capital, years),
        "ann_vol": _std(returns) * math.sqrt(TRADING_DAYS),
        "sharpe": _ratio(float(np.mean(excess)), _std(excess)),
        # one return has no spread: Sortino, like Sharpe, needs two
        "sortino": _ratio(float(np.mean(excess)), _downside(excess)),
        **drawdowns(daily, capital),
        **trade_stats(closed),
        "premium_per_year": float(credit[credit > 0].sum()) / years,
        "trades": int(opened["position"].nunique()) if len(opened) else 0,
        "fills": len(filled),
        "not_taken": int((trades["status"] == "not taken").sum()) if len(trades) else 0,
        "margin_calls": _margin_calls(trades),
        "time_in_market": float((daily["positions"] > 0).mean()),
        "fees": float(daily["fees"].sum()),
        "interest": float(daily["interest"].sum()),
        "carried_marks": int(daily["carried"].sum()),
        "settlement_substitutes": int(daily["settlement_substitutes"].sum()),
        # a resize's bought contracts add to a position opened earlier: not a trade of its year
        "per_year": per_year(
            daily, opened[opened["action"] != "resize"] if len(opened) else opened, capital
        ),
    }
    return {key: out[key] for key in SUMMARY_KEYS}


def drawdowns(daily: pd.DataFrame, capital: float) -> dict[str, Any]:
    """The deepest fall below a previous peak, as the daily `drawdown` column measures it:
    the starting capital is the first peak (a run that loses from its first day is in a
    drawdown from the start; its peak date is then the first day)."""
    equity = daily["equity"].to_numpy(dtype=np.float64)
    dates = list(daily["date"])
    peak = np.maximum.accumulate(np.concatenate([[capital], equity]))[1:]  # capital > 0
    depth = equity / peak - 1.0
    trough = int(np.argmin(depth))
    at_peak = np.flatnonzero(equity[: trough + 1] >= peak[trough])
    top = int(at_peak[-1]) if at_peak.size else 0  # no day at the peak: it was the capital
    later = np.flatnonzero(equity[trough:] >= peak[trough])
    recovered = dates[trough + int(later[0])] if depth[trough] < 0 and later.size else None
    under = depth < 0
    longest = run = 0
    for flag in under:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    return {
        "max_drawdown": float(depth[trough]),
        "max_drawdown_peak": dates[top] if depth[trough] < 0 else None,
        "max_drawdown_trough": dates[trough] if depth[trough] < 0 else None,
        "max_drawdown_recovery": recovered,
        "longest_drawdown_days": longest,
    }


def trade_stats(closed: pd.DataFrame) -> dict[str, float]:
    pnl = closed["pnl"].to_numpy(dtype=np.float64) if len(closed) else np.zeros(0)
    wins, losses = pnl[pnl > 0], pnl[pnl <= 0]
    return {
        "win_rate": float(wins.size / pnl.size) if pnl.size else math.nan,
        "avg_win": float(wins.mean()) if wins.size else math.nan,
        "avg_loss": float(losses.mean()) if losses.size else math.nan,
        "profit_factor": float(wins.sum() / -losses.sum()) if losses.sum() < 0 else math.nan,
    }


def per_year(daily: pd.DataFrame, opened: pd.DataFrame, capital: float) -> list[dict[str, Any]]:
    years = pd.to_datetime(daily["date"]).dt.year.to_numpy()
    equity = daily["equity"].to_numpy(dtype=np.float64)
    opened_years = pd.to_datetime(opened["date"]).dt.year if len(opened) else pd.Series(dtype=int)
    rows = []
    start = capital
    for year in sorted(set(years.tolist())):
        part = equity[years == year]
        peak = np.maximum.accumulate(np.concatenate([[start], part]))
        rows.append(
            {
                "year": int(year),
                "return": float(part[-1] / start - 1.0) if start > 0 else math.nan,
                "pnl": float(part[-1] - start),
                "max_drawdown": float(np.min(np.concatenate([[start], part]) / peak - 1.0)),
                "trades": int(opened[opened_years == year]["position"].nunique())
                if len(opened)
                else 0,
                "fees": float(daily["fees"].to_numpy()[years == year].sum()),
            }
        )
        start = float(part[-1])
    return rows


def monthly_returns(daily: pd.DataFrame, capital: float) -> pd.DataFrame:
    """Each month's return, a year per row and a month per column (1..12): the month's last
    equity over the last one before it (the capital before the first); NaN for a month that
    starts with no positive equity, and for months outside the run."""
    dates = pd.to_datetime(daily["date"])
    month_end = daily["equity"].groupby([dates.dt.year, dates.dt.month]).last()
    before = month_end.shift(1, fill_value=capital)
    returns = (month_end / before - 1.0).where(before > 0)
    grid = returns.unstack().reindex(columns=range(1, 13))
    grid.index.name, grid.columns.name = "year", "month"
    return grid


def _spx_price_return(daily: pd.DataFrame) -> float:
    """SPX's change from the run's first close to its last (without dividends): the index
    beside the strategy; days without a close are skipped, NaN with fewer than two."""
    if "spx" not in daily:
        return math.nan
    closes = daily["spx"].to_numpy(dtype=np.float64)
    closes = closes[np.isfinite(closes)]
    return float(closes[-1] / closes[0] - 1.0) if closes.size >= 2 else math.nan


def _margin_calls(trades: pd.DataFrame) -> int:
    """Positions closed by a margin call (margin_call.py names the rule so)."""
    from alvh_rules.backtesting.margin_call import MARGIN_CALL

    if not len(trades):
        return 0
    called = trades[(trades["rule"] == MARGIN_CALL) & (trades["status"] == "filled")]
    return int(called["position"].nunique())


def _cagr(growth: float, years: float) -> float:
    return growth ** (1.0 / years) - 1.0 if growth > 0 else -1.0


def _std(values: np.ndarray[Any, Any]) -> float:
    return float(np.std(values, ddof=1)) if values.size > 1 else math.nan


def _downside(excess: np.ndarray[Any, Any]) -> float:
    return float(np.sqrt(np.mean(np.minimum(excess, 0) ** 2))) if excess.size > 1 else math.nan


def _ratio(mean: float, spread: float) -> float:
    # Below NOISE the excess returns are rounding (an account that only holds cash).
    if not math.isfinite(spread) or spread < NOISE:
        return math.nan
    return mean / spread * math.sqrt(TRADING_DAYS)


def json_ready(value: Any) -> Any:
    """NaN and infinities as null (JSON has none), recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    return value


def comparison_table(runs: Sequence[RunView]) -> pd.DataFrame:
    """The summaries side by side: one column per run, one row per scalar summary key."""
    columns = {}
    for number, run in enumerate(runs):
        name = run.title if run.title not in columns else f"{run.title} ({number + 1})"
        columns[name] = {k: v for k, v in run.summary.items() if k != "per_year"}
    return pd.DataFrame(columns)
