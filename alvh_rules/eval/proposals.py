"""What each entry and layer would open on a day, built lazily: only for the days asked
(the last day of a snapshot; every day of a replay that reads `position` or `stack`), all
days of a rule in one batch of the Greeks core, with the reason when a day cannot be built.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from alvh_rules.eval import market_days as md
from alvh_rules.eval import positions as pos
from alvh_rules.eval import sizing as sz
from alvh_rules.eval.logic import FloatArray
from alvh_rules.eval.rule_days import (
    ARG_UNKNOWN,
    BUILT,
    NO_FUTURE,
    NO_VIX_INPUTS,
    OPENS_NOTHING,
    PER_DAY,
    SIZING,
    UNVALUED,
    RuleDays,
    stack_days,
)
from alvh_rules.eval.run import PositionRef, Run
from alvh_rules.eval.sizing import cap_text, contracts_within
from alvh_rules.lang.diagnostics import error_in_one_line

if TYPE_CHECKING:
    from alvh_rules.eval.plan import Plan, RulePlan

IntArray = md.IntArray
npt_bool = md.BoolArray


@dataclass
class Proposals:
    """The frame's `context`: proposed positions per rule over the asked days, on demand."""

    plan: Plan
    days: list[int]
    chain: Any = None
    cache: dict[str, RuleDays] = field(default_factory=dict)
    _building: set[str] = field(default_factory=set)
    # a backtest's `session_prices.SessionPrices`: structures priced once over the history
    priced: Any = None

    def figure(self, run: Run, ref: PositionRef, name: str) -> np.ndarray:
        out = run.full(np.nan)
        if not self.days:
            return out
        if ref.rule in self._building:  # a sizing amount that reads the position it sizes
            reason = f"{ref.rule}'s size depends on its own position"
            run.frame.positions.missing_reason[f"proposed:{ref.rule}"] = reason
            return out
        chunk = self._rule_days(run, ref.rule)
        values = chunk.figure(name)
        if ref.kind == "stack":
            values = stack_days(chunk, name, run.frame.positions)
        out[run.frame.length - chunk.from_end] = values
        reasons = np.flatnonzero(chunk.has_reason())
        if reasons.size:
            last = reasons[-1]  # days are kept in the asked order: the last one wins
            run.frame.positions.missing_reason[f"proposed:{ref.rule}"] = chunk.reason(int(last))
        return out

    def proposal(self, run: Run, rule: str, index: int) -> pos.Proposal:
        if rule in self._building:
            return pos.Proposal(reason=f"{rule}'s size depends on its own position")
        chunk = self._rule_days(run, rule, extra=index)
        row = int(np.flatnonzero(chunk.from_end == run.frame.length - index)[0])
        return chunk.proposal(row)

    def _rule_days(self, run: Run, rule: str, extra: int | None = None) -> RuleDays:
        cached = self.cache.get(rule)
        wanted = self.days if extra is None or extra in self.days else [*self.days, extra]
        back = run.frame.length - np.asarray(wanted, dtype=np.intp)
        if cached is not None and (
            np.array_equal(back, cached.from_end)  # the usual case, without isin's sort
            or np.isin(back, cached.from_end).all()
        ):
            return cached
        self._building.add(rule)
        try:
            chunk = self._batch(run, self._rule(rule), np.asarray(wanted, dtype=np.intp))
        finally:
            self._building.discard(rule)
        self.cache[rule] = chunk
        return chunk

    def _rule(self, name: str) -> RulePlan:
        return next(p for p in self.plan.rules if p.name == name)

    def _batch(self, run: Run, rule: RulePlan, days: IntArray) -> RuleDays:
        """Every asked day of `rule` at once: reasons, then one batch, then the sizing."""
        frame = run.frame
        n = days.size
        codes = day_codes(n), day_codes(n)
        chunk = RuleDays(rule.name, days, frame.length - days, frame.dates.values[days], *codes)
        spec = rule.open_spec
        if spec is None:
            chunk.kind[:] = OPENS_NOTHING
            return chunk
        if self.chain is not None:  # chain quotes and listed strikes: the per-day path
            return self._per_day(run, rule, chunk, np.ones(n, dtype=bool))
        args = {str(a.name): np.asarray(c(run), dtype=np.float64)[days] for a, c in rule.open_args}
        chunk.arg_names = list(args)
        for position, value in reversed(list(enumerate(args.values()))):
            unknown = ~np.isfinite(value)
            chunk.kind[unknown], chunk.detail[unknown] = ARG_UNKNOWN, position
        if not (chunk.kind == BUILT).any():
            return chunk
        values = md.days_values(frame.columns, days)
        for name, given in frame.overrides.items():
            if name in values:
                values[name] = np.full(n, float(given))
        beta = np.full(n, pos.DEFAULT_VIX_BETA)
        if rule.size is not None and rule.size[2] is not None:
            beta = np.asarray(rule.size[2](run), dtype=np.float64)[days]
        unvalued = md.unvalued_field(values)
        open_days = chunk.kind == BUILT
        chunk.kind[open_days & (unvalued > 0)] = UNVALUED
        chunk.detail[open_days & (unvalued > 0)] = unvalued[open_days & (unvalued > 0)]
        refused = (chunk.kind == BUILT) & md.context_refused(values, beta)
        live = np.flatnonzero((chunk.kind == BUILT) & ~refused)
        if live.size:
            request = pos.OpenRequest(
                rule.name, spec.structure.name, spec.side, {}, pos.listing_of(spec)
            )
            price = price_days if self.priced is None else self.priced.price
            refused |= price(chunk, request, args, live, values, beta, run.frame.smile)
        if refused.any():
            self._per_day(run, rule, chunk, refused)
        self._size(run, rule, chunk, args)
        return chunk

    def _size(self, run: Run, rule: RulePlan, chunk: RuleDays, args: dict[str, Any]) -> None:
        """Contracts of the priced days (a sizing that cannot be known is a reason)."""
        rows = np.flatnonzero(chunk.kind == BUILT)
        chunk.count, chunk.case = np.zeros(chunk.days.size), day_codes(chunk.days.size)
        chunk.amount = np.full(chunk.days.size, math.nan)
        if not rows.size or chunk.batch is None or chunk.batch_row is None:
            return
        batch_rows = chunk.batch_row[rows]
        one = {
            name: chunk.batch.figures[name][batch_rows] for name in ("max_loss", "vega", "credit")
        }
        if rule.size is None:
            mode = None
            amount = args.get("contracts", np.ones(chunk.days.size))[rows]
        else:
            mode = rule.size[0].mode
            amount = np.asarray(rule.size[1](run), dtype=np.float64)[chunk.days][rows]
        count, case = sz.size_days(mode, amount, one)
        if rule.size_cost is not None:
            limit = self._cost_limit(run, rule, chunk.days[rows])
            cut = sz.cost_cut(count, limit, one["credit"])
            chunk.cost_limit = np.full(chunk.days.size, math.nan)
            chunk.cost_cut = np.full(chunk.days.size, math.nan)
            chunk.cost_limit[rows] = limit
            chunk.cost_cut[rows] = np.where(cut != count, cut, math.nan)
            count = cut
        if rule.size is not None and rule.size[0].within:
            figures = chunk.batch.figures
            uncapped = count
            count, capped_by = self._cap(
                run, rule, chunk.days[rows], count, lambda name: figures[name][batch_rows]
            )
            chunk.uncapped = np.full(chunk.days.size, math.nan)
            chunk.capped_by = np.full(chunk.days.size, -1, dtype=np.intp)
            chunk.uncapped[rows], chunk.capped_by[rows] = uncapped, capped_by
            chunk.cap_names = [name.name for name in rule.size[0].within]
        chunk.count[rows], chunk.case[rows], chunk.amount[rows] = count, case, amount
        unknown = ((count <= 0) & np.isin(case, sz.UNKNOWN_SIZING)) | (count < 0)
        chunk.kind[rows[unknown]] = SIZING

    @staticmethod
    def _cost_limit(run: Run, rule: RulePlan, days: IntArray) -> FloatArray:
        """`costing at most AMOUNT`: the amount on `days`."""
        assert rule.size_cost is not None
        every = np.asarray(rule.size_cost(run), dtype=np.float64)
        limit: FloatArray = np.broadcast_to(every, (run.frame.length,))[days]
        return limit

    def _cap(
        self,
        run: Run,
        rule: RulePlan,
        days: IntArray,
        count: FloatArray,
        one: Callable[[str], FloatArray],
    ) -> tuple[FloatArray, IntArray]:
        """`size ... within LIMIT, ...`: the count cut to what keeps each limit held once the
        position is added (-1 where a limit's room is unknown); which limit cut it, per day."""
        assert rule.size is not None
        capped_by = np.full(days.size, -1, dtype=np.intp)
        for position, name in enumerate(rule.size[0].within):
            field_name, op = self.plan.size_caps[name.name]
            margin = np.broadcast_to(
                np.asarray(
                    self.plan.compiler.limit_bounds[name.name + ".margin"](run), dtype=np.float64
                ),
                (run.frame.length,),
            )[days]
            room = contracts_within(margin, one(field_name), op)
            tighter = ((room < count) | np.isnan(room)) & (count >= 0)  # -1: unknown already
            count = np.where(tighter, np.where(np.isnan(room), -1.0, room), count)
            capped_by[tighter] = position
        return count, capped_by

    def _per_day(self, run: Run, rule: RulePlan, chunk: RuleDays, rows: Any) -> RuleDays:
        """The per-day path for the days `rows` (a mask) the batch leaves to it."""
        chunk.kind[rows] = PER_DAY
        for index in chunk.days[rows]:
            chunk.fallback[int(index)] = self._build_one(run, rule, int(index))
        return chunk

    def _build_one(self, run: Run, rule: RulePlan, index: int) -> pos.Proposal:
        spec = rule.open_spec
        assert spec is not None
        frame = run.frame
        today = frame.day(index)
        args: dict[str, float] = {
            str(arg.name): float(compiled(run)[index]) for arg, compiled in rule.open_args
        }
        unknown = [name for name, value in args.items() if not math.isfinite(value)]
        if unknown:
            return pos.Proposal(reason=f"{rule.name}'s `{unknown[0]}` is unknown on {today}")
        values = pos.day_values(frame.columns, index)
        values.update(frame.overrides)
        beta = pos.DEFAULT_VIX_BETA
        if rule.size is not None and rule.size[2] is not None:
            beta = float(rule.size[2](run)[index])
        ctx = pos.valuation_context(values, today, self.chain, beta, frame.smile)
        if isinstance(ctx, str):
            return pos.Proposal(reason=ctx)
        request = pos.OpenRequest(
            rule.name, spec.structure.name, spec.side, args, pos.listing_of(spec)
        )
        request.written = written_args(spec, self.plan.ruleset.sources)
        try:
            one = pos.figures_of(pos.build_position(request, ctx, today, values, 1), ctx)
            count, sizing = self._contracts(run, rule, index, args, one)
            if count <= 0:
                return pos.Proposal(
                    contracts=0,
                    sizing=sizing,
                    figures=pos.scale(one, 0),
                    reason="" if "unknown" not in sizing else sizing,
                )
            position = pos.build_position(request, ctx, today, values, count)
            figures = pos.figures_of(position, ctx)
        except (ValueError, ArithmeticError) as error:
            why = error_in_one_line(error)
            return pos.Proposal(reason=f"{rule.name} cannot be built on {today}: {why}")
        return pos.Proposal(position=position, contracts=count, sizing=sizing, figures=figures)

    def _contracts(
        self, run: Run, rule: RulePlan, index: int, args: dict[str, float], one: dict[str, float]
    ) -> tuple[int, str]:
        if rule.size is None:
            count = int(args.get("contracts", 1))
            return count, f"{count} contract{'s' if count != 1 else ''} (no size clause)"
        clause, amount, _ = rule.size
        count, sizing = sz.size_contracts(clause.mode, float(amount(run)[index]), one)
        if rule.size_cost is not None and count > 0:
            limit = self._cost_limit(run, rule, np.asarray([index], dtype=np.intp))
            credit = np.asarray([one.get("credit", math.nan)])
            cut = int(sz.cost_cut(np.asarray([float(count)]), limit, credit)[0])
            if cut != count:
                count, sizing = cut, sz.cost_text(sizing, float(limit[0]), cut)
        if not clause.within or count <= 0:
            return count, sizing
        days = np.asarray([index], dtype=np.intp)
        capped, by = self._cap(
            run, rule, days, np.asarray([float(count)]), lambda name: np.asarray([one[name]])
        )
        if by[0] < 0:
            return count, sizing
        return int(capped[0]), cap_text(sizing, clause.within[int(by[0])].name, int(capped[0]))


def written_args(spec: Any, sources: dict[str, str]) -> dict[str, str]:
    """The source text of an `open` clause's arguments that are not a number literal (a
    let, a param, an expression): what a day's note names when the value cannot build."""
    from alvh_rules.syntax import ast
    from alvh_rules.syntax.source_text import span_text

    written = {}
    for arg in spec.args:
        value = arg.value.operand if isinstance(arg.value, ast.Unary) else arg.value
        text = span_text(sources.get(arg.value.span.file, ""), arg.value.span)
        if not isinstance(value, ast.Number) and text:
            written[str(arg.name)] = text
    return written


def day_codes(n: int) -> IntArray:
    return np.zeros(n, dtype=np.intp)


def price_days(
    chunk: RuleDays,
    request: pos.OpenRequest,
    args: dict[str, FloatArray],
    live: IntArray,
    values: dict[str, FloatArray],
    beta: FloatArray,
    smile: Any,
) -> npt_bool:
    """Price the structure on the days `live` in one batch; mark the days the Greeks core
    cannot value (with the per-day reasons) and return those the per-day path must build."""
    from alvh_rules.greeks.batch import build_structures

    n = chunk.days.size
    some = {name: value[live] for name, value in values.items()}
    markets = md.markets_for_days(some, beta[live], smile)
    terms = pos.terms_for_days(
        request, {k: v[live] for k, v in args.items()}, some, chunk.dates[live]
    )
    refused = np.zeros(n, dtype=bool)
    # No listed expiry near the dte: the per-day path says so in words.
    refused[live[~np.isfinite(terms.days)]] = True
    try:
        batch = build_structures(request.structure, markets, terms)
    except ValueError:  # a structure the batch does not know: the per-day path says why
        refused[live] = True
        return refused
    chunk.batch, chunk.batch_row = batch, np.full(n, -1, dtype=np.intp)
    chunk.batch_row[live] = np.arange(live.size)
    refused[live[~batch.buildable | ~np.isfinite(terms.days)]] = True
    if request.structure == "vix_future":
        missing = ~np.isfinite(terms.future_entry) & np.isfinite(terms.days)
        chunk.kind[live[missing]] = NO_FUTURE
        refused[live[missing]] = False
    elif request.structure in ("vix_call", "vix_call_spread"):
        missing = ~np.isfinite(markets.future(terms.days)) | ~np.isfinite(markets.vix_theta_30d)
        missing &= batch.buildable
        chunk.kind[live[missing]] = NO_VIX_INPUTS
    return refused
