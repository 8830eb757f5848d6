"""One test per construct of the grammar: the AST it parses to, and its spans."""

from __future__ import annotations

import datetime as dt

import pytest
from sexpr import sexpr

from alvh_rules.lang.diagnostics import RulesetError
from alvh_rules.syntax import ast
from alvh_rules.syntax.parser import parse


def expr(text: str) -> object:
    module = parse(f"let x = {text}\n")
    let = module.items[0]
    assert isinstance(let, ast.Let)
    return let.value


EXPRESSIONS = [
    # literals and units
    ("45", "45"),
    ("45d", "45d"),
    ("1.5%", "1.5%"),
    ("400bp", "400bp"),
    ("12x", "12x"),
    ("25pt", "25pt"),
    ("20vp", "20vp"),
    ("16delta", "16delta"),
    ("-180$/vp", "(- 180$/vp)"),
    ("5000$", "5000$"),
    ('"text"', "'text'"),
    ("true", "true"),
    ("regime", "regime"),
    # precedence and associativity
    ("1 + 2 * 3", "(+ 1 (* 2 3))"),
    ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
    ("1 - 2 - 3", "(- (- 1 2) 3)"),
    ("1 - (2 - 3)", "(- 1 (- 2 3))"),
    ("8 / 4 / 2", "(/ (/ 8 4) 2)"),
    ("50% of capital", "(of 50% capital)"),
    ("50% of capital * 2", "(* (of 50% capital) 2)"),
    ("-a * b", "(* (- a) b)"),
    ("- - a", "(- (- a))"),
    ("a < b and c > d or e == f", "(or (and (< a b) (> c d)) (== e f))"),
    ("a or b and c", "(or a (and b c))"),
    ("a or b or c", "(or (or a b) c)"),
    ("not a and b", "(and (not a) b)"),
    ("not (a and b)", "(not (and a b))"),
    ("a + 1 >= b * 2", "(>= (+ a 1) (* b 2))"),
    ("a != b", "(!= a b)"),
    # calls, members, lookbacks, windows
    ("rsi(vix, 14)", "(rsi vix 14)"),
    ("days_to(fomc)", "(days_to fomc)"),
    ("f()", "(f)"),
    ("macd(vix).hist", "(. (macd vix) hist)"),
    ("position.max_profit", "(. position max_profit)"),
    ("portfolio.vega", "(. portfolio vega)"),
    ("x.delta", "(. x delta)"),
    ("vix[1]", "([] vix 1)"),
    ("rsi(vix, 14)[2]", "([] (rsi vix 14) 2)"),
    ("max(vix_rsi, 5d)", "(max vix_rsi 5d)"),
    ("max(rsi(vix, 14), 5d) >= 60", "(>= (max (rsi vix 14) 5d) 60)"),
    # choice by regime, ranges, calendar
    ("(steward: 25pt, promoter: 50pt)[regime]", "(choice [steward:25pt promoter:50pt] regime)"),
    ("(steward: 1, otherwise: 2,)[regime]", "(choice [steward:1 otherwise:2] regime)"),
    ("dte in 15d .. 45d", "(in dte 15d 45d)"),
    ("within 1d of fomc", "(within 1d fomc)"),
    ("within 2d of fomc, cpi, ppi", "(within 2d fomc cpi ppi)"),
    ("within gap of fomc or vix > 30", "(or (within gap fomc) (> vix 30))"),
    ("f((within 1d of fomc), 2)", "(f (within 1d fomc) 2)"),
    ("not within 1d of cpi", "(not (within 1d cpi))"),
    # a value chosen by a condition: loosest of all, its else branch runs to the right
    ("if a > 1 then 2% else 1%", "(if (> a 1) 2% 1%)"),
    ("if a then b else c or d", "(if a b (or c d))"),
    ("if a then b else c + 1 of x", "(if a b (+ c (of 1 x)))"),
    ("(if a then 2% else 1%) of x", "(of (if a 2% 1%) x)"),
    ("if a then if b then 1 else 2 else if c then 3 else 4", "(if a (if b 1 2) (if c 3 4))"),
    ("if if a then b else c then d else e", "(if (if a b c) d e)"),
    ("if within 1d of fomc, cpi then 1 else 2", "(if (within 1d fomc cpi) 1 2)"),
    ("f(if a then 1 else 2, 3)", "(f (if a 1 2) 3)"),
    (
        "(steward: if a then 1 else 2, otherwise: 3)[regime]",
        "(choice [steward:(if a 1 2) otherwise:3] regime)",
    ),
    ("- (if a then 1 else 2)", "(- (if a 1 2))"),
]


@pytest.mark.parametrize(("text", "expected"), EXPRESSIONS)
def test_expression_parses_to(text: str, expected: str) -> None:
    assert sexpr(expr(text)) == expected


def test_number_values_are_in_base_units() -> None:
    values = {t: expr(t).value for t in ("5%", "400bp", "45d", "12x", "1.5e2")}  # type: ignore[attr-defined]
    assert values == {"5%": 0.05, "400bp": 0.04, "45d": 45.0, "12x": 12.0, "1.5e2": 150.0}


def test_a_number_in_exponent_form_takes_a_unit() -> None:
    # language.md: numbers are decimal (1.5e2) and a unit follows with no space; 1e6$ once
    # failed to lex ("unexpected character '$'") while 1e6 and 1000000$ both parsed
    values = {t: expr(t).value for t in ("1e6$", "1.5e2pt", "2e1%", "1E3$/vp", "1e-2x")}  # type: ignore[attr-defined]
    assert values == {"1e6$": 1e6, "1.5e2pt": 150.0, "2e1%": 0.2, "1E3$/vp": 1e3, "1e-2x": 0.01}
    assert expr("1e6$").unit == "$"  # type: ignore[attr-defined]


def test_string_escapes() -> None:
    assert expr(r'"a \"b\" \\ c\n"').value == 'a "b" \\ c\n'  # type: ignore[attr-defined]


def test_spans_cover_the_written_text() -> None:
    source = "let x = rsi(vix, 14) > 60\n"
    let = parse(source, "f.alvh").items[0]
    assert isinstance(let, ast.Let)
    span = let.value.span
    assert (span.file, span.line, span.column, span.end_line, span.end_column) == (
        "f.alvh",
        1,
        9,
        1,
        26,
    )
    assert source[span.column - 1 : span.end_column - 1] == "rsi(vix, 14) > 60"
    assert (let.span.column, let.span.end_column) == (1, 26)
    assert (let.name.span.column, let.name.span.end_column) == (5, 6)


def test_header_version_import_param_let() -> None:
    module = parse(
        'ruleset "ALVH"\nversion 2\nimport "common/regimes.alvh"\n'
        "param dte = 45d in 15d .. 45d\nparam plain = 3\nlet v = vix\n"
    )
    header, version, imp, bounded, plain, let = module.items
    assert isinstance(header, ast.Header) and header.title == "ALVH"
    assert isinstance(version, ast.Version) and version.number == 2
    assert isinstance(imp, ast.Import) and imp.path == "common/regimes.alvh"
    assert (
        isinstance(bounded, ast.Param)
        and sexpr(bounded.low) == "15d"
        and sexpr(bounded.high) == "45d"
    )
    assert isinstance(plain, ast.Param) and plain.low is None and plain.high is None
    assert isinstance(let, ast.Let) and let.name.name == "v"


def rule(source: str) -> ast.Rule:
    item = parse(source).items[0]
    assert isinstance(item, ast.Rule)
    return item


def test_regime_rules() -> None:
    when = rule("regime steward: when roa > 10%")
    assert when.rule_kind == "regime" and isinstance(when.clauses[0], ast.Clause)
    assert when.clauses[0].keyword == "when"
    fallback = rule("regime promoter: otherwise")
    assert (
        isinstance(fallback.clauses[0], ast.Clause) and fallback.clauses[0].keyword == "otherwise"
    )


def test_limit_rule_body_is_a_condition_clause() -> None:
    limit = rule("limit max_short_vega:\n    portfolio.vega >= -180$/vp\n")
    clause = limit.clauses[0]
    assert isinstance(clause, ast.Clause) and clause.keyword == "condition"
    assert sexpr(clause.condition) == "(>= (. portfolio vega) (- 180$/vp))"


def test_entry_clauses_in_order() -> None:
    entry = rule(
        "entry base_condor:\n    require pcf < 12x\n    block within 1d of fomc\n"
        "    when vix > 20\n    unless vix > 40\n"
        "    open iron_condor dte 45d delta 16delta wings 25pt\n    size risk 1% of capital\n"
    )
    kinds = [c.keyword if isinstance(c, ast.Clause) else c.kind for c in entry.clauses]
    assert kinds == ["require", "block", "when", "unless", "open", "size"]
    open_clause = entry.clauses[4]
    assert isinstance(open_clause, ast.OpenClause)
    assert [a.name for a in open_clause.spec.args] == ["dte", "delta", "wings"]
    size = entry.clauses[5]
    assert isinstance(size, ast.SizeClause) and size.mode == "risk" and size.beta is None


def test_layer_with_side_and_vega_sizing() -> None:
    layer = rule(
        "layer vix_hedge on base_condor:\n    when vix > 30\n"
        "    open long vix_call dte 60d strike atm + 5\n"
        "    size vega 50% of -portfolio.vega beta 0.8\n"
    )
    assert layer.target is not None and layer.target.name == "base_condor"
    open_clause, size = layer.clauses[1], layer.clauses[2]
    assert isinstance(open_clause, ast.OpenClause) and open_clause.spec.side == "long"
    assert isinstance(size, ast.SizeClause) and size.mode == "vega" and sexpr(size.beta) == "0.8"


def test_size_with_a_cost_cap_and_a_limit() -> None:
    layer = rule(
        "layer vix_hedge on base_condor:\n    when vix > 30\n"
        "    open long vix_call dte 60d strike atm + 5\n"
        "    size vega 50% of -portfolio.vega beta 0.8 costing at most 40% of base_condor.credit"
        " within max_short_vega\n"
    )
    size = layer.clauses[2]
    assert isinstance(size, ast.SizeClause) and sexpr(size.beta) == "0.8"
    assert sexpr(size.costing) == "(of 40% (. base_condor credit))"
    assert [name.name for name in size.within] == ["max_short_vega"]
    assert size.costing is not None and size.costing.span.column == 63  # after "at most "
    assert size.span.end_column == 1 + len(
        "    size vega 50% of -portfolio.vega beta 0.8 costing at most 40% of base_condor.credit"
        " within max_short_vega"
    )


def test_a_cost_cap_needs_at_most() -> None:
    with pytest.raises(RulesetError, match="3:37: ALVH011: expected 'at'"):
        rule(
            "entry e:\n    open iron_condor dte 45d delta 16delta wings 25pt\n"
            "    size risk 1% of capital costing 2000$\n"
        )


@pytest.mark.parametrize(
    ("action", "kind", "amount"),
    [
        ("roll forward 30d", "forward", "30d"),
        ("roll out", "out", None),
        ("close", "close", None),
        ("resize", "resize", None),
    ],
)
def test_roll_actions(action: str, kind: str, amount: str | None) -> None:
    roll = rule(
        f"roll r on base_condor:\n    when vix < 15\n    {action}\n    block within 2d of fomc\n"
    )
    actions = [c for c in roll.clauses if isinstance(c, ast.RollAction)]
    assert len(actions) == 1 and actions[0].action == kind
    assert (sexpr(actions[0].amount) if actions[0].amount else None) == amount
    assert len(roll.clauses) == 3


def test_roll_on_the_shortest_dated_of_several() -> None:
    roll = rule("roll r on shortest(core, second, third):\n    close\n")
    assert [c.name for c in roll.candidates] == ["core", "second", "third"]
    assert roll.target is not None and roll.target.name == "core"
    assert rule("roll r on core:\n    close\n").candidates == []
    with pytest.raises(RulesetError):
        parse("roll r on shortest(core):\n    close\n")  # one position is `on core`


def test_test_block_statements() -> None:
    block = parse(
        'test "calm day":\n    on 2017-11-03\n    given vix = 35, vix_rsi = 62\n'
        "    set short_delta = 18delta\n"
        "    holding base_condor: iron_condor dte 45d delta 16delta wings 25pt\n"
        "    holding hedge:\n        leg +10 vix call strike 20 expiring 2017-12-20 at 1.5$\n"
        "        leg -10 vix call strike 25 expiring 30d\n"
        "    expect base_condor fires\n    expect regime steward\n    expect base_condor opens 2\n"
    ).items[0]
    assert isinstance(block, ast.TestBlock) and block.name == "calm day"
    on, given, set_, holding, legs, fires, regime, opens = block.statements
    assert isinstance(on, ast.TestOn) and on.date == dt.date(2017, 11, 3)
    assert isinstance(given, ast.TestGiven) and [a.name.name for a in given.assignments] == [
        "vix",
        "vix_rsi",
    ]
    assert isinstance(set_, ast.TestSet)
    assert isinstance(holding, ast.TestHolding) and holding.spec is not None
    assert isinstance(legs, ast.TestHolding) and [leg.quantity for leg in legs.legs] == [10, -10]
    assert (
        legs.legs[0].expiry_date == dt.date(2017, 12, 20) and legs.legs[1].expiry_days is not None
    )
    assert isinstance(fires, ast.ExpectState) and fires.state == "fires"
    assert isinstance(regime, ast.ExpectRegime) and regime.regime.name == "steward"
    assert isinstance(opens, ast.ExpectContracts) and opens.contracts == 2


def test_on_builtin() -> None:
    block = parse('test "t":\n    on builtin\n').items[0]
    assert isinstance(block, ast.TestBlock)
    assert isinstance(block.statements[0], ast.TestOn) and block.statements[0].date is None


def test_comments_are_kept_beside_the_tree() -> None:
    module = parse("# leading\nlet x = 1  # trailing\n# dangling\n")
    assert [(c.text, c.span.line) for c in module.comments] == [
        ("# leading", 1),
        ("# trailing", 2),
        ("# dangling", 3),
    ]


def test_keywords_are_soft_where_no_keyword_fits() -> None:
    # After `.` only a name can follow, so field names may be keywords (vega, delta).
    assert (
        sexpr(expr("portfolio.vega + portfolio.delta"))
        == "(+ (. portfolio vega) (. portfolio delta))"
    )


def test_whitespace_tabs_and_crlf_do_not_matter() -> None:
    spaced = parse("entry e:\n    when vix > 30\n")
    tabbed = parse("entry e:\r\n\twhen\tvix > 30\r\n")
    from alvh_rules.syntax.ast_json import dump_json

    assert dump_json(spaced, with_spans=False) == dump_json(tabbed, with_spans=False)


def test_ast_json_round_trips_and_schema_exports() -> None:
    from alvh_rules.syntax.ast import Ruleset
    from alvh_rules.syntax.ast_json import ruleset_json_schema

    module = parse(
        "regime s: when roe > 10%\nregime p: otherwise\n"
        "entry e:\n    when (s: 1, p: 2)[regime] > 0\n"
    )
    again = Ruleset.model_validate_json(module.model_dump_json())
    assert again == module
    schema = ruleset_json_schema()
    assert schema["title"] == "Ruleset" and "Choice" in schema["$defs"]


def test_parsed_trees_validate_against_their_models() -> None:
    """The parser builds nodes without validation (for speed); every tree it builds from
    the shipped rulesets and the test corpus must still be a valid AST."""
    from pathlib import Path

    from alvh_rules.syntax.ast import Ruleset

    root = Path(__file__).resolve().parents[2]
    files = sorted(root.glob("rulesets/**/*.alvh")) + sorted(root.glob("tests/**/*.alvh"))
    checked = 0
    for file in files:
        try:
            module = parse(file.read_text(encoding="utf-8"), str(file))
        except Exception:
            continue  # the corpus holds broken files on purpose
        assert Ruleset.model_validate(module.model_dump()) == module, file
        checked += 1
    assert checked >= 10
