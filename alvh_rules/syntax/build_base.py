"""The base of the AST builder: spans from tokens, the depth and height limits that keep
every later phase from recursing without bound, whole numbers, and the diagnostics list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from lark import Token, Transformer

from alvh_rules.lang.diagnostics import Diagnostic, Span, span_at
from alvh_rules.lang.units import SUFFIXES
from alvh_rules.syntax import ast
from alvh_rules.syntax.trusted import construct

MAX_DEPTH = 100
# Levels of the tree itself: a flat chain (`a + b + c`, `x and y`) leans left, one level per
# term, and the checker, interpreter and formatter walk the tree recursively. 250 leaves them
# a wide margin below Python's recursion limit (a 399-term chain overflowed it).
MAX_HEIGHT = 250
# Whole numbers (`version`, a leg's quantity, `opens N`): more digits than this is no count
# anyone means, and Python refuses to convert more than 4,300.
MAX_WHOLE_DIGITS = 9

_NUMBER_WITH_UNIT = re.compile(r"^([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)(.*)$")
_STRING_ESCAPES = {'\\"': '"', "\\\\": "\\", "\\n": "\n", "\\t": "\t"}


class NodeBuilder(Transformer[Token, Any]):
    """What every Lark callback of the AST builder uses. One instance per parser.

    Nodes are made with `model_construct`: the grammar already fixes every field's type,
    so validating each node again would only cost time (a test validates parsed trees)."""

    def __init__(self) -> None:
        super().__init__(visit_tokens=False)
        self.file = "<string>"
        self.line_offset = 0
        self.diagnostics: list[Diagnostic] = []
        self._depth: dict[int, int] = {}
        self._height: dict[int, int] = {}

    def reset(self, file: str, line_offset: int = 0) -> None:
        self.file = file
        self.line_offset = line_offset
        self.diagnostics = []
        self._depth = {}
        self._height = {}

    # ---- spans -----------------------------------------------------------------------

    def token_span(self, token: Token) -> Span:
        # Lark types the positions Optional; the lexer always sets them. No `cast` calls:
        # this runs once per token.
        offset = self.line_offset
        return span_at(
            self.file,
            token.line + offset,  # type: ignore[operator]
            token.column,  # type: ignore[arg-type]
            token.end_line + offset,  # type: ignore[operator]
            token.end_column,  # type: ignore[arg-type]
        )

    def span_of(self, first: Any, last: Any) -> Span:
        start = first.span if isinstance(first, ast.Node) else self.token_span(first)
        end = last.span if isinstance(last, ast.Node) else self.token_span(last)
        return start.to(end)

    def ident(self, token: Token) -> ast.Identifier:
        return construct(ast.Identifier, span=self.token_span(token), name=str(token))

    def expression_node(self, node: Any, *children: Any) -> Any:
        """Record the nesting depth of an expression node; cut off trees that are too deep."""
        depth = 1 + max((self._depth.get(id(c), 1) for c in children), default=0)
        return self._measured(node, depth, children)

    def _measured(self, node: Any, depth: int, children: Sequence[Any]) -> Any:
        height = 1 + max((self._height.get(id(c), 1) for c in children), default=0)
        if depth > MAX_DEPTH or height > MAX_HEIGHT:
            message = (
                f"expression nests deeper than {MAX_DEPTH} levels"
                if depth > MAX_DEPTH
                else f"expression is too long: a chain more than {MAX_HEIGHT} levels tall"
            )
            self.error("ALVH003", node.span, message, "split it into named `let` expressions")
            return construct(ast.Name, span=node.span, name="<too deep>")
        self._depth[id(node)] = depth
        self._height[id(node)] = height
        return node

    def whole_number(self, token: Token, what: str) -> int:
        """A whole number of at most MAX_WHOLE_DIGITS digits; more is ALVH007 (and 0)."""
        text = str(token)
        if len(text.lstrip("0")) > MAX_WHOLE_DIGITS:
            shown = text if len(text) <= 20 else f"{text[:8]}...{text[-4:]} ({len(text)} digits)"
            self.error(
                "ALVH007",
                self.token_span(token),
                f"{shown} is too large for {what}",
                f"write a whole number below {10**MAX_WHOLE_DIGITS:,}",
            )
            return 0
        return int(text)

    def number(self, c: list[Any]) -> ast.Number:
        token = c[0]
        text = str(token)
        match = _NUMBER_WITH_UNIT.match(text)
        digits, suffix = (match.group(1), match.group(2)) if match else (text, "")
        scale = SUFFIXES[suffix].scale if suffix else 1.0
        span = self.token_span(token)
        value = float(digits) * scale
        if not math.isfinite(value):  # float() turns 1e400 into inf, which no rule means
            self.error(
                "ALVH007",
                span,
                f"{text} is too large for a number",
                "numbers must be below 1.8e308; write a smaller value",
            )
        return construct(ast.Number, span=span, value=value, unit=suffix, text=text)

    def error(self, code: str, span: Span, message: str, hint: str = "") -> None:
        self.diagnostics.append(
            Diagnostic(code=code, severity="error", span=span, message=message, hint=hint)
        )


def nodes(children: Sequence[Any]) -> list[Any]:
    """The AST nodes among children, without separator tokens."""
    return [c for c in children if not isinstance(c, Token)]


def unquote(token: str) -> str:
    """The text of a string literal without its quotes, escapes resolved."""
    return re.sub(r'\\["\\nt]', lambda m: _STRING_ESCAPES[m.group(0)], str(token)[1:-1])
