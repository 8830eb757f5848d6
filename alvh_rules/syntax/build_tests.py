"""Building the AST of ruleset tests (`test "name": on ..., given ..., holding ..., expect ...`)
during the parse: the Lark callbacks of that part of the grammar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from lark import Token

from alvh_rules.syntax import ast
from alvh_rules.syntax.build_base import NodeBuilder, nodes, unquote
from alvh_rules.syntax.trusted import construct


class TestBlockBuilder(NodeBuilder):
    """Lark callbacks for ruleset tests; `AstBuilder` adds the rest of the language."""

    def test_block(self, c: list[Any]) -> ast.TestBlock:
        return construct(
            ast.TestBlock, span=self.span_of(c[0], c[-1]), name=unquote(c[1]), statements=c[3:]
        )

    def test_on(self, c: list[Any]) -> ast.TestOn:
        span = self.span_of(c[0], c[-1])
        if c[1].type == "DATE":
            return construct(ast.TestOn, span=span, date=self.date(c[1]))
        return construct(ast.TestOn, span=span, date=None)

    def date(self, token: Token) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(token))
        except ValueError:
            self.error(
                "ALVH004",
                self.token_span(token),
                f"{token} is not a calendar date",
                "write dates as YYYY-MM-DD",
            )
            return None

    def test_given(self, c: list[Any]) -> ast.TestGiven:
        return construct(ast.TestGiven, span=self.span_of(c[0], c[-1]), assignments=nodes(c[1:]))

    def test_set(self, c: list[Any]) -> ast.TestSet:
        return construct(ast.TestSet, span=self.span_of(c[0], c[-1]), assignments=nodes(c[1:]))

    def unknown_assignment(self, c: list[Any]) -> ast.Assignment:
        return construct(
            ast.Assignment, span=self.span_of(c[0], c[-1]), name=self.ident(c[0]), value=None
        )

    def assignment(self, c: list[Any]) -> ast.Assignment:
        return construct(
            ast.Assignment, span=self.span_of(c[0], c[-1]), name=self.ident(c[0]), value=c[2]
        )

    def test_holding(self, c: list[Any]) -> ast.TestHolding:
        body = c[3:]
        held = body.pop()[1] if body and isinstance(body[-1], tuple) else None
        span = self.span_of(c[0], c[-1][2] if isinstance(c[-1], tuple) else c[-1])
        name = self.ident(c[1])
        if body and isinstance(body[0], ast.OpenSpec):
            return construct(ast.TestHolding, span=span, name=name, spec=body[0], held=held)
        return construct(ast.TestHolding, span=span, name=name, legs=body, held=held)

    def held_for(self, c: list[Any]) -> tuple[str, Any, Any]:
        return ("held", c[1], c[1])

    def leg(self, c: list[Any]) -> ast.LegSpec:
        fields: dict[str, Any] = {}
        for part in c[3:]:
            if isinstance(part, Token):
                fields["right"] = str(part)
            else:
                fields[part[0]] = part[1]
        last = c[-1] if isinstance(c[-1], Token) else c[-1][2]
        return construct(
            ast.LegSpec,
            span=self.span_of(c[0], last),
            quantity=self.whole_number(c[1], "a leg's quantity"),
            instrument=self.ident(c[2]),
            **fields,
        )

    def option_right(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    def strike(self, c: list[Any]) -> tuple[str, Any, Any]:
        return ("strike", c[1], c[1])

    def price(self, c: list[Any]) -> tuple[str, Any, Any]:
        return ("price", c[1], c[1])

    def expiry(self, c: list[Any]) -> tuple[str, Any, Any]:
        token = c[1]
        if token.type == "DATE":
            return ("expiry_date", self.date(token), token)
        return ("expiry_days", self.number([token]), token)

    def expect_state(self, c: list[Any]) -> ast.ExpectState:
        return construct(
            ast.ExpectState,
            span=self.span_of(c[0], c[-1]),
            rule=self.ident(c[1]),
            state=cast(Any, str(c[2])),
        )

    def state(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    def expect_regime(self, c: list[Any]) -> ast.ExpectRegime:
        return construct(ast.ExpectRegime, span=self.span_of(c[0], c[-1]), regime=self.ident(c[2]))

    def expect_contracts(self, c: list[Any]) -> ast.ExpectContracts:
        return construct(
            ast.ExpectContracts,
            span=self.span_of(c[0], c[-1]),
            rule=self.ident(c[1]),
            contracts=self.whole_number(c[3], "a number of contracts"),
        )

    def expect_resize(self, c: list[Any]) -> ast.ExpectContracts:
        return construct(
            ast.ExpectContracts,
            span=self.span_of(c[0], c[-1]),
            rule=self.ident(c[1]),
            contracts=self.whole_number(c[3], "a number of contracts"),
            verb="resizes",
        )
