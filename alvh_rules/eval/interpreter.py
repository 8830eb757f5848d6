"""`evaluate(ruleset, snapshot, params=None) -> Decision`: every rule's state on the
snapshot's day, its reasons, the actions of the rules that fire, and what was missing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from alvh_rules import __version__
from alvh_rules.check.ruleset import Ruleset, load
from alvh_rules.eval import inputs, market_model
from alvh_rules.eval import positions as pos
from alvh_rules.eval.decision import Decision, Missing, Provenance, RuleOutcome
from alvh_rules.eval.explain import Explainer, MarketFacts
from alvh_rules.eval.frame import Frame, PositionFigures, frame_from_snapshot
from alvh_rules.eval.last_day import (
    last_day_suffices,
    last_values,
    one_row,
    run_on_last_day,
)
from alvh_rules.eval.outcomes import rule_outcome
from alvh_rules.eval.params import resolve_params
from alvh_rules.eval.plan import Plan, PlanRun, Rerun
from alvh_rules.eval.proposals import Proposals
from alvh_rules.greeks.legs import Portfolio, Position
from alvh_rules.greeks.ssvi import SurfaceShape
from alvh_rules.lang.catalog import PORTFOLIO_SUMS
from alvh_rules.market.snapshot import account_in_force
from alvh_rules.syntax.trusted import construct

if TYPE_CHECKING:
    from alvh_rules.greeks.chain import OptionChain
    from alvh_rules.market.snapshot import MarketSnapshot


class Account(Protocol):
    """What `held_positions` reads: a MarketSnapshot, or a session's Holdings."""

    @property
    def portfolio(self) -> Portfolio | None: ...
    @property
    def capital(self) -> float | None: ...
    @property
    def risk_budget(self) -> float | None: ...
    @property
    def chain(self) -> OptionChain | None: ...


_PLANS: dict[int, Plan] = {}


def plan_for(ruleset: Ruleset) -> Plan:
    """The ruleset's compiled plan, once per loaded ruleset (a reload makes a new one)."""
    plan = _PLANS.get(id(ruleset))
    if plan is None or plan.ruleset is not ruleset:
        plan = Plan(ruleset)
        _PLANS.clear()  # keep one: a long session reloading rulesets must not grow without bound
        _PLANS[id(ruleset)] = plan
    return plan


def as_ruleset(ruleset: Ruleset | str | Path) -> Ruleset:
    return ruleset if isinstance(ruleset, Ruleset) else load(ruleset)


def evaluate(
    ruleset: Ruleset | str | Path,
    snapshot: MarketSnapshot,
    params: Mapping[str, float | str] | None = None,
    *,
    overrides: Mapping[str, float] | None = None,
    explain: bool = True,
    smile: SurfaceShape | None = None,
) -> Decision:
    """Evaluate every rule on the snapshot's day. `params` overrides params within their
    bounds; `overrides` replaces today's value of market fields or lets (ruleset tests);
    `explain=False` keeps whole reason trees only for the clauses that are unknown. The
    trees are built when first read (see explain.py). `smile` prices with another SPX smile
    shape than the snapshot's (a copy of it: hot loops build the snapshot with the smile)."""
    inputs.check_arguments(ruleset, snapshot)  # wrong inputs raise, naming them
    if smile is not None and smile != snapshot.smile:
        snapshot = snapshot.model_copy(update={"smile": smile})
    checked = as_ruleset(ruleset)
    inputs.check_overrides(checked, overrides)
    plan = plan_for(checked)
    prepared = _prepared(snapshot)
    frame = _frame(checked, prepared, params, overrides)
    # Market-only values and proposed positions are kept per snapshot, plan and params:
    # repeated evaluations recompute only what the overrides change.
    key = (id(plan), tuple(sorted(frame.params.items())))
    proposals = Proposals(plan, days=[frame.length - 1], chain=snapshot.chain)
    if not frame.overrides:
        proposals.cache = prepared.proposals.setdefault(key, {})
    frame.context = proposals
    result, rerun = _run(plan, frame, prepared, key)
    return decide(
        checked,
        result,
        frame.length - 1,
        prepared.digest,
        explain=explain,
        rerun=rerun,
        market_facts=_market_facts(prepared, key, frame),
    )


def _frame(
    checked: Ruleset,
    prepared: _Prepared,
    params: Mapping[str, float | str] | None,
    overrides: Mapping[str, float] | None,
) -> Frame:
    """The snapshot's frame with this evaluation's params, overrides and positions."""
    frame = dataclasses.replace(prepared.frame, params=resolve_params(checked, params))
    frame.overrides = dict(overrides or {})
    frame.positions = prepared.positions
    account = {k: v for k, v in frame.overrides.items() if k in ("capital", "risk_budget")}
    if account:  # `given capital = ...` in a ruleset test
        frame.positions = dataclasses.replace(
            prepared.positions, portfolio={**prepared.positions.portfolio, **account}
        )
    return frame


def _run(plan: Plan, frame: Frame, prepared: _Prepared, key: _Key) -> tuple[PlanRun, Rerun]:
    """The plan run on the frame, and how to run it again on a changed frame (an action's
    sizing): on the last day alone, seeded with the kept market-only values, when that
    gives the same values; the first run without overrides keeps its market-only values."""
    known = prepared.market_values.get(key) if not frame.overrides else None
    rerun: Rerun = plan.run
    if known is not None and last_day_suffices(plan):
        seeded, last = known, prepared.last_known.get(key)
        if last is None:
            last = prepared.last_known[key] = last_values(known, frame.length)
        if prepared.last_day is None:
            prepared.last_day = one_row(prepared.frame, prepared.frame.length - 1)
        day_row = prepared.last_day

        def on_last_day(changed: Frame, *, limits_only: bool = False) -> PlanRun:
            return run_on_last_day(plan, changed, seeded, last, day_row, limits_only=limits_only)

        rerun = on_last_day
        result = rerun(frame)
    else:
        result = plan.run(frame, known)
    if not frame.overrides and known is None:
        prepared.market_values = {
            key: {k: v for k, v in result.run.memo.items() if k in plan.market_only}
        }
        prepared.last_known.clear()
        prepared.market_facts = {}
    return result, rerun


def _market_facts(prepared: _Prepared, key: _Key, frame: Frame) -> MarketFacts:
    """What the reasons of market-only nodes read, kept like their values (and only then)."""
    market_facts = prepared.market_facts.get(key) if not frame.overrides else None
    if market_facts is None:
        market_facts = MarketFacts()
        if not frame.overrides:
            prepared.market_facts[key] = market_facts
    return market_facts


# What a snapshot's kept values are keyed by: the plan and the params' values.
_Key = tuple[int, tuple[tuple[str, float], ...]]


@dataclasses.dataclass
class _Prepared:
    """What depends on the snapshot alone: its columns, calendar gaps, held positions, hash."""

    snapshot: MarketSnapshot
    frame: Frame
    positions: PositionFigures
    digest: str
    market_values: dict[_Key, dict[int, Any]] = dataclasses.field(default_factory=dict)
    proposals: dict[_Key, dict[Any, Any]] = dataclasses.field(default_factory=dict)
    last_day: Frame | None = None  # the frame's last row alone (see last_day.py)
    last_known: dict[_Key, dict[int, Any]] = dataclasses.field(default_factory=dict)
    market_facts: dict[_Key, MarketFacts] = dataclasses.field(default_factory=dict)


_PREPARED: list[_Prepared] = []
_PREPARED_KEEP = 4  # snapshots are immutable: reuse their frames for repeated evaluations


def _prepared(snapshot: MarketSnapshot) -> _Prepared:
    for entry in _PREPARED:
        if entry.snapshot is snapshot:
            return entry
    inputs.check_snapshot(snapshot)
    frame = frame_from_snapshot(snapshot, {})
    entry = _Prepared(snapshot, frame, held_positions(snapshot, frame), snapshot_hash(snapshot))
    _PREPARED.insert(0, entry)
    del _PREPARED[_PREPARED_KEEP:]
    return entry


def held_positions(snapshot: Account, frame: Frame, context: Any = None) -> PositionFigures:
    """Figures of the snapshot's portfolio (or an evaluation session's), grouped by the rule
    that opened each position; `context` is the day's valuation context when the caller has
    built it already (an evaluation session builds it once a day), else it is built here."""
    figures = PositionFigures()
    portfolio = snapshot.portfolio
    capital, risk_budget = account_in_force(snapshot.capital, snapshot.risk_budget, portfolio)
    figures.portfolio = {"capital": _or_nan(capital), "risk_budget": _or_nan(risk_budget)}
    if capital is None:
        figures.missing_reason["capital"] = "the snapshot gives no account capital"
    if portfolio is None or not portfolio.positions:
        figures.portfolio.update(dict.fromkeys(PORTFOLIO_SUMS, 0.0))
        return figures
    groups: dict[str, list[Position]] = {}
    for position in portfolio.positions:
        opened_by = position.legs[0].opened_by or position.name
        groups.setdefault(opened_by, []).append(position)
    index = frame.length - 1
    today = frame.day(index)
    ctx = context
    if ctx is None:
        values = pos.day_values(frame.columns, index)
        chain = getattr(snapshot, "chain", None)
        ctx = pos.valuation_context(values, today, chain, shape=frame.smile)
    if isinstance(ctx, str):  # the positions are held, but their figures are unknown today
        figures.missing_reason["portfolio"] = ctx
        for rule in groups:
            figures.held[rule] = {}
            figures.missing_reason[rule] = ctx
        return figures
    from alvh_rules.greeks.figures import group_fields, portfolio_fields

    account = {
        "capital": figures.portfolio["capital"],
        "risk_budget": figures.portfolio["risk_budget"],
    }
    # A leg the day cannot value (a VIX option without the VX curve or VVIX) leaves the
    # figures that need it unknown, with the context's reason: the position is still held.
    try:
        figures.portfolio.update(pos.catalogue_figures(portfolio_fields(portfolio, ctx)))
    except ValueError as error:
        figures.portfolio.update(dict.fromkeys(PORTFOLIO_SUMS, float("nan")))
        figures.missing_reason["portfolio"] = str(error)
    figures.portfolio.update(account)  # the snapshot's capital wins over the portfolio's
    pos.prepare_held_figures([m[0] for m in groups.values() if len(m) == 1], ctx)
    for rule, members in groups.items():
        try:
            values = (
                pos.held_figures(members[0], ctx)
                if len(members) == 1
                else pos.catalogue_figures(group_fields(members, ctx))
            )
        except ValueError as error:
            values = {}
            figures.missing_reason[rule] = f"{rule} cannot be valued on {today}: {error}"
        figures.held[rule] = dict(values)
    figures.note_undated({"portfolio": list(portfolio.positions), **groups})
    return figures


def decide(
    ruleset: Ruleset,
    result: PlanRun,
    index: int,
    snapshot_digest: str,
    *,
    explain: bool = True,
    rerun: Rerun | None = None,
    market_facts: MarketFacts | None = None,
    acting_only: bool = False,
) -> Decision:
    """The decision on day `index`; `rerun` runs the plan again on a changed frame (the
    limits after the proposed actions), by default over the frame's whole history;
    `market_facts` are those of an earlier decision on the same frame, day and params.

    `acting_only`: the outcomes of the rules that fire and of the limits alone, with no
    missing values and no limits after the actions (all that a backtest keeping no
    decision reads: the actions, their rules' reasons, the limits' margins). Each outcome
    is the one the whole decision has: `rule_outcome` reads no other rule's outcome."""
    explainer = Explainer(
        ruleset, result, index, full=explain, market=market_facts or MarketFacts()
    )
    states = result.state_names(index)
    plans = [
        plan
        for plan in result.plan.rules
        if not acting_only or plan.kind == "limit" or states[plan.name] == "fires"
    ]
    outcomes = [rule_outcome(plan, result, index, explainer) for plan in plans]
    regime_value = float(result.regime[index])
    regime = None if math.isnan(regime_value) else result.plan.regime_names[int(regime_value)]
    # a resize whose count cannot be known turns its firing roll unknown (outcomes._resize)
    states.update((o.name, o.state) for o in outcomes if o.state != states[o.name])
    missing = [] if acting_only else _missing(outcomes, explainer)
    if not acting_only:
        outcomes = limits_after_actions(result, index, outcomes, rerun or result.plan.run)
    params = dict(sorted(result.run.frame.params.items()))
    # The parts are typed by construction: pydantic's validation would re-check each.
    return construct(
        Decision,
        as_of=str(explainer.facts.day),
        regime=regime,
        states=states,
        actions=[action for outcome in outcomes for action in outcome.actions],
        rules=outcomes,
        missing=missing,
        provenance=construct(
            Provenance,
            ruleset=ruleset.title,
            ruleset_hash=result.plan.ruleset_hash,
            snapshot_hash=snapshot_digest,
            package_version=__version__,
            params=params,
            market_model=_market_model(result, index) if explain else [],
        ),
    )


def _missing(outcomes: list[RuleOutcome], explainer: Explainer) -> list[Missing]:
    """The values the day lacks, each with the rules it can have affected: those it left
    unknown, blocked or unsized."""
    unsized = {a.rule for o in outcomes for a in o.actions if a.kind == "open" and not a.legs}
    undecided = {o.name for o in outcomes if o.state in ("unknown", "blocked") or o.name in unsized}
    return [
        construct(
            Missing,
            name=name,
            reason=reason,
            rules=sorted(undecided.intersection(explainer.affected.get(name, ()))),
        )
        for name, reason in sorted(explainer.missing.items())
    ]


def _market_model(result: PlanRun, index: int) -> list[str]:
    frame = result.run.frame
    return market_model.market_model_notes(market_model.frame_values(frame, index), frame.smile)


def limits_after_actions(
    result: PlanRun, index: int, outcomes: list[RuleOutcome], rerun: Rerun
) -> list[RuleOutcome]:
    """Each limit's state and margin with the positions the firing rules would open added
    to the portfolio (the same plan, run again on the changed portfolio figures)."""
    opened = [a for o in outcomes for a in o.actions if a.kind == "open" and a.legs]
    if not opened or not any(o.limit is not None for o in outcomes):
        return outcomes
    frame = result.run.frame
    portfolio = dict(frame.positions.portfolio)
    for name in PORTFOLIO_SUMS:
        added = sum(float(a.figures.get(name) or 0.0) for a in opened)
        portfolio[name] = np.asarray(portfolio.get(name, 0.0), dtype=np.float64) + added
    positions = dataclasses.replace(frame.positions, portfolio=portfolio)
    after = rerun(dataclasses.replace(frame, positions=positions), limits_only=True)
    updated = []
    for outcome in outcomes:
        if outcome.limit is not None:
            state = after.state_names(index)[outcome.name]
            margin = float(
                result.plan.compiler.limit_bounds[outcome.name + ".margin"](after.run)[index]
            )
            report = outcome.limit.model_copy(
                update={
                    "after_actions": state,
                    "margin_after_actions": None if math.isnan(margin) else round(margin, 6),
                }
            )
            outcome = outcome.model_copy(update={"limit": report})
        updated.append(outcome)
    return updated


def snapshot_hash(snapshot: MarketSnapshot) -> str:
    """SHA-256 of everything the snapshot holds: array bytes directly (fast), the rest as JSON."""
    digest = hashlib.sha256()
    digest.update(str(snapshot.as_of).encode())
    digest.update(np.ascontiguousarray(snapshot.dates).astype("datetime64[D]").tobytes())
    for name in sorted(snapshot.series_values):
        digest.update(name.encode())
        digest.update(
            np.ascontiguousarray(snapshot.series_values[name], dtype=np.float64).tobytes()
        )
    extras = snapshot.model_dump(mode="json", exclude={"as_of", "dates", "series_values"})
    digest.update(json.dumps(extras, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _or_nan(value: float | None) -> float:
    return float(value) if value is not None else float(np.nan)


__all__ = ["decide", "evaluate", "held_positions", "last_day_suffices", "plan_for"]
