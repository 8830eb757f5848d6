"""One rule's proposals over many days as arrays (`RuleDays`): why each day has no figures,
the batch positions and sizing of the days that have them, the per-day fallbacks, and the
stack of a proposal on the held portfolio per day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alvh_rules.eval import market_days as md
from alvh_rules.eval import positions as pos
from alvh_rules.eval import sizing as sz
from alvh_rules.eval.logic import FloatArray
from alvh_rules.eval.sizing import cap_text
from alvh_rules.greeks.conventions import annualised_return

IntArray = md.IntArray
npt_bool = md.BoolArray

# Why a day has no figures (RuleDays.kind); BUILT: it has them.
BUILT, OPENS_NOTHING, ARG_UNKNOWN, UNVALUED, PER_DAY, NO_FUTURE, NO_VIX_INPUTS, SIZING = range(8)
_NO_VIX_INPUTS = (
    "valuing VIX options needs the VX futures curve and the VIX option smile "
    "(the front VX future, its expiry or VVIX is unknown)"
)


@dataclass
class RuleDays:
    """One rule's proposals on `days` (frame indices), as arrays: `kind` per day, the
    batch positions of one structure on the days that reach pricing (`batch_row`), the
    contracts and sizing case of each, and per-day `fallback` proposals where the
    per-day path must speak (an option chain, inputs the Greeks core would refuse)."""

    rule: str
    days: IntArray
    from_end: IntArray  # days counted back from the frame's last (the same on its last rows)
    dates: Any  # datetime64 per day
    kind: IntArray
    detail: IntArray  # ARG_UNKNOWN: which argument; UNVALUED: which field (1-based)
    arg_names: list[str] = field(default_factory=list)
    batch: Any = None
    batch_row: IntArray | None = None
    count: FloatArray | None = None
    case: IntArray | None = None
    amount: FloatArray | None = None
    # `size ... within LIMIT`: per day, the contracts before the cap and the limit that cut
    # them (an index into `cap_names`; -1 where no limit cut the count)
    uncapped: FloatArray | None = None
    capped_by: IntArray | None = None
    cap_names: list[str] = field(default_factory=list)
    # `size ... costing at most AMOUNT`: per day the amount, and the count it cut the sizing
    # to (NaN where it did not cut; -1 where the amount or one structure's debit is unknown)
    cost_limit: FloatArray | None = None
    cost_cut: FloatArray | None = None
    fallback: dict[int, pos.Proposal] = field(default_factory=dict)
    _figures: dict[str, FloatArray] = field(default_factory=dict)

    def figure(self, name: str) -> FloatArray:
        """`name` per day, NaN where the day has a reason (the per-day `figures`)."""
        cached = self._figures.get(name)
        if cached is not None:
            return cached
        out = np.full(self.days.shape, math.nan)
        built = np.flatnonzero(self.kind == BUILT)
        if built.size and self.batch is not None and self.batch_row is not None:
            batch_rows = self.batch_row[built]
            if name == "vol_breakeven":
                source = self.batch.vol_breakeven()
            else:
                source = self.batch.figures.get(name, np.full(self.batch.days.shape, math.nan))
            values = source[batch_rows]
            if name in sz.ADDITIVE_FIGURES and self.count is not None:
                values = values * np.maximum(self.count[built], 0.0)
            out[built] = values
        for row, proposal in self._fallback_rows():
            out[row] = math.nan if proposal.reason else proposal.figures.get(name, math.nan)
        self._figures[name] = out
        return out

    def has_reason(self) -> npt_bool:
        reason: npt_bool = (self.kind != BUILT) & (self.kind != PER_DAY)
        for row, proposal in self._fallback_rows():
            reason[row] = bool(proposal.reason)
        return reason

    def _fallback_rows(self) -> list[tuple[int, pos.Proposal]]:
        if not self.fallback:
            return []
        rows = np.flatnonzero(self.kind == PER_DAY)
        return [(int(r), self.fallback[int(self.days[r])]) for r in rows]

    def proposal(self, row: int) -> pos.Proposal:
        """The per-day `Proposal` of one day, its position built from the batch's legs."""
        kind = int(self.kind[row])
        if kind == PER_DAY:
            return self.fallback[int(self.days[row])]
        if kind not in (BUILT, SIZING):
            return pos.Proposal(reason=self.reason(row))
        assert self.batch is not None and self.batch_row is not None
        assert self.count is not None and self.case is not None and self.amount is not None
        brow = int(self.batch_row[row])
        every = self.batch.all_figures()
        one = pos.catalogue_figures({name: float(column[brow]) for name, column in every.items()})
        count, case = int(self.count[row]), int(self.case[row])
        sizing = sz.sizing_text(case, count, float(self.amount[row]), one)
        if self.cost_cut is not None and self.cost_limit is not None:
            cut = float(self.cost_cut[row])
            if not math.isnan(cut):
                sizing = sz.cost_text(sizing, float(self.cost_limit[row]), int(cut))
        cap = int(self.capped_by[row]) if self.capped_by is not None else -1
        if cap >= 0:
            sizing = cap_text(sizing, self.cap_names[cap], count)
        if count <= 0:
            reason = sizing if case in sz.UNKNOWN_SIZING or count < 0 else ""
            return pos.Proposal(
                contracts=0, sizing=sizing, figures=pos.scale(one, 0), reason=reason
            )
        position = self.batch.position(brow, count, self._today(row), self.rule)
        return pos.Proposal(
            position=position, contracts=count, sizing=sizing, figures=pos.scale(one, count)
        )

    def reason(self, row: int) -> str:
        kind, detail, today = int(self.kind[row]), int(self.detail[row]), self._today(row)
        if kind == OPENS_NOTHING:
            return f"{self.rule} opens nothing"
        if kind == ARG_UNKNOWN:
            return f"{self.rule}'s `{self.arg_names[detail]}` is unknown on {today}"
        if kind == UNVALUED:
            name = md.CONTEXT_FIELDS[detail - 1]
            return f"{name} is unknown on {today}, so positions cannot be valued"
        if kind == PER_DAY:
            return self.fallback[int(self.days[row])].reason
        if kind == SIZING:
            return self.proposal(row).reason
        problem = "the VIX future for that expiry is unknown" if kind == NO_FUTURE else ""
        return f"{self.rule} cannot be built on {today}: {problem or _NO_VIX_INPUTS}"

    def _today(self, row: int) -> Any:
        return self.dates[row].astype("datetime64[D]").item()  # a DatetimeIndex costs ~20 us


def stack_days(chunk: RuleDays, name: str, held_figures: Any) -> FloatArray:
    """`sizing.stack_figures(...)[name]` for every day: the portfolio (its last value)
    with the proposed position added."""
    portfolio = {k: float(np.asarray(v).reshape(-1)[-1]) for k, v in held_figures.portfolio.items()}
    held = [
        {f: float(np.asarray(x).reshape(-1)[-1]) for f, x in figures.items()}
        for figures in held_figures.held.values()
    ]
    if name in ("max_profit", "max_loss", "irr", "expected_profit", "expected_irr"):
        loss = _summed(chunk, held, "max_loss")
        expected = name.startswith("expected")
        profit = _summed(chunk, held, "expected_profit" if expected else "max_profit")
        if name in ("max_profit", "max_loss", "expected_profit"):
            return loss if name == "max_loss" else profit
        irr: FloatArray = annualised_return(profit, loss, chunk.figure("dte"))
        return irr
    # days_held: the proposal's 0, the stack's youngest (sizing.stack_figures)
    if name in ("dte", "days_held", "breakeven_low", "breakeven_high", "vol_breakeven"):
        return chunk.figure(name)
    return portfolio.get(name, 0.0) + chunk.figure(name)


def _summed(chunk: RuleDays, held: list[dict[str, float]], name: str) -> FloatArray:
    """The held positions' figure plus the proposal's, per day (an unknown or unbounded
    one anywhere makes the sum so, as in `sizing.stack_figures`)."""
    values = np.asarray([f.get(name, math.nan) for f in held], dtype=np.float64)
    held_total = float(np.sum(values)) if values.size else 0.0
    summed: FloatArray = held_total + chunk.figure(name)
    return summed
