"""Hypothesis properties of the formatter on generated rulesets with comments anywhere.

format is idempotent, keeps the tree (spans aside) and the multiset of comments, keeps
CRLF; random expression trees printed and parsed back are the same trees (precedence
and associativity of the printer and of the grammar agree).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from fmt_strategies import SPAN, expressions, rulesets
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from alvh_rules.fmt.expressions import expr
from alvh_rules.fmt.formatter import format_text
from alvh_rules.lang.diagnostics import RulesetError
from alvh_rules.syntax import ast
from alvh_rules.syntax.ast_json import dump_json
from alvh_rules.syntax.parser import parse

RULESET_SETTINGS = settings(
    max_examples=int(os.environ.get("ALVH_FMT_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _comments(tree: ast.Ruleset) -> Counter[str]:
    return Counter(comment.text for comment in tree.comments)


@RULESET_SETTINGS
@given(rulesets())
def test_format_is_idempotent_and_keeps_tree_and_comments(source: str) -> None:
    before = parse(source)
    formatted = format_text(source)
    after = parse(formatted)
    assert format_text(formatted) == formatted
    assert dump_json(after, with_spans=False) == dump_json(before, with_spans=False)
    assert _comments(after) == _comments(before)
    assert formatted == "" or (formatted.endswith("\n") and not formatted.endswith("\n\n"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rulesets())
def test_crlf_input_gives_the_lf_layout_with_crlf(source: str) -> None:
    assume("\n" in source)  # a file of one line has no line ending to keep
    crlf = source.replace("\n", "\r\n")
    expected = format_text(source).replace("\n", "\r\n")
    assert format_text(crlf) == expected


def _let_value(text: str) -> str:
    tree = parse(f"let probe = {text}\n")
    item = tree.items[0]
    assert isinstance(item, ast.Let)
    return _strip(item.value)


def _strip(node: ast.Expr) -> str:
    wrapper = ast.Ruleset(
        span=SPAN,
        file="",
        items=[ast.Let(span=SPAN, name=ast.Identifier(span=SPAN, name="probe"), value=node)],
    )
    return dump_json(wrapper, with_spans=False)


@settings(max_examples=400, deadline=None)
@given(expressions)
def test_printed_expression_parses_back_to_the_same_tree(tree: ast.Expr) -> None:
    assert _let_value(expr(tree)) == _strip(tree)


@settings(max_examples=150, deadline=None)
@given(st.lists(expressions, min_size=1, max_size=3))
def test_printed_arguments_parse_back_in_a_comma_list(args: list[ast.Expr]) -> None:
    # Call arguments are a comma-separated place: a bare `within` there must be wrapped.
    call = ast.Call(span=SPAN, function=ast.Identifier(span=SPAN, name="f"), args=args)
    assert _let_value(expr(call)) == _strip(call)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rulesets(), st.data())
def test_edited_text_is_formatted_or_refused(source: str, data: st.DataObject) -> None:
    # A file being typed: cut a random slice and paste random text. Either the formatter
    # refuses it (RulesetError, as `parse` does) or its output means the same as its input.
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, min(len(source), start + 12)))
    pasted = data.draw(st.text(alphabet=' \n#():,.=<>-+*/"0123456789abdnorx%$', max_size=6))
    edited = source[:start] + pasted + source[end:]
    try:
        before = parse(edited)
    except RulesetError:
        event("the edit broke the syntax")
        with pytest.raises(RulesetError):
            format_text(edited)
        return
    formatted = format_text(edited)
    assert dump_json(parse(formatted), with_spans=False) == dump_json(before, with_spans=False)
    assert format_text(formatted) == formatted
