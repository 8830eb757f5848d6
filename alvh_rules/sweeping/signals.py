"""A stand-in runner for sweeps while a build has no backtest: the replay of one point
(signals only, no positions) summarised as the share of days each rule fires. A real
computation of the params and the history, used by the tests and the benchmark to drive the
Dask machinery; its figures are signal counts, never returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from alvh_rules.check.ruleset import Ruleset
from alvh_rules.eval.replay import REGIME_COLUMN, replay
from alvh_rules.market.history import History
from alvh_rules.sweeping.points import Settings

UNKNOWN_SHARE = "unknown_share"


def signal_shares(
    ruleset: Ruleset,
    history: History,
    params: Mapping[str, float],
    start: dt.date | None,
    end: dt.date | None,
    settings: Settings,
) -> dict[str, float]:
    """`fires_<rule>`: the share of the period's trading days on which the rule fires;
    `unknown_share`: the share of days with some rule unknown; `days`: the period's days."""
    timeline = replay(
        ruleset,
        history,
        start,
        end,
        params,
        capital=settings.capital,
        risk_budget=settings.risk_budget,
    )
    rules = [column for column in timeline.columns if column != REGIME_COLUMN]
    days = len(timeline)
    if days == 0:
        raise ValueError(f"no trading day between {start} and {end}")
    shares = {f"fires_{rule}": float((timeline[rule] == "fires").mean()) for rule in rules}
    shares[UNKNOWN_SHARE] = float((timeline[rules] == "unknown").any(axis=1).mean())
    shares["days"] = float(days)
    return shares
