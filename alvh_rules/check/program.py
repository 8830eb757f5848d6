"""Checking a whole program: a ruleset file and its imports, sharing one namespace.

Builds the symbol table (duplicates, reserved words, shadowed market fields), checks
params, lets (no recursion), every rule and every test block, computes each rule's
history needs, and warns about unused params and lets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alvh_rules.check import types as T
from alvh_rules.check.context import CheckContext
from alvh_rules.check.expressions import ExpressionChecker
from alvh_rules.check.params import check_param
from alvh_rules.check.results import ERROR_RESULT, Needs, Result, Where, merge
from alvh_rules.check.rules import RuleChecker
from alvh_rules.check.symbols import Symbol, SymbolKind, builtin_symbols, reserved_words
from alvh_rules.check.tests_blocks import check_test_blocks
from alvh_rules.lang.diagnostics import Diagnostic, Span
from alvh_rules.syntax import ast

_IN_PROGRESS = Result(T.ERROR)


@dataclass
class CheckedProgram:
    """What the checker learned: symbols, node types, references, needs and diagnostics."""

    modules: list[ast.Ruleset]
    symbols: dict[str, Symbol]
    types: dict[int, T.Type]
    references: dict[int, Symbol]
    needs: dict[str, Needs]
    param_values: dict[str, float]
    whole_params: set[str] = field(default_factory=set)  # counts of bars or days
    node_needs: dict[int, Needs] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    # The tables keyed by id(node) are re-keyed when pickled (sweeps send a checked ruleset
    # to worker processes); see check/node_tables.py.
    _NODE_TABLES = ("types", "references", "node_needs")

    def __getstate__(self) -> dict[str, Any]:
        from alvh_rules.check.node_tables import iter_nodes, to_pairs

        nodes = {id(node): node for node in iter_nodes(self.modules)}
        state = dict(self.__dict__)
        for name in self._NODE_TABLES:
            state[name] = to_pairs(state[name], nodes)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        from alvh_rules.check.node_tables import from_pairs

        for name in self._NODE_TABLES:
            state[name] = from_pairs(state[name])
        self.__dict__.update(state)

    def rules(self, kind: str | None = None) -> list[ast.Rule]:
        return [
            item
            for module in self.modules
            for item in module.items
            if isinstance(item, ast.Rule) and (kind is None or item.rule_kind == kind)
        ]


class ProgramChecker:
    def __init__(self, modules: list[ast.Ruleset]) -> None:
        self.modules = modules
        self.diagnostics: list[Diagnostic] = []
        self.symbols: dict[str, Symbol] = builtin_symbols()
        self.declared: list[Symbol] = []
        self.let_results: dict[str, Result] = {}
        self.param_defaults: dict[str, float] = {}
        self.let_stack: list[str] = []
        self.regime_needs_cache: Needs | None = None
        self.regime_in_progress = False
        self.expressions = ExpressionChecker(
            self.symbols,
            self.diagnostics.append,
            self._resolve_value,
            self._regime_needs,
            self._limit_bound,
        )
        self.expressions.param_defaults = self.param_defaults
        self.context = CheckContext(
            modules,
            self.symbols,
            self.expressions,
            self.diagnostics,
            self.let_results,
            self.param_defaults,
        )

    def report(
        self, code: str, span: Span, message: str, hint: str = "", *, warning: bool = False
    ) -> None:
        self.context.report(code, span, message, hint, warning=warning)

    def run(self) -> CheckedProgram:
        self._declare_all()
        for symbol in self.declared:
            if symbol.kind in ("param", "let"):
                self._resolve_value(symbol, None)
        rule_checker = RuleChecker(self.context)
        needs = {rule.name.name: rule_checker.check(rule) for rule in self.context.rules()}
        for module in self.modules:
            check_test_blocks(self.context, module)
        self._warn_unused()
        self._warn_no_rules()
        return CheckedProgram(
            modules=self.modules,
            symbols=self.symbols,
            types=self.expressions.types,
            references=self.expressions.references,
            needs=needs,
            param_values=dict(self.param_defaults),
            whole_params=self.expressions.whole_params,
            node_needs=self.expressions.needs,
            diagnostics=self.diagnostics,
        )

    # ---- declarations ------------------------------------------------------------------

    def _declare_all(self) -> None:
        for module in self.modules:
            first: dict[type, Any] = {}  # a file's title and version, which it gives once
            for item in module.items:
                if isinstance(item, ast.Header | ast.Version) and type(item) in first:
                    what = "title (`ruleset`)" if isinstance(item, ast.Header) else "`version`"
                    self.report(
                        "ALVH102",
                        item.span,
                        f"the file already gives its {what} at {first[type(item)].span}",
                        "a file has one `ruleset` title and one `version`",
                    )
                first.setdefault(type(item), item)
                if isinstance(item, ast.Param):
                    self._declare(item.name, "param", item)
                elif isinstance(item, ast.Let):
                    self._declare(item.name, "let", item)
                elif isinstance(item, ast.Rule):
                    self._declare(item.name, item.rule_kind, item)

    def _declare(self, name: ast.Identifier, kind: SymbolKind, node: Any) -> None:
        if name.name in reserved_words():
            self.report(
                "ALVH106",
                name.span,
                f"'{name.name}' is a keyword and cannot name a {kind}",
                f"choose another name, such as {name.name}_{kind}",
            )
            return
        existing = self.symbols.get(name.name)
        if existing is not None:
            if existing.span is None:
                self.report(
                    "ALVH102",
                    name.span,
                    f"the {kind} '{name.name}' hides the built-in {existing.kind} of that name",
                    "choose another name",
                )
            else:
                self.report(
                    "ALVH102",
                    name.span,
                    f"'{name.name}' is already declared as {T.article(existing.kind)} "
                    f"at {existing.span}",
                    "give each declaration its own name",
                )
            return
        symbol = Symbol(
            name.name, kind, name.span, detail=_describe_declaration(kind, node), node=node
        )
        self.symbols[name.name] = symbol
        self.declared.append(symbol)

    # ---- params and lets, resolved lazily (lets may use lets declared later) -------------

    def _resolve_value(self, symbol: Symbol, use: Span | None) -> Result:
        cached = self.let_results.get(symbol.name)
        if cached is _IN_PROGRESS:
            chain = [*self.let_stack[self.let_stack.index(symbol.name) :], symbol.name]
            span = use or symbol.span
            assert span is not None
            self.report(
                "ALVH105",
                span,
                f"'{symbol.name}' refers to itself: {' -> '.join(chain)}",
                "a let cannot be defined in terms of itself; use a lookback such as x[1]",
            )
            return ERROR_RESULT
        if cached is not None:
            return cached
        self.let_results[symbol.name] = _IN_PROGRESS
        self.let_stack.append(symbol.name)
        try:
            if symbol.kind == "param":
                result = self._check_param(symbol.node)
            else:
                result = self.expressions.check(symbol.node.value, Where())
                if result.type.kind == "record":
                    self.report(
                        "ALVH203",
                        symbol.node.value.span,
                        f"{result.type.describe()} is not one value: pick a part",
                        "write macd(vix).hist, .macd or .signal",
                    )
                    result = ERROR_RESULT
        finally:
            self.let_stack.pop()
        if result.type.kind != "error" and symbol.kind == "let":
            symbol.unit = _unit_text(result.type)
        self.let_results[symbol.name] = result
        return result

    def _check_param(self, param: ast.Param) -> Result:
        result = check_param(self.context, param)
        symbol = self.symbols.get(param.name.name)
        if symbol is not None and result.type.kind == "number":
            symbol.unit = _unit_text(result.type)
        return result

    # ---- regimes and limits, referred to from expressions --------------------------------

    def _regime_needs(self, use: Span) -> Needs:
        if self.regime_in_progress:
            self.report("ALVH105", use, "a regime's condition cannot depend on the regime itself")
            return {}
        if self.regime_needs_cache is None:
            self.regime_in_progress = True
            try:
                needs: list[Needs] = []
                for rule in self.context.rules():
                    if (
                        rule.rule_kind == "regime"
                        and rule.clauses
                        and isinstance(rule.clauses[0], ast.Clause)
                    ):
                        condition = rule.clauses[0].condition
                        if condition is not None:
                            needs.append(
                                self.expressions.check(
                                    condition, Where("regime", rule.name.name)
                                ).needs
                            )
                self.regime_needs_cache = merge(*needs)
            finally:
                self.regime_in_progress = False
        if not any(s.kind == "regime" for s in self.declared):
            self.report(
                "ALVH401",
                use,
                "`regime` is used but no regime is declared",
                "declare them: regime steward: when ... / regime promoter: otherwise",
            )
        return self.regime_needs_cache

    def _limit_bound(self, symbol: Symbol, use: Span) -> Result:
        rule: ast.Rule = symbol.node
        clause = rule.clauses[0] if rule.clauses else None
        condition = clause.condition if isinstance(clause, ast.Clause) else None
        if not isinstance(condition, ast.Compare):
            return self.expressions.error(
                "ALVH402", use, f"the limit '{symbol.name}' is not a comparison, so it has no bound"
            )
        bound = self.expressions.check(condition.right, Where("limit", symbol.name))
        return Result(bound.type, bound.needs, bound.const)

    # ---- warnings ------------------------------------------------------------------------

    def _warn_unused(self) -> None:
        for symbol in self.declared:
            if symbol.kind in ("param", "let") and not symbol.uses and symbol.span is not None:
                code = "ALVH103" if symbol.kind == "param" else "ALVH104"
                self.report(
                    code,
                    symbol.span,
                    f"the {symbol.kind} '{symbol.name}' is never used",
                    "remove it, or use it in a rule",
                    warning=True,
                )

    def _warn_no_rules(self) -> None:
        """A program without a regime, limit, entry, layer or roll decides nothing: say so
        on the entry file (a module checked alone is a library; see UNUSED_CODES)."""
        if self.context.rules() or not self.modules or any(d.is_error for d in self.diagnostics):
            return  # with errors to fix first, a missing rule is not news
        entry = self.modules[-1]
        if not entry.items or any(isinstance(item, ast.TestBlock) for item in entry.items):
            return  # an empty file is ALVH006; a test file gets ALVH501 for what it names
        span = entry.items[0].span
        self.report(
            "ALVH403",
            span,
            "this ruleset has no rules: nothing to evaluate",
            "add a regime, limit, entry, layer or roll, or import a file that has them",
            warning=True,
        )


def _unit_text(type_: T.Type) -> str:
    from alvh_rules.lang.units import format_unit

    if type_.kind != "number":
        return type_.kind
    return "untyped number" if type_.unit is None else format_unit(type_.unit)


def _describe_declaration(kind: str, node: Any) -> str:
    if isinstance(node, ast.Rule) and node.target is not None:
        return f"{kind} {node.name.name} on {node.target.name}"
    return f"{kind} {node.name.name}"
