"""VIX legs in decisions: priced on the VX curve, the extrapolation beyond F2 named in the
action, and the day's market model in the provenance."""

from __future__ import annotations

import math
from collections.abc import Callable

from alvh_rules.check import Ruleset
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History

HEDGE = """
entry hedge:
    when vix > 0vp
    open long vix_call dte {dte} strike atm + 5
"""


def _action(ruleset: Callable[[str], Ruleset], history: History, dte: str):  # type: ignore[no-untyped-def]
    snapshot = history.snapshot(history.index[-1].date(), capital=1e6, risk_budget=1e5)
    decision = evaluate(ruleset(HEDGE.format(dte=dte)), snapshot)
    (action,) = decision.actions
    return action, decision


def test_a_vix_call_beyond_f2_says_it_is_priced_on_the_extrapolation(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    # The demo's last day: F1 expires in 12 days, F2 in 40.
    action, decision = _action(ruleset, demo_history, "90d")
    # the listed VIX expiry nearest 90 days (2024-11-20, 103 days out)
    assert action.legs and action.legs[0].expiry == "2024-11-20"
    assert action.note.startswith("modelled: the VIX leg expiring in 103d")
    assert "extrapolated beyond F2 (F2 expires in 40d)" in action.note
    assert any(n.startswith("VX curve: F1 ") for n in decision.provenance.market_model)


def test_a_vix_call_inside_the_curve_has_no_note(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    action, decision = _action(ruleset, demo_history, "30d")
    assert action.legs and action.note == ""
    assert decision.provenance.market_model[0].startswith("SPX surface (modelled): SSVI")


def test_a_day_without_vvix_leaves_the_vix_call_unbuilt_with_the_reason(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    snapshot = demo_history.snapshot(demo_history.index[-1].date(), capital=1e6)
    decision = evaluate(ruleset(HEDGE.format(dte="30d")), snapshot, overrides={"vvix": math.nan})
    (action,) = decision.actions
    assert not action.legs
    assert "needs the VX futures curve and the VIX option smile" in action.note
    assert "VIX options: none (VVIX is unknown)" in decision.provenance.market_model


def test_a_held_vix_leg_on_a_day_without_vvix_is_held_with_unknown_figures(
    ruleset: Callable[[str], Ruleset], real_history: History
) -> None:
    """2005-06-01: the VX curve exists, VVIX does not yet (2006): the held VIX spread cannot
    be valued, so what reads it is unknown with the reason; evaluate does not fail."""
    import datetime as dt

    from alvh_rules.greeks.legs import Leg, Portfolio, Position

    day = dt.date(2005, 6, 1)
    legs = [
        Leg(
            instrument="VIX",
            right="c",
            strike=strike,
            expiry=dt.date(2005, 7, 20),
            quantity=qty,
            entry_price=price,
            opened_by="hedge",
        )
        for strike, qty, price in ((15.0, 1, 1.0), (20.0, -1, 0.3))
    ]
    portfolio = Portfolio(
        capital=1e6, risk_budget=1e5, positions=[Position(name="hedge", legs=legs)]
    )
    rules = ruleset(
        "entry hedge:\n    when vix > 0vp\n    open long vix_call dte 30d strike atm + 5\n"
        "entry watch: when held(hedge) and hedge.value > 0$\n"
    )
    decision = evaluate(rules, real_history.snapshot(day, portfolio=portfolio))
    assert decision.states["watch"] == "unknown"
    assert any("hedge" in m.name for m in decision.missing)
