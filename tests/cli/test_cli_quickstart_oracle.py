"""The figures `alvh eval` prints for the quick start on a real day, checked as a trader
would check them by hand, against oracles computed here: each leg's price, the position's
dollar delta and vega with QuantLib's Black calculator (on the forward from the day's rate
and dividend yield, at the surface's vol for the leg: the surface is the model, the
pricing and the sums are what is checked); the credit, break-evens, maximum loss and the
contract count from the printed legs alone; and the indicators the rules read (RSI, SMA,
EMA, MACD) with TA-Lib on the real series, realized vol with numpy."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import QuantLib as ql
import talib
from cli_support import QUICKSTART, Run

from alvh_rules.eval import positions as pos
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import History

DAY = dt.date(2022, 11, 14)  # the steward regime; base_condor fires, capped by the vega limit
CAPITAL = 1_000_000.0


@pytest.fixture(scope="module")
def decision(real_data: Path) -> dict[str, Any]:
    # `run` is function-scoped: call the CLI once for the module and parse its JSON.
    from alvh_rules.cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(
            [
                "eval",
                str(QUICKSTART),
                "--data",
                str(real_data),
                "--date",
                str(DAY),
                "--capital",
                str(int(CAPITAL)),
                "--format",
                "json",
            ]
        )
    assert code == 0
    parsed: dict[str, Any] = json.loads(out.getvalue())
    return parsed


@pytest.fixture(scope="module")
def day(real_data: Path) -> tuple[History, Any]:
    history = History.from_dir(real_data)
    row = history.daily.loc[str(DAY)]
    values = {n: float(row[n]) if n in history.daily else math.nan for n in MARKET_FIELDS}
    ctx = pos.valuation_context(values, DAY)
    assert not isinstance(ctx, str)
    return history, ctx


def _black(ctx: Any, leg: dict[str, Any]) -> tuple[ql.BlackCalculator, float]:
    expiry = dt.date.fromisoformat(leg["expiry"])
    # AM-settled monthly: from today's 16:00 close to the expiry's 09:30 open
    gap = dt.datetime.combine(expiry, dt.time(9, 30)) - dt.datetime.combine(DAY, dt.time(16))
    t = gap.total_seconds() / 86_400 / 365.0
    vol = float(ctx.spx_surface.vol(leg["strike"], t))
    forward = ctx.spx * math.exp((ctx.rate - ctx.div_yield) * t)
    kind = ql.Option.Call if leg["right"] == "c" else ql.Option.Put
    payoff = ql.PlainVanillaPayoff(kind, leg["strike"])
    return ql.BlackCalculator(payoff, forward, vol * math.sqrt(t), math.exp(-ctx.rate * t)), t


def _condor(decision: dict[str, Any]) -> dict[str, Any]:
    assert decision["states"]["base_condor"] == "fires"
    (action,) = [a for a in decision["actions"] if a["rule"] == "base_condor"]
    return action


def test_each_leg_is_priced_as_black_prices_it(
    decision: dict[str, Any], day: tuple[History, Any]
) -> None:
    _, ctx = day
    legs = _condor(decision)["legs"]
    assert [(leg["right"], np.sign(leg["quantity"])) for leg in legs] == [
        ("p", 1),
        ("p", -1),
        ("c", -1),
        ("c", 1),
    ]
    for leg in legs:
        black, _ = _black(ctx, leg)
        assert leg["price"] == pytest.approx(black.value(), abs=1e-4)  # printed to 4 places


def test_delta_and_vega_are_the_legs_black_greeks_summed(
    decision: dict[str, Any], day: tuple[History, Any]
) -> None:
    _, ctx = day
    action = _condor(decision)
    delta = vega = 0.0
    for leg in action["legs"]:
        black, t = _black(ctx, leg)
        units = 100 * leg["quantity"]
        delta += units * black.delta(ctx.spx)
        vega += units * black.vega(t) / 100  # per vol point
    assert action["figures"]["delta"] == pytest.approx(delta, rel=1e-5)
    assert action["figures"]["vega"] == pytest.approx(vega, rel=1e-5)


def test_credit_break_evens_and_max_loss_follow_from_the_printed_legs(
    decision: dict[str, Any],
) -> None:
    action = _condor(decision)
    legs, figures, count = action["legs"], action["figures"], action["contracts"]
    credit_per_share = sum(-leg["quantity"] * leg["price"] for leg in legs) / count
    long_put, short_put, short_call, long_call = (leg["strike"] for leg in legs)
    assert figures["credit"] == pytest.approx(100 * count * credit_per_share, abs=0.01)
    assert figures["max_profit"] == pytest.approx(figures["credit"])
    assert figures["breakeven_low"] == pytest.approx(short_put - credit_per_share, abs=1e-3)
    assert figures["breakeven_high"] == pytest.approx(short_call + credit_per_share, abs=1e-3)
    widest = max(short_put - long_put, long_call - short_call)
    assert figures["max_loss"] == pytest.approx(100 * count * (widest - credit_per_share), abs=0.01)
    assert (short_put - long_put, long_call - short_call) == (25.0, 25.0)  # wings 25pt


def test_the_count_is_the_risk_budget_then_the_vega_limit(decision: dict[str, Any]) -> None:
    # size risk 1% of capital within max_short_vega (steward: portfolio.vega >= -180$/vp)
    action = _condor(decision)
    figures, count = action["figures"], action["contracts"]
    loss_each, vega_each = figures["max_loss"] / count, figures["vega"] / count
    by_risk = math.floor(0.01 * CAPITAL / loss_each)
    by_vega = math.floor(-180.0 / vega_each)
    assert decision["regime"] == "steward"
    assert count == min(by_risk, by_vega)
    assert f"= {by_risk}; within max_short_vega: {count}" in action["sizing"]


def _reason_values(node: dict[str, Any], found: dict[str, float]) -> None:
    if isinstance(node.get("value"), float):
        found.setdefault(node["text"], node["value"])
    for child in node.get("children", []):
        _reason_values(child, found)


INDICATORS = """
let vix_rsi = rsi(vix, 14)
let spx_sma = sma(spx, 200)
let spx_ema = ema(spx, 50)
let basis_hist = macd(vix_basis).hist
let spx_vol = realized_vol(spx, 20)
entry e:
    when vix_rsi > 0 and spx_sma > 0pt and spx_ema > 0pt and basis_hist > -100vp
        and spx_vol > 0vp
"""


def test_the_indicators_a_rule_reads_equal_ta_lib_on_the_real_series(
    run: Run, real_data: Path, day: tuple[History, Any], tmp_path: Path
) -> None:
    history, _ = day
    path = tmp_path / "indicators.alvh"
    path.write_text(INDICATORS, encoding="utf-8")
    code, out, _ = run("eval", path, "--data", real_data, "--date", str(DAY), "--format", "json")
    assert code == 0
    decision = json.loads(out)
    found: dict[str, float] = {}
    for rule in decision["rules"]:
        for clause in rule.get("clauses", []):
            _reason_values(clause["reason"], found)
    daily = history.daily.loc[: str(DAY)]

    def closes(field: str) -> np.ndarray[Any, np.dtype[np.float64]]:
        # an indicator runs over the days the series has a value (language.md)
        return daily[field].dropna().to_numpy(dtype=np.float64)

    assert found["vix_rsi"] == pytest.approx(talib.RSI(closes("vix"), 14)[-1], abs=1e-6)
    assert found["spx_sma"] == pytest.approx(talib.SMA(closes("spx"), 200)[-1], rel=1e-9)
    assert found["spx_ema"] == pytest.approx(talib.EMA(closes("spx"), 50)[-1], rel=1e-9)
    _, _, hist = talib.MACD(closes("vix_basis"), 12, 26, 9)
    assert found["basis_hist"] == pytest.approx(hist[-1], abs=1e-6)
    # realized vol: the sample deviation of 20 log returns, annualised by sqrt(252), in points
    returns = np.diff(np.log(closes("spx")))[-20:]
    expected_vol = float(np.std(returns, ddof=1) * math.sqrt(252) * 100)
    assert found["spx_vol"] == pytest.approx(expected_vol, rel=1e-9)
    # the day's own market field agrees with the language's computation of it
    assert found["spx_vol"] == pytest.approx(float(daily["spx_rv20"].iloc[-1]), rel=1e-9)
