"""The checking context: what the checks of rules, params and test blocks share with the
program checker (the symbols, the expression checker, the diagnostics, the values found so
far), so that none of them is handed the program checker whole or imports it back.
"""

from __future__ import annotations

from dataclasses import dataclass

from alvh_rules.check.expressions import ExpressionChecker
from alvh_rules.check.results import Result
from alvh_rules.check.symbols import Symbol
from alvh_rules.lang.diagnostics import Diagnostic, Span
from alvh_rules.syntax import ast


@dataclass
class CheckContext:
    modules: list[ast.Ruleset]
    symbols: dict[str, Symbol]
    expressions: ExpressionChecker
    diagnostics: list[Diagnostic]
    let_results: dict[str, Result]  # each let's result, filled as lets resolve
    param_defaults: dict[str, float]  # each param's default, filled as params resolve

    def report(
        self, code: str, span: Span, message: str, hint: str = "", *, warning: bool = False
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                code=code,
                severity="warning" if warning else "error",
                span=span,
                message=message,
                hint=hint,
            )
        )

    def rules(self) -> list[ast.Rule]:
        """Every rule of every module, in source order."""
        return [
            item for module in self.modules for item in module.items if isinstance(item, ast.Rule)
        ]
