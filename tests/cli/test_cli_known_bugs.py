"""Bugs once found below the CLI (eval, market) and since fixed: each test keeps its fix."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli_support import FIXTURES, Run

from alvh_rules.check import load
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History, MarketSnapshot


def test_a_snapshot_read_back_from_json_evaluates(simple: Path, demo_history: History) -> None:
    snapshot = demo_history.snapshot("2024-08-09", lookback=60)
    read_back = MarketSnapshot.model_validate_json(snapshot.model_dump_json())
    assert read_back == snapshot
    assert evaluate(load(simple), read_back).states == evaluate(load(simple), snapshot).states


def test_a_unit_on_a_plain_number_param_is_refused(run: Run, simple: Path) -> None:
    code, _, err = run("eval", simple, "--set", "rsi_cap=60delta")
    assert code == 2
    assert "rsi_cap" in err


def test_missing_capital_is_listed_with_the_rule_it_affects(run: Run, simple: Path) -> None:
    code, out, _ = run("eval", simple, "--format", "json")
    assert code == 0
    missing = {m["name"]: m["rules"] for m in json.loads(out)["missing"]}
    assert "base_condor" in missing.get("capital", [])


def test_limits_report_the_state_after_the_proposed_actions(run: Run, simple: Path) -> None:
    code, out, _ = run("eval", simple, "--format", "json", "--capital", "1000000")
    assert code == 0
    decision = json.loads(out)
    assert decision["actions"], "base_condor proposes an iron condor on this day"
    limit = next(rule["limit"] for rule in decision["rules"] if rule["kind"] == "limit")
    assert limit["after_actions"] in ("held", "breached")


def test_capital_option_sizes_trades_even_with_a_portfolio(run: Run, simple: Path) -> None:
    portfolio = FIXTURES / "portfolio.json"  # its capital is 1,000,000
    code, out, _ = run("eval", simple, "--portfolio", portfolio, "--capital", "2000000")
    assert code == 0
    # 1% of the --capital given (2,000,000), not of the portfolio's 1,000,000
    found = re.search(r"risk 20,000\$ / max loss ([\d,]+)\$ per structure = (\d+)", out)
    assert found, out
    loss, count = float(found[1].replace(",", "")), int(found[2])
    assert count == int(20_000 // loss) > 0


def test_a_basis_point_param_is_shown_in_basis_points() -> None:
    from alvh_rules.cli.decision_view import params_line

    line = params_line({"irr_spread": 0.04, "cap": 0.18}, {"irr_spread": "bp", "cap": "%"})
    assert line == "params: cap=18%, irr_spread=400bp"
