"""The HTML report: one self-contained page (charts as embedded PNG, no script, works
offline) for one run or several side by side: summary table, equity and drawdown, exposures
over time, trades marked on SPX, P&L by rule, the per-year and monthly returns. Marks are
modelled prices.
"""

from __future__ import annotations

import base64
import html
import io
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from alvh_rules.backtesting.arguments import gap_words
from alvh_rules.backtesting.summary import comparison_table, figure_text, monthly_returns

if TYPE_CHECKING:
    from alvh_rules.backtesting.run_view import RunView

COLOURS = ("#1f3b73", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085")
STYLE = (
    "body{font-family:sans-serif;margin:2em;max-width:1200px}"
    "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;"
    "text-align:right}th{background:#f0f0f0}img{max-width:100%}"
)


def report_html(runs: Sequence[RunView]) -> str:

    titles = ", ".join(run.title for run in runs)
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>backtest: {html.escape(titles)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Backtest: {html.escape(titles)}</h1>",
        "<p>Prices are modelled (the Greeks core on each day's close), not traded quotes. "
        "Fills at the model's mid plus slippage; see docs/backtest.md.</p>",
        *(f"<p class='gap'>data: {html.escape(gap_words(gap))}</p>" for gap in runs[0].data_gaps),
        "<h2>Summary</h2>",
        _table(_readable(comparison_table(runs))),
        "<h2>Equity and drawdown</h2>",
        _img(_equity_chart(runs)),
    ]
    for run in runs:
        parts += [
            f"<h2>{html.escape(run.title)}</h2>",
            "<h3>Exposures over time (dollar Greeks, modelled)</h3>",
            _img(_exposure_chart(run)),
            "<h3>Trades on SPX</h3>",
            _img(_trades_chart(run)),
            "<h3>P&amp;L by rule ($)</h3>",
            _table(_by_rule(run)),
            "<h3>Per year</h3>",
            _table(_per_year(run)),
            "<h3>Monthly returns</h3>",
            _table(_monthly(run)),
        ]
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    """Each figure as the terminal shows it (`10.71%`, `1,107,055 $`), not `1.107e+06`."""
    return pd.DataFrame(
        {run: [figure_text(str(key), value) for key, value in table[run].items()] for run in table},
        index=table.index,
    )


def _by_rule(run: RunView) -> pd.DataFrame:
    totals = run.attribution_by_rule.drop(columns="date").sum()
    return pd.DataFrame({"P&L": [f"{value:,.0f} $" for value in totals]}, index=totals.index)


def _per_year(run: RunView) -> pd.DataFrame:
    years = pd.DataFrame(run.summary["per_year"]).set_index("year")
    return pd.DataFrame(
        {column: [figure_text(str(column), v) for v in years[column]] for column in years},
        index=years.index,
    )


def _monthly(run: RunView) -> pd.DataFrame:
    grid = monthly_returns(run.daily, float(run.summary["capital"]))
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return pd.DataFrame(
        {name: [_percent(v) for v in grid[month]] for month, name in enumerate(months, 1)},
        index=grid.index,
    )


def _percent(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.2%}"


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(float_format=lambda v: f"{v:,.4g}", na_rep="n/a", border=0)


def _img(png: bytes) -> str:
    return f"<img alt='chart' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"


def _figure(rows: int) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(rows, 1, sharex=True, figsize=(12, 3 * rows + 1), squeeze=False)


def _png(figure: Any) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    with warnings.catch_warnings():  # a long title's legend cannot fit: the chart still can
        warnings.simplefilter("ignore", UserWarning)
        figure.tight_layout()
    # No metadata: the same run gives the same bytes.
    figure.savefig(buffer, format="png", dpi=90, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def _equity_chart(runs: Sequence[RunView]) -> bytes:
    figure, axes = _figure(2)
    for colour, run in zip(COLOURS * 4, runs, strict=False):
        dates = pd.to_datetime(run.daily["date"])
        axes[0][0].plot(dates, run.daily["equity"], color=colour, linewidth=0.9, label=run.title)
        axes[1][0].fill_between(dates, run.daily["drawdown"] * 100, color=colour, alpha=0.4)
    axes[0][0].set_ylabel("equity ($)")
    axes[0][0].legend(loc="upper left", fontsize=8)
    axes[1][0].set_ylabel("drawdown (%)")
    return _png(figure)


def _exposure_chart(run: RunView) -> bytes:
    figure, axes = _figure(4)
    dates = pd.to_datetime(run.daily["date"])
    units = {"delta": "$/pt", "gamma": "$/pt²", "vega": "$/vp", "theta": "$/d"}
    for axis, (name, unit) in zip(axes[:, 0], units.items(), strict=True):
        axis.plot(dates, run.daily[name], color="#1f3b73", linewidth=0.8)
        axis.set_ylabel(f"{name} ({unit})")
    return _png(figure)


def _trades_chart(run: RunView) -> bytes:
    figure, axes = _figure(1)
    axis = axes[0][0]
    dates = pd.to_datetime(run.daily["date"])
    axis.plot(dates, run.daily["spx"], color="#555555", linewidth=0.8, label="SPX close")
    spx = dict(zip(run.daily["date"], run.daily["spx"], strict=True))
    filled = run.trades[(run.trades["status"] == "filled") & (run.trades["effect"] == "open")]
    for colour, (rule, rows) in zip(COLOURS * 4, filled.groupby("rule", sort=True), strict=False):
        days = sorted(set(rows["date"]))
        axis.scatter(
            pd.to_datetime(days), [spx[d] for d in days], s=14, color=colour, label=f"{rule} opens"
        )
    axis.set_ylabel("SPX (points)")
    axis.legend(loc="upper left", fontsize=8)
    return _png(figure)
