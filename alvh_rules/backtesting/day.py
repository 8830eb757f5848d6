"""One day's book-keeping: cash flows by rule, the day's P&L and its attribution by rule and
by Greek, and the daily table's row.

P&L by rule: the change of the marked value of the rule's positions plus their cash flows
(premiums, closings, settlements) less their fees; interest goes to CASH_RULE. By Greek: the
previous close's dollar delta, gamma, vega and theta times the day's SPX move, half its
square, the VIX move (vega is per SPX vol point; VIX points stand in for it) and the calendar
days; interest and fees are their own columns; the residual is the rest (new positions, higher
orders, the modelled smile), so each day's columns sum to its P&L exactly.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from alvh_rules.backtesting.actions import Change
from alvh_rules.backtesting.book import GREEKS, Holding

if TYPE_CHECKING:
    from alvh_rules.backtesting.records import SimulationState
    from alvh_rules.backtesting.settle import Settled

CASH_RULE = "cash interest"
GREEK_COLUMNS = ("interest", "fees", "delta", "gamma", "vega", "theta", "residual")


@dataclass
class DayBook:
    index: int
    today: dt.date
    previous: DayBook | None
    rate: float = math.nan
    interest: float = 0.0
    tbill_return: float = 0.0  # what 1 $ of cash earned since the last close
    flows: dict[str, float] = field(default_factory=dict)
    fees: dict[str, float] = field(default_factory=dict)
    substitutes: int = 0
    # at the close, after the actions
    values: dict[str, float] = field(default_factory=dict)
    greeks: dict[str, float] = field(default_factory=dict)
    equity: float = 0.0
    peak: float = 0.0
    spx: float = math.nan
    vix: float = math.nan

    @classmethod
    def start(
        cls, index: int, today: dt.date, previous: DayBook | None, holdings: list[Holding]
    ) -> DayBook:
        return cls(index, today, previous)

    def absorb_settlement(self, settled: Settled) -> None:
        for rule, cash in settled.flows.items():
            self.flows[rule] = self.flows.get(rule, 0.0) + cash
        self.substitutes += settled.substitutes

    def absorb_change(self, change: Change) -> None:
        for rule, cash in change.flows.items():
            self.flows[rule] = self.flows.get(rule, 0.0) + cash
        for rule, fees in change.fees_by_rule.items():
            self.fees[rule] = self.fees.get(rule, 0.0) + fees

    def finish(self, sim: SimulationState, ctx: Any) -> None:
        from alvh_rules.backtesting.margin import margin_used

        holdings = sim.holdings
        for holding in holdings:
            self.values[holding.rule] = self.values.get(holding.rule, 0.0) + holding.mark.value
        self.greeks = {g: sum(getattr(h.mark, g) for h in holdings) for g in GREEKS}
        marked = sum(h.mark.value for h in holdings)
        self.equity = sim.cash + marked
        previous_equity = self.previous.equity if self.previous else sim.settings.capital
        self.peak = max(self.previous.peak if self.previous else previous_equity, self.equity)
        self.spx = float(sim.columns["spx"][self.index])
        self.vix = float(sim.columns["vix"][self.index])
        pnl = self.equity - previous_equity
        records = sim.records
        records.by_rule.append(self._by_rule(records.rules))
        records.by_greek.append(self._by_greek(pnl))
        margin = margin_used(holdings, ctx)
        row: dict[str, Any] = {
            "date": self.today.isoformat(),
            "spx": self.spx,
            "vix": self.vix,
            "cash": sim.cash,
            "marked_value": marked,
            "equity": self.equity,
            "pnl": pnl,
            "drawdown": self.equity / self.peak - 1.0 if self.peak > 0 else math.nan,
            "margin_used": margin,
            **self.greeks,
            "positions": len(holdings),
            "carried": sum(h.carried for h in holdings),
            "interest": self.interest,
            "tbill_return": self.tbill_return,
            "fees": sum(self.fees.values()),
            "settlement_substitutes": self.substitutes,
        }
        for rule in records.rules:
            row[f"value {rule}"] = self.values.get(rule, 0.0)
        records.daily.append(row)
        records.marks.extend(
            {
                "date": self.today.isoformat(),
                "position": h.name,
                "rule": h.rule,
                "value": h.mark.value,
                "carried": h.carried,
            }
            for h in holdings
        )

    def _by_rule(self, every: list[str]) -> dict[str, float]:
        """P&L by rule: every opening rule of the ruleset has its column, traded or not."""
        before = self.previous.values if self.previous else {}
        rules = sorted({*every, *before, *self.values, *self.flows, *self.fees})
        row = {"date": self.today.isoformat()}  # type: dict[str, Any]
        for rule in rules:
            row[rule] = (
                self.values.get(rule, 0.0)
                - before.get(rule, 0.0)
                + self.flows.get(rule, 0.0)
                - self.fees.get(rule, 0.0)
            )
        row[CASH_RULE] = self.interest
        return row

    def _by_greek(self, pnl: float) -> dict[str, Any]:
        row: dict[str, Any] = {"date": self.today.isoformat(), "pnl": pnl}
        row["interest"] = self.interest
        row["fees"] = -sum(self.fees.values())
        previous = self.previous
        move = vol_move = days = 0.0
        greeks = dict.fromkeys(GREEKS, 0.0)
        if previous is not None:
            greeks = previous.greeks
            move = _finite(self.spx - previous.spx)
            vol_move = _finite(self.vix - previous.vix)
            days = float((self.today - previous.today).days)
        row["delta"] = greeks["delta"] * move
        row["gamma"] = 0.5 * greeks["gamma"] * move * move
        row["vega"] = greeks["vega"] * vol_move
        row["theta"] = greeks["theta"] * days
        explained = sum(row[c] for c in GREEK_COLUMNS[:-1])
        row["residual"] = pnl - explained
        return row


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0
