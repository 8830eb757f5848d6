"""`alvh eval RULESET`: what every rule says on one day and why, with the actions to place,
on `--data DIR` (default: the built-in demo set) at `--date`, or on `--snapshot FILE`.
Exit 0 whatever the states, 1 on ruleset errors, 2 on usage or data errors.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from alvh_rules.cli.inputs import (
    CliError,
    add_common_arguments,
    add_smile_argument,
    load_history,
    load_ruleset,
    param_units,
    parse_params,
    snapshot_day,
    trading_date,
)

if TYPE_CHECKING:
    from alvh_rules.market.snapshot import MarketSnapshot

FORMATS = ("text", "json")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="evaluate a ruleset on one day: states, reasons and actions",
        description=(
            "Evaluate every rule of RULESET on one day's close and print the decision: "
            "actions first, then each rule's state, the regime and any missing values."
        ),
    )
    add_common_arguments(parser)
    add_smile_argument(parser)
    parser.add_argument(
        "--date",
        type=trading_date,
        metavar="YYYY-MM-DD",
        help="the day to evaluate (default: the history's last day)",
    )
    parser.add_argument(
        "--snapshot",
        metavar="FILE",
        help="a MarketSnapshot JSON file to evaluate instead of a history (no --data/--date)",
    )
    parser.add_argument(
        "--portfolio",
        metavar="FILE",
        help="a Portfolio JSON file with the open positions (layout in README.md)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print each rule's reasons tree (text format)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except CliError as error:
        return error.report("eval")


def _run(args: argparse.Namespace) -> int:
    from alvh_rules.eval.interpreter import evaluate

    if args.snapshot is not None and (args.data is not None or args.date is not None):
        raise CliError("--snapshot holds its own market state: drop --data and --date")
    ruleset = load_ruleset(args.ruleset)
    params = parse_params(ruleset, args.sets)
    snapshot, data_label, note = _market_state(args)
    if snapshot.portfolio is not None and args.portfolio is not None:
        from alvh_rules.cli.portfolio_file import require_known_owners

        require_known_owners(snapshot.portfolio, ruleset, f"--portfolio {args.portfolio}")
    if note:
        print(f"alvh eval: {note}", file=sys.stderr)
    decision = evaluate(ruleset, snapshot, params)
    if args.format == "json":
        if args.explain:
            print(
                "alvh eval: --explain is for text; the JSON holds every reasons tree",
                file=sys.stderr,
            )
        print(decision.to_json())
        return 0
    from alvh_rules.cli.decision_view import params_line, print_decision
    from alvh_rules.cli.terminal import make_console

    context = [
        data_label,
        _account_line(snapshot),
        params_line(decision.provenance.params, param_units(ruleset)),
    ]
    print_decision(make_console(), decision, context, args.explain)
    return 0


def _account_line(snapshot: MarketSnapshot) -> str:
    from alvh_rules.market.snapshot import account_in_force

    portfolio = snapshot.portfolio
    capital, budget = account_in_force(snapshot.capital, snapshot.risk_budget, portfolio)
    positions = len(portfolio.positions) if portfolio is not None else 0
    account = (
        f"capital {capital:,.0f} $"
        if capital is not None
        else "capital not given (--capital USD sizes trades by risk)"
    )
    account += f", risk budget {budget:,.0f} $" if budget is not None else ", risk budget not given"
    return f"account: {account}; {positions} open position(s)"


def _market_state(args: argparse.Namespace) -> tuple[MarketSnapshot, str, str]:
    """The snapshot to evaluate, a label saying where its data comes from, and a note."""
    from alvh_rules.cli.snapshot_files import read_portfolio, read_snapshot

    if args.snapshot is not None:
        snapshot = read_snapshot(args.snapshot)
        update: dict[str, Any] = {}
        if args.portfolio is not None:
            update["portfolio"] = read_portfolio(args.portfolio, snapshot.today)
        if args.capital is not None:
            update["capital"] = args.capital
        if args.risk_budget is not None:
            update["risk_budget"] = args.risk_budget
        if args.smile is not None:
            update["smile"] = args.smile
        return snapshot.model_copy(update=update), f"snapshot: {args.snapshot}", ""
    history, data_label = load_history(args.data, args.smile)
    day, note = snapshot_day(history, args.date)
    portfolio = read_portfolio(args.portfolio, day) if args.portfolio is not None else None
    try:
        snapshot = history.snapshot(
            day, portfolio, capital=args.capital, risk_budget=args.risk_budget
        )
    except ValueError as error:
        raise CliError(f"--date {day}: {error}") from None
    return snapshot, data_label, note
