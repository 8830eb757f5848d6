"""The terminal summary of `alvh backtest`: the key figures of each run side by side, the
per-year table of each, what was written; prices labelled as modelled."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from alvh_rules.backtesting.arguments import gap_words
from alvh_rules.backtesting.summary import figure_text

if TYPE_CHECKING:
    from alvh_rules.backtesting.api import Backtest


def nothing_opened(run: Backtest) -> str:
    """Why a run that opened nothing did not: its first action not taken (a capital too
    small for one structure, say), so `trades 0` is not left to guess."""
    if run.summary["trades"] or not run.summary["not_taken"]:
        return ""
    refused = run.trades[run.trades["status"] == "not taken"].iloc[0]
    return (
        f"{run.title}: no position opened; {run.summary['not_taken']} action(s) not taken, "
        f"the first on {refused['date']} ({refused['rule']}): {refused['reason']}"
    )


def print_runs(runs: Sequence[Backtest], data_label: str, written: Sequence[Path]) -> None:
    from rich.markup import escape
    from rich.table import Table

    from alvh_rules.cli.terminal import make_console

    console = make_console()
    console.print(f"[bold]backtest[/] ({escape(data_label)})")
    settings = runs[0].settings
    costs = settings.costs
    sizing = "the starting capital" if settings.fixed_capital else "the current equity"
    budget = "" if settings.risk_budget is None else f", risk budget {settings.risk_budget:,.0f} $"
    console.print(f"[dim]capital {settings.capital:,.0f} ${budget}; sizing from {sizing}[/]")
    console.print(
        f"[dim]costs per contract: slippage {costs.slippage:g} $, "
        f"commission {costs.commission:g} $, fees {costs.fees:g} $[/]"
    )
    for gap in runs[0].data_gaps:  # the same history and days for every run
        console.print(f"[yellow]data: {escape(gap_words(gap))}[/]", soft_wrap=True)
    table = Table(title="Summary")
    table.add_column("figure")
    for run in runs:
        table.add_column(escape(run.title), justify="right")
    for key in runs[0].summary:
        if key == "per_year":
            continue
        table.add_row(key, *(figure_text(key, run.summary[key]) for run in runs))
    console.print(table)
    for run in runs:
        years = Table(title=f"{escape(run.title)}: per year")
        columns = ("year", "return", "pnl", "max_drawdown", "trades", "fees")
        for column in columns:
            years.add_column(column, justify="right")
        for row in run.summary["per_year"]:  # a year that starts ruined has no return: n/a
            years.add_row(*(figure_text(column, row[column]) for column in columns))
        console.print(years)
    for run in runs:
        why = nothing_opened(run)
        if why:
            console.print(f"[yellow]{escape(why)}[/]", soft_wrap=True)
    console.print(
        "[dim]Marks and fills are modelled prices (the Greeks core on each close), not traded "
        "quotes.[/]"
    )
    for path in written:
        console.print(f"wrote {escape(str(path))}")
