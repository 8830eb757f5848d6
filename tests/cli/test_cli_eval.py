"""`alvh eval`: text tables, JSON, --explain, --date, --set, --capital, --portfolio and
--snapshot on the built-in demo set and on the real history."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_support import FIXTURES, QUICKSTART, Run

from alvh_rules.check import load
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History

DEMO_LABEL = "built-in demo data: synthetic before 2024-07-31"


def test_text_output_on_demo_data_puts_actions_first(run: Run, simple: Path) -> None:
    code, out, _ = run("eval", simple, "--capital", "1000000", "--risk-budget", "100000")
    assert code == 0
    assert DEMO_LABEL in out
    assert "on 2024-08-09" in out  # the demo set's last day by default
    actions, rules, regime = out.index("Actions"), out.index("Rules"), out.index("Regime:")
    assert actions < rules < regime
    assert "base_condor: open iron_condor, 5 contract(s)" in out
    assert "risk 10,000$ / max loss 1,779$ per structure = 5" in out
    assert "4,935.00" in out and "2024-09-20" in out  # a leg: strike and (listed) expiry
    assert "capital 1,000,000 $, risk budget 100,000 $" in out
    for rule in ("steward", "promoter", "max_short_vega", "base_condor", "hedge"):
        assert rule in out[rules:regime]
    assert "Regime: steward" in out
    assert "Missing values: none that affect a rule" in out


def test_regime_line_tells_no_regime_declared_from_unknown(run: Run, tmp_path: Path) -> None:
    header = 'ruleset "r"\nversion 1\n'
    entry = "entry e:\n    when vix > 0\n    open iron_condor dte 45d delta 16delta wings 25pt\n"
    no_regime = tmp_path / "no_regime.alvh"
    no_regime.write_text(header + entry)
    code, out, _ = run("eval", no_regime)
    assert code == 0
    assert "Regime: none (the ruleset declares no regime)" in out
    unknown = tmp_path / "unknown_regime.alvh"
    unknown.write_text(header + "regime calm: when sma(vix, 1000) > 1\n" + entry)
    code, out, _ = run("eval", unknown)
    assert code == 0
    assert "Regime: unknown (no regime's condition is known to hold)" in out


def test_json_output_is_the_decision_json(run: Run, simple: Path, demo_history: History) -> None:
    code, out, _ = run("eval", simple, "--format", "json", "--capital", "250000")
    assert code == 0
    expected = evaluate(
        load(simple), demo_history.snapshot("2024-08-09", capital=250000.0)
    ).to_json()
    assert out == expected + "\n"
    assert json.loads(out)["states"]["base_condor"] == "fires"


def test_explain_prints_every_rules_reasons_tree(run: Run, simple: Path) -> None:
    code, out, _ = run("eval", simple, "--explain")
    assert code == 0
    assert "steward (regime): fires" in out
    assert "roe = 17.14%  roe on 2024-08-09 (the report date of the quarter)" in out
    assert "vix_rsi < rsi_cap is" in out
    assert "hedge (layer): holds" in out
    code, plain, _ = run("eval", simple)
    assert "roe = 17.14%" not in plain


def test_without_capital_the_output_says_so(run: Run, simple: Path) -> None:
    code, out, _ = run("eval", simple)
    assert code == 0
    assert "capital not given (--capital USD sizes trades by risk)" in out
    assert "size unknown (sizing needs capital: give --capital USD)" in out
    assert "0 contract(s)" not in out


def test_date_and_set_change_the_decision(run: Run) -> None:
    code, out, _ = run("eval", QUICKSTART, "--date", "2024-08-05", "--format", "json")
    assert code == 0
    decision = json.loads(out)
    assert decision["as_of"] == "2024-08-05"
    assert decision["provenance"]["params"]["roe_floor"] == pytest.approx(0.12)
    code, out, _ = run("eval", QUICKSTART, "--set", "roe_floor=18%", "--format", "json")
    decision = json.loads(out)
    assert decision["provenance"]["params"]["roe_floor"] == pytest.approx(0.18)
    assert decision["regime"] == "promoter"  # the demo roe, 17.1%, is under 18%
    code, out, _ = run("eval", QUICKSTART, "--set", "roe_floor=18%")
    assert "params: event_buffer=1d, profit_take=50%, roe_floor=18%, rsi_cap=60" in out


def test_a_weekend_date_evaluates_the_friday_close_with_a_note(run: Run, simple: Path) -> None:
    code, out, err = run("eval", simple, "--date", "2024-08-04")
    assert code == 0
    assert "2024-08-04 is not a trading day: evaluating the close of 2024-08-02" in err
    assert "on 2024-08-02" in out


def test_portfolio_file_feeds_the_limit(run: Run, simple: Path) -> None:
    code, out, _ = run("eval", simple, "--portfolio", FIXTURES / "portfolio.json")
    assert code == 0
    assert "1 open position(s)" in out
    assert "capital 1,000,000 $" in out  # taken from the portfolio file
    assert "breached" in out
    assert "-90$/vp)[regime] is false" in out  # brackets printed, not read as markup
    assert "after the actions breached" in out  # the proposed condor adds short vega


def test_snapshot_file_gives_the_same_decision(
    run: Run, simple: Path, demo_history: History, tmp_path: Path
) -> None:
    snapshot = demo_history.snapshot("2024-08-08", capital=500000.0, risk_budget=50000.0)
    path = tmp_path / "snapshot.json"
    path.write_text(snapshot.model_dump_json(), encoding="utf-8")
    code, out, _ = run("eval", simple, "--snapshot", path, "--format", "json")
    assert code == 0
    from_file, direct = json.loads(out), json.loads(evaluate(load(simple), snapshot).to_json())
    assert from_file["states"] == direct["states"]
    assert from_file["actions"] == direct["actions"]
    code, out, _ = run("eval", simple, "--snapshot", path)
    assert f"snapshot: {path}" in out and DEMO_LABEL not in out


def test_real_history_on_2020_03_16(run: Run, real_data: Path) -> None:
    code, out, _ = run("eval", QUICKSTART, "--data", real_data, "--date", "2020-03-16")
    assert code == 0
    assert "on 2020-03-16" in out
    assert f"data: {real_data} (1928-01-03 to " in out
    assert DEMO_LABEL not in out
    code, out, _ = run(
        "eval", QUICKSTART, "--data", real_data, "--date", "2020-03-16", "--format", "json"
    )
    decision = json.loads(out)
    assert decision["states"]["base_condor"] == "blocked"  # the FOMC met on 2020-03-15
    assert decision["regime"] == "steward"


def test_real_history_sizes_an_iron_condor(run: Run, real_data: Path) -> None:
    args = ("eval", QUICKSTART, "--data", real_data, "--date", "2017-11-03")
    code, out, _ = run(*args, "--capital", "10,000,000", "--risk-budget", "$1000000")
    assert code == 0
    found = re.search(
        r"risk 100,000\$ / max loss ([\d,]+)\$ per structure = (\d+); within max_short_vega: (\d+)",
        out,
    )
    assert found, out
    by_risk, within = int(found[2]), int(found[3])
    assert by_risk == int(100_000 // float(found[1].replace(",", ""))) > 40
    # the -180 $/vp steward limit holds the count far below what the risk would buy
    assert 1 <= within < by_risk
    assert f"base_condor: open iron_condor, {within} contract(s)" in out
    vega = re.search(r"vega (-[\d.]+) \$/vp", out)
    # as many as fit: one more would breach
    assert vega and -180 <= float(vega[1]) < -180 * within / (within + 1), out
    assert "2017-12-15" in out  # the listed monthly nearest 45 days (42 out), not 12-18


def test_missing_values_name_the_rules_they_affected(
    run: Run, demo_history: History, tmp_path: Path
) -> None:
    snapshot = demo_history.snapshot("2024-08-09", capital=1e6, risk_budget=1e5, lookback=60)
    payload = json.loads(snapshot.model_dump_json())
    payload["series_values"]["roe"][-1] = None  # a null is a value unknown at as-of
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    code, out, _ = run("eval", QUICKSTART, "--snapshot", path)
    assert code == 0  # unknown states are a decision, not an error
    assert "Regime: unknown" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("roe "))
    assert "roe has no value on 2024-08-09" in row
    assert row.rstrip().endswith("steward")
    assert "also unknown, no rule's state depends on it: position.max_profit" in out


def test_snapshot_with_portfolio_and_capital_override(
    run: Run, simple: Path, demo_history: History, tmp_path: Path
) -> None:
    snapshot = demo_history.snapshot("2024-08-09", lookback=60)  # no capital in the file
    path = tmp_path / "snapshot.json"
    path.write_text(snapshot.model_dump_json(), encoding="utf-8")
    portfolio = FIXTURES / "portfolio.json"
    args = ("eval", simple, "--snapshot", path, "--portfolio", portfolio)
    code, out, _ = run(*args, "--capital", "2000000")
    assert code == 0
    assert "capital 2,000,000 $, risk budget 100,000 $; 1 open position(s)" in out
    code, out, err = run(*args, "--format", "json", "--explain")
    assert code == 0
    assert "--explain is for text; the JSON holds every reasons tree" in err
    assert json.loads(out)["states"]["max_short_vega"] == "breached"


def test_explain_says_why_a_value_is_unknown(run: Run, real_data: Path) -> None:
    # On the history's last day the quarterly S&P fundamentals are stale: roe is unknown.
    code, out, _ = run("eval", QUICKSTART, "--data", real_data, "--explain")
    assert code == 0
    assert "steward (regime): unknown: the regime is unknown" in out
    assert "roe = unknown  roe has no value on " in out
