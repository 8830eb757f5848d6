"""The terminal side of `alvh sweep`: the ranked points, the walk-forward table, and the
HTML report with params shown in their units."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alvh_rules.cli.decision_view import show_value
from alvh_rules.cli.inputs import param_units

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from alvh_rules.check.ruleset import Ruleset
    from alvh_rules.sweeping.api import SweepPlan
    from alvh_rules.sweeping.walkforward import WalkForward

HEADLINE_FIGURES: tuple[str, ...] = ("cagr", "sharpe", "sortino", "max_drawdown")


def param_formatter(ruleset: Ruleset) -> Any:
    units = param_units(ruleset)

    def text(name: str, value: float) -> str:
        return show_value(value, units.get(name, ""))

    return text


def print_results(
    console: Console,
    ruleset: Ruleset,
    ranked: pd.DataFrame,
    params: tuple[str, ...],
    metric: str,
    top: int,
) -> None:
    from rich.markup import escape
    from rich.table import Table

    text = param_formatter(ruleset)
    failed = int(ranked["error"].notna().sum()) if "error" in ranked else 0
    console.print(f"{len(ranked)} points, ranked by {metric}; {failed} failed")
    unranked = int(ranked["rank"].isna().sum()) - failed
    if unranked:
        console.print(
            f"{unranked} point(s) ran but have no value of {metric} (e.g. a Sharpe ratio with "
            "no variation in returns): shown without a rank"
        )
    shown = [metric, *(f for f in HEADLINE_FIGURES if f in ranked and f != metric)]
    table = Table("rank", *params, *shown, "run s", "error")
    for _, row in ranked.head(top).iterrows():
        rank = "-" if _missing(row["rank"]) else str(int(row["rank"]))
        table.add_row(
            rank,
            *(text(name, float(row[name])) for name in params),
            *(figure_cell(row.get(name), name) for name in shown),
            f"{row['run_seconds']:.2f}",
            escape(str(row["error"])) if isinstance(row["error"], str) else "",
        )
    console.print(table)


def print_walk_forward(console: Console, ruleset: Ruleset, result: WalkForward) -> None:
    from rich.table import Table

    text = param_formatter(ruleset)
    (train_first, train_last), (test_first, test_last) = result.train_period, result.test_period
    best = ", ".join(f"{name}={text(name, value)}" for name, value in result.best.items())
    console.print(f"[bold]Walk-forward[/]: best on training by {result.metric}: {best}")
    table = Table("figure", f"train {train_first}..{train_last}", f"test {test_first}..{test_last}")
    for figure, row in result.table.iterrows():
        name = str(figure)
        table.add_row(name, figure_cell(row["train"], name), figure_cell(row["test"], name))
    console.print(table)
    console.print(spearman_line(result))


def spearman_line(result: WalkForward) -> str:
    if math.isnan(result.spearman):
        return (
            f"rank correlation train vs test: not computed ({result.compared} points have "
            f"{result.metric} in both periods and distinct values; it needs 3)"
        )
    return (
        f"rank correlation train vs test (Spearman, {result.compared} points): "
        f"{result.spearman:.3f} (p = {result.p_value:.3g}); near 0 or below: the training "
        "ranking did not carry over"
    )


def write_report(
    path: Path,
    ruleset: Ruleset,
    ranked: pd.DataFrame,
    plan: SweepPlan,
    metric: str,
    walk: WalkForward | None,
    data_label: str,
) -> None:
    from alvh_rules.sweeping.report import ReportInputs, write_html

    inputs = ReportInputs(
        title=f"{ruleset.title}: sweep",
        subtitle=data_label,
        rows=ranked,
        params=plan.space.names,
        metric=metric,
        walk=walk,
        runner=plan.runner,
        param_text=param_formatter(ruleset),
    )
    write_html(path, inputs)


def figure_cell(value: Any, name: str = "") -> str:
    """A figure as the backtest's summary shows it (returns and drawdowns in %, money in $:
    `1e+05` and `0.4560` read badly); other figures to 4 significant digits."""
    from alvh_rules.backtesting.summary import DOLLAR_FIGURES, PERCENT_FIGURES, figure_text

    if value is None or _missing(value):
        return ""
    if name in PERCENT_FIGURES or name in DOLLAR_FIGURES:
        return figure_text(name, float(value))
    return f"{float(value):.4g}"


def _missing(value: Any) -> bool:
    try:
        return bool(value != value) or value is None  # NaN or pd.NA
    except TypeError:
        return True
