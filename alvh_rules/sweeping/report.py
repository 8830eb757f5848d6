"""The sweep's offline HTML report: one self-contained page (charts as inline SVG, no
scripts, nothing fetched) with the metric over the swept params, each param's sensitivity,
the top points, the failed points, and the walk-forward table.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from scipy.stats import spearmanr

from alvh_rules.sweeping import charts
from alvh_rules.sweeping.points import ERROR, RUN_SECONDS, PointRunner, run_point, runner_name
from alvh_rules.sweeping.ranking import RANK, lower_is_better
from alvh_rules.sweeping.walkforward import WalkForward

TOP_POINTS = 10
HEADLINE_FIGURES: tuple[str, ...] = ("cagr", "sharpe", "sortino", "max_drawdown")
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}"
    "table{border-collapse:collapse;margin:0.5em 0 1.5em}"
    "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
    "th{background:#f3f3f3}.note{color:#555}"
)


@dataclass(frozen=True)
class ReportInputs:
    title: str
    subtitle: str
    rows: pd.DataFrame  # ranked rows (training rows for a walk-forward)
    params: tuple[str, ...]
    metric: str
    walk: WalkForward | None
    runner: PointRunner
    param_text: Callable[[str, float], str] = lambda name, value: f"{value:.6g}"


def write_html(path: str | Path, inputs: ReportInputs) -> None:
    """The page at `path`, written as the backtest's outputs are: never through a symlink,
    never half-written (backtesting.files; an `OutputError` names the file)."""
    from alvh_rules.backtesting.files import write_files

    page = Path(path)
    write_files(page.parent, {page.name: html_report(inputs).encode("utf-8")})


def html_report(inputs: ReportInputs) -> str:
    rows, params, metric = inputs.rows, inputs.params, inputs.metric
    parts = [
        f"<h1>{_e(inputs.title)}</h1>",
        f"<p class='note'>{_e(inputs.subtitle)}</p>",
        f"<p class='note'>{_e(source_note(inputs.runner))}</p>",
        f"<p>{len(rows)} points over {', '.join(params)}, ranked by {_e(metric)} "
        f"({'smaller magnitude is better' if lower_is_better(metric) else 'higher is better'}); "
        f"{int(rows[ERROR].notna().sum())} failed.</p>",
    ]
    if inputs.walk is not None:
        parts.append("<p>Walk-forward: the charts and tables below use the training period.</p>")
    overview = charts.overview(rows, params, metric, inputs.param_text)
    if overview:
        parts += [f"<h2>{_e(metric)} over the swept params</h2>", overview]
    parts += _sensitivity_section(rows, params, metric)
    parts += ["<h2>Top points</h2>", _top_table(inputs)]
    failed = rows[rows[ERROR].notna()]
    if not failed.empty:
        parts += ["<h2>Failed points</h2>", _failed_table(failed, inputs)]
    if inputs.walk is not None:
        parts += _walk_section(inputs.walk, inputs)
    return _page(inputs.title, parts)


def source_note(runner: PointRunner) -> str:
    """What the figures are: backtests on modelled prices, or a stand-in's figures."""
    if runner is run_point:
        return (
            "Figures come from backtests that price options with the model (modelled "
            "prices, not traded quotes)."
        )
    return f"Figures come from {runner_name(runner)}, a stand-in runner: not a backtest."


def _sensitivity_section(rows: pd.DataFrame, params: tuple[str, ...], metric: str) -> list[str]:
    """Each param's Spearman rho with the metric and the spread of the metric's mean per
    value: a large spread means the result depends on that param."""
    usable = rows.dropna(subset=[metric])
    table_rows = []
    for name in params:
        means = usable.groupby(name)[metric].mean()
        rho = _rho(usable[name], usable[metric])
        spread = float(means.max() - means.min()) if len(means) else math.nan
        table_rows.append([name, _num(rho), _num(spread), str(usable[name].nunique())])
    chart = charts.sensitivity(rows, params, metric)
    return [
        "<h2>Sensitivity</h2>",
        "<p class='note'>rho: Spearman rank correlation of the param with the metric over "
        "all points; spread: the largest minus the smallest mean of the metric per value.</p>",
        _table(["param", f"rho with {metric}", "spread of mean", "values"], table_rows),
        chart or "",
    ]


def _top_table(inputs: ReportInputs) -> str:
    rows, params, metric = inputs.rows, inputs.params, inputs.metric
    figures = [metric, *(f for f in HEADLINE_FIGURES if f in rows and f != metric)]
    body = []
    for _, row in rows.head(TOP_POINTS).iterrows():
        rank = "" if pd.isna(row[RANK]) else str(int(row[RANK]))
        body.append(
            [
                rank,
                *(inputs.param_text(name, float(row[name])) for name in params),
                *(_num(row.get(f)) for f in figures),
                f"{row[RUN_SECONDS]:.2f}",
            ]
        )
    return _table(["rank", *params, *figures, "run s"], body)


def _failed_table(failed: pd.DataFrame, inputs: ReportInputs) -> str:
    body = [
        [*(inputs.param_text(n, float(row[n])) for n in inputs.params), str(row[ERROR])]
        for _, row in failed.iterrows()
    ]
    return _table([*inputs.params, "error"], body)


def _walk_section(walk: WalkForward, inputs: ReportInputs) -> list[str]:
    (a, b), (c, d) = walk.train_period, walk.test_period
    best = ", ".join(f"{n}={inputs.param_text(n, v)}" for n, v in walk.best.items())
    body = [[str(name), _num(r["train"]), _num(r["test"])] for name, r in walk.table.iterrows()]
    if math.isnan(walk.spearman):
        correlation = f"not computed: {walk.compared} points have the metric in both periods"
    else:
        correlation = f"{walk.spearman:.3f} (p = {walk.p_value:.3g}, {walk.compared} points)"
    chart = charts.train_vs_test(walk.train, walk.test, walk.metric)
    return [
        "<h2>Walk-forward</h2>",
        f"<p>Best on training ({a} to {b}) by {_e(walk.metric)}: {_e(best)}.</p>",
        _table(["figure", f"train {a}..{b}", f"test {c}..{d}"], body),
        f"<p>Rank correlation of training against test over all points (Spearman): "
        f"{_e(correlation)}. Near zero or below, the ranking on the past did not carry "
        "over: the best training point is likely overfitted.</p>",
        chart or "",
    ]


def _rho(x: pd.Series, y: pd.Series) -> float:
    if len(x) < 3 or x.nunique() < 2 or y.nunique() < 2:
        return math.nan
    result: Any = spearmanr(x, y)
    return float(result.statistic)


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return ""
    return f"{float(value):.4g}"


def _e(text: str) -> str:
    return html.escape(text)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _page(title: str, parts: list[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
            *parts,
            "</body></html>",
        ]
    )
