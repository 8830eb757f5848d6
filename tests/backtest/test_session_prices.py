"""A backtest prices each entry and layer once over the history (eval/session_prices.py): a
day's row of that batch is what pricing the day alone gives, bit for bit, and a day whose
inputs differ from those priced is priced alone."""

from __future__ import annotations

import numpy as np
import pytest
from backtest_support import fixture_ruleset

from alvh_rules.eval import positions as pos
from alvh_rules.eval.day_market import DEFAULT_VIX_BETA
from alvh_rules.eval.market_days import days_values
from alvh_rules.eval.proposals import day_codes, price_days
from alvh_rules.eval.rule_days import RuleDays
from alvh_rules.eval.session import EvaluationSession
from alvh_rules.eval.session_prices import SessionPrices
from alvh_rules.greeks.ssvi import SPX_SHAPE
from alvh_rules.market import History

DAYS = ("2020-01-02", "2020-02-03", "2020-03-16", "2020-06-30")


def _day_inputs(
    session: EvaluationSession, rule: str, index: int
) -> tuple[RuleDays, pos.OpenRequest, dict[str, np.ndarray], np.ndarray, dict[str, np.ndarray]]:
    """What `Proposals._batch` hands `price_days` for `rule` on row `index` alone."""
    plan = next(p for p in session.plan.rules if p.name == rule)
    run = session.prices.run
    days = np.array([index], dtype=np.intp)
    args = {str(a.name): np.asarray(c(run), dtype=np.float64)[days] for a, c in plan.open_args}
    values = days_values(run.frame.columns, days)
    beta = np.full(1, DEFAULT_VIX_BETA)
    if plan.size is not None and plan.size[2] is not None:  # the hedge's `beta 0.8`
        beta = np.asarray(plan.size[2](run), dtype=np.float64)[days]
    spec = plan.open_spec
    assert spec is not None
    request = pos.OpenRequest(rule, spec.structure.name, spec.side, {}, pos.listing_of(spec))
    length = run.frame.length
    codes = day_codes(1), day_codes(1)
    chunk = RuleDays(rule, days, length - days, run.frame.dates.values[days], *codes)
    return chunk, request, args, beta, values


@pytest.mark.parametrize("rule", ["condor", "hedge"])
def test_a_days_row_of_the_history_batch_is_the_day_priced_alone(
    real_history: History, rule: str
) -> None:
    session = EvaluationSession(fixture_ruleset("layered"), real_history)
    prices = SessionPrices(session.plan, session.prices.run)
    live = np.array([0], dtype=np.intp)
    for day in DAYS:
        index = session.index_of(day)
        shared, request, args, beta, values = _day_inputs(session, rule, index)
        alone = _day_inputs(session, rule, index)[0]
        refused = prices.price(shared, request, args, live, values, beta, SPX_SHAPE)
        by_itself = price_days(alone, request, args, live, values, beta, SPX_SHAPE)
        assert np.array_equal(refused, by_itself)
        assert shared.batch.days.size > 1  # the row came from the history's batch
        assert alone.batch is not None and shared.batch_row is not None
        row = int(shared.batch_row[0])
        figures = shared.batch.all_figures()
        for name, column in alone.batch.all_figures().items():
            assert np.array_equal(column[0], figures[name][row], equal_nan=True), (day, name)
        assert np.array_equal(alone.batch.strikes[0], shared.batch.strikes[row], equal_nan=True)


def test_a_day_whose_inputs_differ_is_priced_alone(real_history: History) -> None:
    session = EvaluationSession(fixture_ruleset("layered"), real_history)
    prices = SessionPrices(session.plan, session.prices.run)
    index = session.index_of(DAYS[0])
    live = np.array([0], dtype=np.intp)
    chunk, request, args, beta, values = _day_inputs(session, "condor", index)
    # prices the history from DAYS[0]
    prices.price(chunk, request, args, live, values, beta, SPX_SHAPE)
    moved = {**values, "spx": values["spx"] + 1.0}
    for changed in ({"values": moved}, {"args": {k: v * 2 for k, v in args.items()}}):
        chunk = _day_inputs(session, "condor", index)[0]
        asked = {"args": args, "values": values, **changed}
        prices.price(chunk, request, asked["args"], live, asked["values"], beta, SPX_SHAPE)
        assert chunk.batch is not None and chunk.batch.days.size == 1
    earlier = _day_inputs(session, "condor", index - 1)
    prices.price(earlier[0], request, earlier[2], live, earlier[4], earlier[3], SPX_SHAPE)
    assert earlier[0].batch is not None and earlier[0].batch.days.size == 1


def test_the_session_leaves_unsolved_only_figures_no_rule_names() -> None:
    from pathlib import Path

    from alvh_rules.check import load
    from alvh_rules.eval.session import members_named
    from alvh_rules.greeks.figures import SKIPPABLE

    layered = members_named(fixture_ruleset("layered"))
    assert {"dte", "max_profit", "profit", "vega"} <= layered
    assert not layered & SKIPPABLE
    # the flagship reads its break-evens, projected payoff and expected IRR in imported
    # modules, never the vol break-even or the expected profit (which the IRR still needs)
    flagship = load(Path(__file__).resolve().parents[2] / "rulesets/alvh_vega_layering_roa.alvh")
    assert SKIPPABLE - members_named(flagship) == {"vol_breakeven", "expected_profit"}
