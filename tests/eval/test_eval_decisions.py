"""Decisions computed by hand on the built-in demo day, with overridden values."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import pytest

from alvh_rules.check import Ruleset
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.params import ParamError
from alvh_rules.market import History

Make = Callable[[str], Ruleset]

ENTRY = """
param vix_cap = 30vp in 20vp .. 40vp
entry e:
    require vix_rsi_ok
    block vix > 45
    when vix > vix_cap
    unless vvix > 200
let vix_rsi_ok = rsi(vix, 14) < 101
"""


@pytest.fixture(scope="module")
def today(demo_history: History):  # type: ignore[no-untyped-def]
    return demo_history.snapshot(
        demo_history.index[-1].date(), capital=1_000_000, risk_budget=100_000
    )


def states(ruleset: Ruleset, snapshot: object, **overrides: float) -> dict[str, str]:
    return dict(evaluate(ruleset, snapshot, overrides=overrides).states)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"vix": 35.0}, "fires"),  # when true, nothing blocks
        ({"vix": 25.0}, "holds"),  # when false
        ({"vix": 50.0}, "blocked"),  # block true
        ({"vix": 35.0, "vvix": 250.0}, "holds"),  # unless true
        ({"vix": 35.0, "vvix": math.nan}, "unknown"),  # unless unknown: not taken
        ({"vix": math.nan}, "blocked"),  # the block on vix is unknown, and an unknown block blocks
    ],
)
def test_entry_states(
    ruleset: Make, today: object, overrides: dict[str, float], expected: str
) -> None:
    assert states(ruleset(ENTRY), today, **overrides)["e"] == expected


def test_unknown_names_the_missing_value(ruleset: Make, today: object) -> None:
    decision = evaluate(ruleset(ENTRY), today, overrides={"vix": 35.0, "vvix": math.nan})
    assert decision.states["e"] == "unknown"
    [missing] = [m for m in decision.missing if m.name == "vvix"]
    assert "vvix has no value" in missing.reason and missing.rules == ["e"]


UNDEFINED = """
param zero = 0 in 0 .. 1
regime calm: when spx / zero > 1 and vix[5000] > 1 and macd(vix).hist > -1000
regime other: otherwise
"""


def test_unknown_with_known_inputs_says_why(ruleset: Make, today: object) -> None:
    """An operation whose inputs are all known but which has no value on the day is itself
    the missing value, with its own reason; its known inputs are not blamed."""
    decision = evaluate(ruleset(UNDEFINED), today)
    assert decision.states["calm"] == "unknown"
    reasons = {m.name: (m.reason, m.rules) for m in decision.missing}
    assert reasons["spx / zero"][0].startswith("spx / zero divides by zero on 2024-08-09")
    assert reasons["vix[5000]"][0] == "vix[5000] needs 5001 bars of vix, the history has 338"
    assert set(reasons) == {"spx / zero", "vix[5000]"}  # macd(vix) has its 34 bars
    assert reasons["spx / zero"][1] == ["calm"]


def test_record_part_short_of_history_says_how_short(ruleset: Make, demo_history: History) -> None:
    snapshot = demo_history.snapshot(demo_history.index[20].date())  # 21 bars of vix
    decision = evaluate(ruleset(UNDEFINED), snapshot, params={"zero": 1.0})
    reasons = {m.name: m.reason for m in decision.missing}
    assert reasons["macd(vix).hist"] == "macd(vix).hist needs 34 bars of vix, the history has 21"


def test_params_override_within_bounds(ruleset: Make, today: object) -> None:
    rules = ruleset(ENTRY)
    assert (
        evaluate(rules, today, params={"vix_cap": "36vp"}, overrides={"vix": 35.0}).states["e"]
        == "holds"
    )
    assert (
        evaluate(rules, today, params={"vix_cap": 34.0}, overrides={"vix": 35.0}).states["e"]
        == "fires"
    )
    with pytest.raises(ParamError, match=r"outside its bounds 20vp \.\. 40vp"):
        evaluate(rules, today, params={"vix_cap": "41vp"})
    # a Python number outside the bounds: the message says it was read in base units
    with pytest.raises(ParamError, match=r"40vp; a number is read in base units, .*'41vp'"):
        evaluate(rules, today, params={"vix_cap": 41.0})
    with pytest.raises(ParamError, match="in vp, not %"):
        evaluate(rules, today, params={"vix_cap": "30%"})
    # a bare literal is fine for vol points (no second reading), as in the checker
    assert evaluate(rules, today, params={"vix_cap": "34"}, overrides={"vix": 35.0}).states[
        "e"
    ] == ("fires")
    with pytest.raises(ParamError, match="no param named 'vix_capp'"):
        evaluate(rules, today, params={"vix_capp": 30.0})


REGIMES = """
regime calm: when vix < low
regime stressed: when vix > high
regime normal: otherwise
param low = 15vp in 10vp .. 20vp
param high = 30vp in 25vp .. 40vp
entry e: when (calm: vix > 0, stressed: vix > 100, normal: vix > 20)[regime]
"""


@pytest.mark.parametrize(
    ("vix", "regime", "entry"),
    [
        (12.0, "calm", "fires"),
        (35.0, "stressed", "holds"),
        (22.0, "normal", "fires"),
        (18.0, "normal", "holds"),
    ],
)
def test_regimes_are_tried_in_order(
    ruleset: Make, today: object, vix: float, regime: str, entry: str
) -> None:
    decision = evaluate(ruleset(REGIMES), today, overrides={"vix": vix})
    assert decision.regime == regime
    assert decision.states[regime] == "fires"
    assert decision.states["e"] == entry
    others = [name for name in ("calm", "stressed", "normal") if name != regime]
    assert all(decision.states[name] == "holds" for name in others)


def test_unknown_regime_makes_the_choice_unknown(ruleset: Make, today: object) -> None:
    decision = evaluate(ruleset(REGIMES), today, overrides={"vix": math.nan})
    assert decision.regime is None
    assert decision.states == {
        "calm": "unknown",
        "stressed": "unknown",
        "normal": "unknown",
        "e": "unknown",
    }


LIMIT = """
limit vix_cap:
    vix <= 30vp
let headroom = vix_cap.margin
entry e: when headroom > 5vp
"""


def test_limit_held_breached_and_margin(ruleset: Make, today: object) -> None:
    held = evaluate(ruleset(LIMIT), today, overrides={"vix": 20.0})
    report = next(r for r in held.rules if r.name == "vix_cap").limit
    assert report is not None and (report.value, report.bound, report.margin, report.state) == (
        20.0,
        30.0,
        10.0,
        "held",
    )
    assert held.states["e"] == "fires"
    breached = evaluate(ruleset(LIMIT), today, overrides={"vix": 33.0})
    assert breached.states["vix_cap"] == "breached" and breached.states["e"] == "holds"


SIZED = """
entry by_risk:
    when vix > 0
    open iron_condor dte 45d delta 16delta wings 25pt
    size risk 1% of capital
entry by_count:
    when vix > 0
    open iron_condor dte 45d delta 16delta wings 25pt
    size contracts 3
"""


def test_sizing_by_risk_and_by_contracts(ruleset: Make, today: object) -> None:
    decision = evaluate(ruleset(SIZED), today)
    by_risk = next(a for a in decision.actions if a.rule == "by_risk")
    by_count = next(a for a in decision.actions if a.rule == "by_count")
    assert by_count.contracts == 3
    one_loss = by_count.figures["max_loss"] / 3  # type: ignore[operator]
    assert by_risk.contracts == int(
        10_000 // one_loss
    )  # 1% of 1,000,000$ over one condor's max loss
    assert len(by_risk.legs) == 4 and sorted(leg.quantity for leg in by_risk.legs) == sorted(
        [by_risk.contracts, -by_risk.contracts, -by_risk.contracts, by_risk.contracts]
    )
    strikes = sorted(leg.strike for leg in by_risk.legs)  # type: ignore[type-var]
    assert strikes[1] - strikes[0] == 25.0 and strikes[3] - strikes[2] == 25.0


def test_same_inputs_give_byte_identical_json(ruleset: Make, today: object) -> None:
    rules = ruleset(SIZED)
    first, second = evaluate(rules, today).to_json(), evaluate(rules, today).to_json()
    assert first == second
    decision = evaluate(rules, today)
    assert (
        len(decision.provenance.ruleset_hash) == 64 and len(decision.provenance.snapshot_hash) == 64
    )


def test_a_param_counting_days_takes_whole_overrides_only(ruleset: Make, today: object) -> None:
    rules = ruleset("param buf = 1d in 0d .. 10d\nentry e: block within buf of fomc\n")
    assert evaluate(rules, today, params={"buf": "7d"}).states["e"] == "blocked"
    with pytest.raises(ParamError, match=r"buf = 1\.5d must be a whole number"):
        evaluate(rules, today, params={"buf": "1.5d"})


def test_a_clause_over_lines_reads_without_its_comments(ruleset: Make, today: object) -> None:
    rules = ruleset('entry e:\n    when vix > 100  # far "#" away\n        and vvix > 0  # E9\n')
    [outcome] = evaluate(rules, today).rules
    assert outcome.summary == "holds: when vix > 100 and vvix > 0 is false"
    assert outcome.clauses[0].reason is not None
    assert outcome.clauses[0].reason.text == "vix > 100 and vvix > 0"


def test_a_day_count_outside_the_calendar_names_the_calendar(
    ruleset: Make, real_history: History
) -> None:
    decision = evaluate(
        ruleset("entry e: when days_to(fomc) > 3\n"), real_history.snapshot("1975-06-02")
    )
    assert decision.states["e"] == "unknown"
    [missing] = decision.missing
    assert missing.name == "calendar fomc" and missing.rules == ["e"]
    assert missing.reason == "the event calendar has no fomc dates around 1975-06-02"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("15", "share = 15 has no unit but share is a percent: write 15% or 0.15%"),
        ("1.2", "multiple = 1.2 has no unit but multiple is a ratio (x): write 1.2x"),
        ("500", "budget = 500 has no unit but budget is a number in $: write 500$"),
    ],
)
def test_a_bare_override_is_refused_where_the_checker_refuses_one(
    ruleset: Make, setting: str, message: str
) -> None:
    from alvh_rules.eval.params import resolve_params

    rules = ruleset(
        "param share = 50% in 1% .. 90%\nparam multiple = 1x in 0.5x .. 1.5x\n"
        "param budget = 1000$ in 1$ .. 5000$\n"
        "entry e:\n    when vix > 30 and share * multiple > 10% and budget > 100$\n"
    )
    name = message.split(" = ")[0]
    with pytest.raises(ParamError, match=re.escape(message)):
        resolve_params(rules, {name: setting})
    assert resolve_params(rules, {"share": "15%", "multiple": "1.2x", "budget": "500$"}) == {
        "share": pytest.approx(0.15),
        "multiple": 1.2,
        "budget": 500.0,
    }
