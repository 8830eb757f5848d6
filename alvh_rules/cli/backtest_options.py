"""The options `alvh backtest` and `alvh sweep` share: the period and the costs of trading.

A sweep's costs default to None, which leaves each point's backtest its own defaults; the
backtest shows those defaults in its help.
"""

from __future__ import annotations

from typing import Any

from alvh_rules.cli.inputs import dollars, trading_date


def add_period_arguments(group: Any) -> None:
    """`--start` and `--end`, trading days (`group`: a parser or an argument group)."""
    group.add_argument(
        "--start",
        type=trading_date,
        metavar="YYYY-MM-DD",
        help="first day (default: the first with SPX, VIX and the T-bill rate all known)",
    )
    group.add_argument(
        "--end",
        type=trading_date,
        metavar="YYYY-MM-DD",
        help="last day (default: the last with SPX, VIX and the T-bill rate all known)",
    )


def add_cost_arguments(group: Any, *, show_defaults: bool) -> None:
    """`--slippage`, `--commission`, `--fees` (dollars per contract) and `--fixed-capital`;
    with `show_defaults` they default to the backtest's costs, else to None."""
    from alvh_rules.backtesting.costs import DEFAULT_COMMISSION, DEFAULT_FEES, DEFAULT_SLIPPAGE

    for option, default, what in (
        ("--slippage", DEFAULT_SLIPPAGE, "slippage per contract against the mid"),
        ("--commission", DEFAULT_COMMISSION, "commission per contract"),
        ("--fees", DEFAULT_FEES, "exchange and clearing fees per contract"),
    ):
        shown = f" (default {default:g} $)" if show_defaults else ""
        group.add_argument(
            option,
            type=dollars,
            default=default if show_defaults else None,
            metavar="USD",
            help=what + shown,
        )
    group.add_argument(
        "--fixed-capital",
        action="store_true",
        help="size from the starting capital every day (default: the current equity)",
    )
