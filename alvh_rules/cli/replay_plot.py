"""The replay chart: SPX and VIX on two axes over the regime as shaded spans, and below a
marker row per rule on the days it fired (a limit: the days it was breached). Saved as a
PNG, or as a standalone HTML page embedding the PNG and the summary tables.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alvh_rules.eval.replay_summary import STATE_ORDER, ReplaySummary

if TYPE_CHECKING:
    import pandas as pd

REGIME_COLOURS = ("#cfe8cf", "#f6d5c2", "#cddcf2", "#efe3b3", "#e3cdef", "#c9ece8")
UNKNOWN_COLOUR = "#e6e6e6"


def chart_png(
    timeline: pd.DataFrame, prices: pd.DataFrame, regimes: list[str], title: str
) -> bytes:
    """The chart as PNG bytes; `prices` holds `spx` and `vix` on the timeline's days."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rules = [name for name in timeline.columns if name != "regime"]
    figure, (price_axis, rule_axis) = plt.subplots(
        2,
        1,
        sharex=True,
        figsize=(12, 6 + 0.25 * len(rules)),
        gridspec_kw={"height_ratios": [3, max(1, len(rules) * 0.35)]},
    )
    dates = timeline.index
    _shade_regimes(price_axis, timeline["regime"], regimes)
    price_axis.plot(dates, prices["spx"], color="#1f3b73", linewidth=0.9, label="SPX")
    price_axis.set_ylabel("SPX (points)")
    low, high = prices["spx"].min(), prices["spx"].max()
    if low > 0 and high / low > 5:  # decades of history: equal moves look equal on a log axis
        _log_price_axis(price_axis, high / low)
    vix_axis = price_axis.twinx()
    vix_axis.plot(dates, prices["vix"], color="#c0392b", linewidth=0.7, label="VIX")
    vix_axis.set_ylabel("VIX (vol points)")
    handles = [*price_axis.get_legend_handles_labels()[0], *vix_axis.get_lines()]
    price_axis.legend(handles=handles, loc="upper left", fontsize=8, ncols=4)
    price_axis.set_title(title)
    _rule_markers(rule_axis, timeline, rules)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()


def _log_price_axis(axis: Any, ratio: float) -> None:
    """A log axis labelled in plain points; minor labels (2, 3, 5 x 10^n) on short ranges."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis.set_yscale("log")
    axis.set_ylabel("SPX (points, log scale)")
    axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    if ratio > 30:
        axis.yaxis.set_minor_formatter(NullFormatter())
        return

    def minor(value: float, _: int) -> str:
        return f"{value:,.0f}" if f"{value:.0e}"[0] in "235" else ""

    axis.yaxis.set_minor_formatter(FuncFormatter(minor))


def _shade_regimes(axis: Any, regime: pd.Series, regimes: list[str]) -> None:
    from matplotlib.patches import Patch

    transform = axis.get_xaxis_transform()
    handles = []
    for position, name in enumerate([*regimes, "unknown"]):
        inside = (regime == name).to_numpy()
        if not inside.any():
            continue
        colour = UNKNOWN_COLOUR if name == "unknown" else REGIME_COLOURS[position % 6]
        axis.fill_between(
            regime.index, 0, 1, where=inside, transform=transform, color=colour, step="mid"
        )
        handles.append(Patch(color=colour, label=f"regime {name}"))
    axis.add_artist(axis.legend(handles=handles, loc="lower left", fontsize=8, ncols=4))


def _rule_markers(axis: Any, timeline: pd.DataFrame, rules: list[str]) -> None:
    for row, rule in enumerate(reversed(rules)):
        column = timeline[rule]
        fired = column.index[column.isin(("fires", "breached"))]
        unknown = column.index[column == "unknown"]
        axis.scatter(unknown, [row] * len(unknown), marker="|", color=UNKNOWN_COLOUR, s=30)
        axis.scatter(fired, [row] * len(fired), marker="|", color="#1e7b34", s=60)
    axis.set_yticks(range(len(rules)), list(reversed(rules)), fontsize=8)
    axis.set_ylim(-0.7, len(rules) - 0.3)
    axis.set_xlabel("fired (green), unknown (grey); a limit's mark is a breach")


def plot_bytes(path: Path, png: bytes, summary: ReplaySummary, title: str) -> bytes:
    """`.png` is the chart; `.html` a standalone page with the chart and the summary."""
    if path.suffix.lower() == ".png":
        return png
    return html_page(png, summary, title).encode("utf-8")


def html_page(png: bytes, summary: ReplaySummary, title: str) -> str:
    image = base64.b64encode(png).decode("ascii")
    counts = [
        [rule, summary.kinds.get(rule, ""), *(str(c[s]) for s in STATE_ORDER)]
        for rule, c in summary.counts.items()
    ]
    regimes = [[str(s.start), str(s.end), s.label, str(s.days)] for s in summary.regime_spans]
    unknown = [
        [str(u.span.start), str(u.span.end), str(u.span.days), ", ".join(u.rules), *u.reasons[:1]]
        for u in summary.unknown_spans
    ]
    why = [
        f"<li>{html.escape(str(u.span.start))}: {html.escape(reason)}</li>"
        for u in summary.unknown_spans
        for reason in u.reasons
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{html.escape(title)}</title>",
            "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}</style>",
            "</head><body>",
            f"<h1>{html.escape(title)}</h1>",
            f"<p>{summary.first} to {summary.last}: {summary.days} trading days; "
            f"{summary.unknown_days} day(s) with an unknown state.</p>",
            f'<img alt="replay chart" src="data:image/png;base64,{image}">',
            "<h2>Days in each state</h2>",
            _html_table(["rule", "kind", *STATE_ORDER], counts),
            "<h2>Regime spans</h2>",
            _html_table(["start", "end", "regime", "days"], regimes),
            "<h2>Unknown spans</h2>",
            _html_table(["from", "to", "days", "rules unknown", "first reason"], unknown),
            "<h3>Why, on the first day of each span</h3>",
            f"<ul>{''.join(why)}</ul>",
            "</body></html>",
        ]
    )


def _html_table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"
