"""Turning one rule's values on one day into its outcome: the state, each clause with what
it did to the rule, a one-line summary, the limit's margin, and the actions to take.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import partial
from typing import Any

import numpy as np

from alvh_rules.eval import market_model
from alvh_rules.eval.decision import Action, ClauseOutcome, Leg, LimitReport, RuleOutcome
from alvh_rules.eval.explain import Explainer
from alvh_rules.eval.logic import state_name
from alvh_rules.eval.plan import STATES, PlanRun, RulePlan, acting_on
from alvh_rules.eval.reason_children import MAX_DEPTH
from alvh_rules.eval.resize import Resize, resized
from alvh_rules.lang.units import format_unit
from alvh_rules.syntax.trusted import construct

EFFECTS = {
    ("require", "true"): "requirement met",
    ("require", "false"): "requirement not met: the rule holds",
    ("require", "unknown"): "requirement unknown: not taken",
    ("when", "true"): "trigger met",
    ("when", "false"): "trigger not met: the rule holds",
    ("when", "unknown"): "trigger unknown: not taken",
    ("unless", "true"): "exception applies: the rule holds",
    ("unless", "false"): "exception does not apply",
    ("unless", "unknown"): "exception unknown: not taken",
    ("block", "true"): "block applies: the rule is blocked",
    ("block", "false"): "block does not apply",
    ("block", "unknown"): "block unknown: an unknown block blocks",
    ("condition", "true"): "limit held",
    ("condition", "false"): "limit breached",
    ("condition", "unknown"): "limit unknown",
}


def rule_outcome(plan: RulePlan, result: PlanRun, index: int, explainer: Explainer) -> RuleOutcome:
    state = STATES[int(result.states[plan.name][index])]
    explainer.current_rule = plan.name
    clauses = []
    for clause, compiled in plan.conditions:
        condition = clause.condition
        assert condition is not None  # plan.conditions holds only clauses with a condition
        value = result.run.value_on(id(condition), index)
        if value is None:  # a clause the states did not read: computed now
            value = float(np.asarray(compiled(result.run))[index])
        outcome = state_name(value)
        keyword = "when" if plan.kind == "regime" else clause.keyword
        depth = 0 if explainer.full or outcome == "unknown" else MAX_DEPTH
        explainer.gather(condition, depth)
        clauses.append(
            ClauseOutcome.pending(
                keyword,
                outcome,
                EFFECTS.get((keyword, outcome), ""),
                partial(explainer.facts.reason, condition, depth),
            )
        )
    actions = _actions(plan, result, index) if state == "fires" else []
    resize = _resize(plan, result, index) if state == "fires" else None
    if resize is not None and resize.reason:  # a count that cannot be known: no guess
        state, actions = "unknown", []
        explainer.gather(_sized_by(result, resize.target))  # names what the amount lacked
    elif resize is not None:
        actions = [_resize_action(plan, resize)]
    if any(a.kind == "open" and not a.legs for a in actions) and plan.size is not None:
        explainer.gather(plan.size[0].amount)  # names what the sizing lacked (capital...)
        if plan.size[0].costing is not None:
            explainer.gather(plan.size[0].costing)  # ... or its cost cap (a held credit)
    limit = _limit(plan, result, index, state) if plan.kind == "limit" else None
    return construct(
        RuleOutcome,
        name=plan.name,
        kind=plan.kind,
        state=state,
        summary=(
            f"unknown: {resize.reason}"
            if resize is not None and resize.reason
            else _summary(plan, state, clauses, explainer, result)
        ),
        clauses=clauses,
        actions=actions,
        limit=limit,
    )


def _summary(
    plan: RulePlan,
    state: str,
    clauses: list[ClauseOutcome],
    explainer: Explainer,
    result: PlanRun,
) -> str:
    target = plan.rule.target
    if (
        target is not None
        and acting_on(result.run, plan.rule) not in result.run.frame.positions.held
    ):
        names = [c.name for c in plan.rule.candidates] or [target.name]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        return f"holds: no {listed} position is open"
    if plan.kind == "regime":
        return {"fires": "this is the regime", "holds": "not this regime"}.get(
            state, "the regime is unknown"
        )
    # The clause that decided the state: a false requirement for `holds` even when another
    # clause is unknown (a false one decides first), a block for `blocked`, else any.
    decisive = {
        "holds": ("holds",),
        "blocked": ("blocked", "blocks"),
        "unknown": ("not taken",),
    }.get(state, ())
    for wanted in (decisive, ("holds", "blocked", "blocks", "not taken", "breached")):
        for clause, (condition, _) in zip(clauses, plan.conditions, strict=True):
            if wanted and clause.effect.endswith(wanted) and condition.condition is not None:
                text = explainer.facts.text(condition.condition)  # the reason's text, not built
                return f"{state}: {clause.keyword} {text} is {clause.outcome}"
    return state


def _limit(plan: RulePlan, result: PlanRun, index: int, state: str) -> LimitReport:
    compiler = result.plan.compiler
    bound = float(compiler.limit_bounds[plan.name + ".bound"](result.run)[index])
    margin = float(compiler.limit_bounds[plan.name + ".margin"](result.run)[index])
    clause = plan.rule.clauses[0]
    condition: Any = getattr(clause, "condition", None)
    value_type = (
        result.plan.ruleset.program.types.get(id(condition.left)) if condition is not None else None
    )
    value = (
        float(np.asarray(result.run.memo.get(id(condition.left)))[index])
        if condition is not None
        else math.nan
    )
    unit = (
        format_unit(value_type.unit)
        if value_type is not None and value_type.unit is not None
        else ""
    )
    return LimitReport(
        value=_finite(value), bound=_finite(bound), margin=_finite(margin), unit=unit, state=state
    )


def _roll_forward_note(result: PlanRun, index: int, target: str, days: float) -> str:
    """Where `roll forward N` moves the held position: the listed expiry nearest N days
    after its nearest one (the listing its rule opens on), same strikes."""
    from alvh_rules.eval.positions import listing_of
    from alvh_rules.lang.builtins import STRUCTURES
    from alvh_rules.market.expiries import Underlying, pick_expiry

    plain = f"move the expiry {days:g} days later, same strikes"
    held = result.run.frame.positions.held.get(target, {})
    dte = np.asarray(held.get("dte", math.nan), dtype=np.float64).ravel()
    rule = next((r for r in result.plan.rules if r.name == target), None)
    spec = rule.open_spec if rule is not None else None
    if spec is None or not dte.size or not math.isfinite(dte[-1]) or not math.isfinite(days):
        return plain
    underlying: Underlying = "SPX" if STRUCTURES[spec.structure.name].underlying == "SPX" else "VIX"
    current = result.run.frame.day(index) + dt.timedelta(days=int(dte[-1]))
    later = pick_expiry(underlying, listing_of(spec), current, days)
    if later is None:
        return plain
    return (
        f"move the expiry from {current} to {later} (the listed one nearest {days:g} days "
        "later), same strikes"
    )


def _resize(plan: RulePlan, result: PlanRun, index: int) -> Resize | None:
    roll = plan.roll_action
    if roll is None or roll.action != "resize":
        return None
    return resized(result, acting_on(result.run, plan.rule), index)


def _resize_action(plan: RulePlan, resize: Resize) -> Action:
    return Action(
        rule=plan.name,
        kind="resize",
        target=resize.target,
        contracts=resize.count,
        sizing=resize.sizing,
        note=resize.note,
    )


def _sized_by(result: PlanRun, target: str) -> Any:
    """The amount of `target`'s size clause (what a resize's count reads)."""
    plan = next(p for p in result.plan.rules if p.name == target)
    return plan.size[0].amount if plan.size is not None else None


def _actions(plan: RulePlan, result: PlanRun, index: int) -> list[Action]:
    roll = plan.roll_action
    if roll is not None and roll.action == "resize":
        return []  # built by _resize, after the count is known
    if roll is not None:
        note = ""
        kind = {"forward": "roll_forward", "out": "roll_out", "close": "close"}[roll.action]
        target = acting_on(result.run, plan.rule) if plan.rule.target is not None else ""
        if roll.action == "forward" and plan.roll_amount is not None:
            days = float(plan.roll_amount(result.run)[index])
            note = _roll_forward_note(result, index, target, days)
        return [Action(rule=plan.name, kind=kind, target=target, note=note)]
    spec = plan.open_spec
    context = result.run.frame.context
    if spec is None or context is None:
        return []
    proposal = context.proposal(result.run, plan.name, index)
    if proposal.reason or proposal.position is None:
        return [
            Action(
                rule=plan.name,
                kind="open",
                structure=spec.structure.name,
                note=proposal.reason or proposal.sizing,
                sizing=proposal.sizing,
            )
        ]
    legs = [
        Leg(
            instrument=leg.instrument,
            right=leg.right,
            strike=leg.strike,
            expiry=str(leg.expiry),
            quantity=leg.quantity,
            price=round(float(leg.entry_price), 4),
        )
        for leg in proposal.position.legs
    ]
    figures = {name: _finite(value) for name, value in sorted(proposal.figures.items())}
    return [
        Action(
            rule=plan.name,
            kind="open",
            structure=spec.structure.name,
            contracts=proposal.contracts,
            sizing=proposal.sizing,
            legs=legs,
            figures=figures,
            note=market_model.vix_leg_note(result.run.frame, index, proposal.position),
        )
    ]


def _finite(value: float) -> float | None:
    return None if not math.isfinite(value) else round(float(value), 6)
