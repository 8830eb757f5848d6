"""Checking the structure of each rule: which clauses its kind allows, its target, what it
opens and how it sizes it; returns the bars of history each rule needs per series.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alvh_rules.check import open_ranges
from alvh_rules.check import types as T
from alvh_rules.check.bare_numbers import refuse_two_readings
from alvh_rules.check.clause_kinds import check_clause_kinds
from alvh_rules.check.constant_values import constant_values
from alvh_rules.check.dead_conditions import check_condition_reads_the_day, check_limit_at_flat
from alvh_rules.check.own_position import check_own_position
from alvh_rules.check.resize import check_resize
from alvh_rules.check.results import Needs, Result, Where, merge
from alvh_rules.check.size_caps import READS_POSITIONS, capped_sum
from alvh_rules.check.symbols import did_you_mean
from alvh_rules.lang import builtins
from alvh_rules.lang.diagnostics import Span
from alvh_rules.lang.units import parse_unit
from alvh_rules.syntax import ast
from alvh_rules.syntax.walk import walk

if TYPE_CHECKING:
    from alvh_rules.check.context import CheckContext

# The largest constant an order may name: no account trades a million contracts at once.
# `dte` needs no entry: past the last listed expiry it is refused (MAX_LISTED_DTE).
CONSTANT_LIMITS: dict[str, float] = {"contracts": 1_000_000}


class RuleChecker:
    def __init__(self, program: CheckContext) -> None:
        self.program = program
        self.expressions = program.expressions
        self._regimes_checked = False

    def check(self, rule: ast.Rule) -> Needs:
        if rule.rule_kind == "regime" and not self._regimes_checked:
            self._check_regime_order()
            self._regimes_checked = True
        if rule.target is not None:
            self._check_target(rule)
        if rule.rule_kind in ("entry", "layer"):
            check_own_position(self.program, rule)
        where = Where(rule.rule_kind, rule.name.name)
        check_clause_kinds(self.program, rule)
        needs: list[Needs] = []
        for clause in rule.clauses:
            needs.append(self._check_clause(rule, clause, where))
        return merge(*needs)

    def _check_clause(self, rule: ast.Rule, clause: ast.RuleClause, where: Where) -> Needs:
        if isinstance(clause, ast.Clause):
            if clause.condition is None:
                return {}
            what = "a limit" if clause.keyword == "condition" else f"the `{clause.keyword}` clause"
            result = self.expressions.expect_bool(clause.condition, where, what)
            if not result.type.is_error:
                check_condition_reads_the_day(self.program, clause)
                if clause.keyword == "condition":
                    check_limit_at_flat(self.program, clause)
            if clause.keyword == "condition" and not isinstance(clause.condition, ast.Compare):
                self.program.report(
                    "ALVH402",
                    clause.span,
                    "a limit compares a value with its bound, as in portfolio.vega >= -180$/vp",
                )
            return result.needs
        if isinstance(clause, ast.OpenClause):
            return self.check_open(clause.spec, where)
        if isinstance(clause, ast.SizeClause):
            return self._check_size(clause, where)
        check_resize(self.program, rule, clause)
        return self._check_roll_action(clause, where)

    # ---- regimes and targets -------------------------------------------------------------

    def _check_regime_order(self) -> None:
        regimes = [r for r in self.program.rules() if r.rule_kind == "regime"]
        otherwise = [r for r in regimes if _is_otherwise(r)]
        if len(otherwise) > 1:
            for rule in otherwise[1:]:
                self.program.report(
                    "ALVH401",
                    rule.span,
                    "only one regime may be `otherwise`",
                    f"'{otherwise[0].name.name}' is already the fallback",
                )
        elif otherwise and regimes[-1] is not otherwise[0]:
            self.program.report(
                "ALVH401",
                otherwise[0].span,
                "the `otherwise` regime must be the last regime",
                "regimes are tried in order; a fallback before others would hide them",
            )
        elif not otherwise:
            # Without a fallback, a day on which every condition is false has no regime:
            # `regime` is unknown, and so is every rule that reads it.
            self.program.report(
                "ALVH405",
                regimes[-1].span,
                "no regime is `otherwise`: on a day no regime's condition holds, the regime "
                "is unknown, and so is every rule that reads it",
                f"end with a fallback, as in `regime other: otherwise` after "
                f"'{regimes[-1].name.name}'",
                warning=True,
            )

    def _check_target(self, rule: ast.Rule) -> None:
        assert rule.target is not None
        seen: set[str] = set()
        for name in rule.candidates or [rule.target]:
            if name.name in seen:
                self.program.report(
                    "ALVH110", name.span, f"'{name.name}' is listed twice in shortest(...)"
                )
            seen.add(name.name)
            self._check_position(rule, name)

    def _check_position(self, rule: ast.Rule, name: ast.Identifier) -> None:
        target = self.program.symbols.get(name.name)
        if target is None or target.kind not in ("entry", "layer"):
            positions = [
                s.name for s in self.program.symbols.values() if s.kind in ("entry", "layer")
            ]
            what = "unknown" if target is None else f"a {target.kind}, not a position"
            self.program.report(
                "ALVH110",
                name.span,
                f"'{name.name}' is {what}: a {rule.rule_kind} acts on an entry or a layer",
                did_you_mean(name.name, positions),
            )
            return
        if target.name == rule.name.name:
            self.program.report("ALVH110", name.span, f"'{rule.name.name}' cannot act on itself")
            return
        target.uses.append(name.span)

    # ---- actions -------------------------------------------------------------------------

    def _check_listing(self, structure: builtins.Structure, spec: ast.OpenSpec) -> None:
        weekly = spec.expiry is not None and spec.expiry.listing == "weekly"
        if weekly and spec.expiry is not None and structure.underlying != "SPX":
            self.program.report(
                "ALVH213",
                spec.expiry.span,
                f"{structure.name} has monthly expiries only; drop `expiry weekly`",
                "VIX options and VX futures are listed monthly",
            )

    def _structure_of(self, spec: ast.OpenSpec) -> builtins.Structure | None:
        """The structure `open` names (None, reported, when unknown); a side it cannot take
        is reported."""
        structure = builtins.STRUCTURES.get(spec.structure.name)
        if structure is None:
            self.program.report(
                "ALVH213",
                spec.structure.span,
                f"unknown structure '{spec.structure.name}'",
                did_you_mean(spec.structure.name, builtins.STRUCTURES)
                or f"known: {', '.join(builtins.STRUCTURES)}",
            )
            return None
        if spec.side is not None and not structure.takes_side:
            self.program.report(
                "ALVH213",
                spec.span,
                f"{structure.name} has a fixed side; drop `{spec.side}`",
                structure.description,
            )
        return structure

    def check_open(self, spec: ast.OpenSpec, where: Where) -> Needs:
        structure = self._structure_of(spec)
        if structure is None:
            return {}
        inside = Where(where.rule_kind, where.rule_name, structure.underlying)
        needs: list[Needs] = []
        given: set[str] = set()
        constants: dict[str, tuple[list[float], Span]] = {}
        percent: set[str] = set()
        for arg in spec.args:
            if arg.name not in structure.args:
                self.program.report(
                    "ALVH213",
                    arg.span,
                    f"{structure.name} takes no `{arg.name}`",
                    f"it takes: {', '.join(structure.args)}",
                )
                continue
            if arg.name in given:
                self.program.report("ALVH213", arg.span, f"`{arg.name}` is given twice")
            given.add(arg.name)
            unit_name = (
                builtins.OPEN_ARG_UNITS.get(arg.name)
                or builtins.UNDERLYING_PRICE_UNIT[structure.underlying]
            )
            result = self.expressions.check(arg.value, inside)
            if open_ranges.share_of_spot(arg.name, result.type.unit):
                unit_name = "%"  # `wings 5%`: a share of the day's SPX
                percent.add(arg.name)
            hint = open_ranges.SHARE_HINTS.get(arg.name, "")
            two = arg.name in open_ranges.SHARES_OF_SPOT  # `wings 25`: 25pt or 25% of SPX?
            if not (two and refuse_two_readings(self.expressions, result, arg.value, arg.name)):
                self._expect_unit(result, arg.value, unit_name, f"`{arg.name}`", hint=hint)
            self._expect_at_most(result, arg.value.span, arg.name)
            if arg.name == "dte":
                open_ranges.check_listed_dte(self.program, structure, arg, result.const)
            wanted = T.number(parse_unit(unit_name))
            if result.type.kind == "number" and T.same_unit(result.type, wanted):
                values = constant_values(self.program, arg.value, result.const)
                constants[arg.name] = (values, arg.value.span)
            needs.append(result.needs)
        open_ranges.check_open_constants(
            self.program,
            structure.name,
            structure.underlying,
            constants,
            percent=frozenset(percent),
        )
        self._check_listing(structure, spec)
        self._check_required(structure, spec, given)
        return merge(*needs)

    def _check_required(
        self, structure: builtins.Structure, spec: ast.OpenSpec, given: set[str]
    ) -> None:
        """Every required argument given, and exactly one of each group of alternatives."""
        missing = [name for name in structure.required if name not in given]
        for group in structure.one_of:
            chosen = [name for name in group if name in given]
            if len(chosen) > 1:
                self.program.report(
                    "ALVH213",
                    spec.span,
                    f"{structure.name} takes one of {' or '.join(f'`{g}`' for g in group)}",
                    structure.description,
                )
            elif not chosen:
                missing.append("` or `".join(group))
        if missing:
            self.program.report(
                "ALVH213",
                spec.span,
                f"{structure.name} needs {', '.join('`' + m + '`' for m in missing)}",
                structure.description,
            )

    def _check_size(self, clause: ast.SizeClause, where: Where) -> Needs:
        amount = self.expressions.check(clause.amount, where)
        share = amount.type.unit is not None and amount.type.unit.percent
        self._expect_unit(
            amount,
            clause.amount,
            builtins.SIZE_MODE_UNITS[clause.mode],
            f"`size {clause.mode}`",
            # `size risk 1%`: a share of what? (the seeds write "risk 1%" for 1% of capital)
            hint=builtins.SIZE_SHARE_HINTS.get(clause.mode, "") if share else "",
        )
        if clause.mode == "contracts":
            self._expect_at_most(amount, clause.amount.span, "contracts")
            plain = T.same_unit(amount.type, T.number(parse_unit("1")))
            if amount.const is not None and amount.type.kind == "number" and plain:
                open_ranges.check_size_contracts(self.program, amount.const, clause.amount.span)
        needs = [amount.needs]
        if clause.beta is not None:
            if clause.mode != "vega":
                self.program.report(
                    "ALVH213", clause.beta.span, "`beta` only applies to `size vega`"
                )
            beta = self.expressions.check(clause.beta, where)
            self._expect_unit(beta, clause.beta, "1", "`beta`")
            needs.append(beta.needs)
        if clause.costing is not None:
            cost = self.expressions.check(clause.costing, where)
            self._expect_unit(cost, clause.costing, "$", "`costing at most`")
            needs.append(cost.needs)
        seen: set[str] = set()
        for name in clause.within:
            if name.name in seen:
                self.program.report("ALVH213", name.span, f"'{name.name}' is listed twice")
            seen.add(name.name)
            self._check_size_cap(name)
        return merge(*needs)

    def _check_size_cap(self, name: ast.Identifier) -> None:
        """`size ... within LIMIT`: a limit that compares a portfolio sum with a bound that
        does not read the portfolio, so the count that keeps it held follows from one
        contract's figure (the bound today, minus the portfolio's value, over that figure)."""
        target = self.program.symbols.get(name.name)
        if target is None or target.kind != "limit":
            limits = [s.name for s in self.program.symbols.values() if s.kind == "limit"]
            what = "unknown" if target is None else f"a {target.kind}, not a limit"
            self.program.report(
                "ALVH213",
                name.span,
                f"`within` names '{name.name}', which is {what}",
                did_you_mean(name.name, limits) or "`within` takes the names of limits",
            )
            return
        target.uses.append(name.span)
        if capped_sum(target.node, self._reads_positions) is None:
            self.program.report(
                "ALVH213",
                name.span,
                f"`within {name.name}` needs a limit of the form `portfolio.FIELD >= BOUND`"
                " (or <=, >, <) whose bound does not read the portfolio",
                "a sizing cap is solved from one contract's figure; write other limits as"
                " `require` clauses",
            )

    def _reads_positions(self, node: Any, seen: frozenset[str] = frozenset()) -> bool:
        """Whether a name is a position (an entry or layer) or a let that reads one."""
        if not isinstance(node, ast.Name) or node.name in seen:
            return False
        symbol = self.program.symbols.get(node.name)
        if symbol is None:
            return False
        if symbol.kind in ("entry", "layer"):
            return True
        if symbol.kind != "let":
            return False
        inner = seen | {node.name}
        return any(
            (isinstance(n, ast.Name) and n.name in READS_POSITIONS)
            or self._reads_positions(n, inner)
            for n in walk(symbol.node.value)
        )

    def _check_roll_action(self, action: ast.RollAction, where: Where) -> Needs:
        if action.amount is None:
            return {}
        amount = self.expressions.check(action.amount, where)
        self._expect_unit(amount, action.amount, "d", "`roll forward`", code="ALVH214")
        if amount.const is not None and not amount.type.is_error:
            open_ranges.check_roll_forward(self.program, amount.const, action.amount.span)
        return amount.needs

    def _expect_at_most(self, result: Result, span: Span, what: str) -> None:
        """A constant past CONSTANT_LIMITS is a typo, not an order (and 1e300 contracts would
        overflow the sizing arithmetic)."""
        limit = CONSTANT_LIMITS.get(what)
        if limit is None or result.const is None or abs(result.const) <= limit:
            return
        self.program.report(
            "ALVH213", span, f"`{what}` is {result.const:g}: at most {limit:,} is allowed"
        )

    def _expect_unit(
        self,
        result: Result,
        expr: Any,
        unit_name: str,
        what: str,
        code: str = "ALVH213",
        hint: str = "",
    ) -> None:
        span: Span = expr.span
        if result.type.is_error:
            return
        wanted = parse_unit(unit_name)
        if self.expressions.refuse_bare([(result, expr)], wanted):
            return
        if result.type.kind != "number" or not T.same_unit(result.type, T.number(wanted)):
            self.program.report(
                code,
                span,
                f"{what} takes {T.number(wanted).describe()}, not {result.type.describe()}",
                hint,
            )


def _is_otherwise(rule: ast.Rule) -> bool:
    return any(isinstance(c, ast.Clause) and c.keyword == "otherwise" for c in rule.clauses)
