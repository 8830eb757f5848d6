"""`known(x)`: an optional input or a proxy written in the ruleset, never unknown itself, and
the reasons tree says which branch of the fallback was taken."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from alvh_rules.check import Ruleset, check_text
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History

Make = Callable[[str], Ruleset]

RULES = """
let roa_input = if known(roa) then roa else roe  # R1: ROE stands in for a missing ROA
regime steward: when roa_input > 12%
regime promoter: otherwise
entry optional_alarm: when known(pcf) and pcf < 12x
entry strict_alarm: when pcf < 12x
"""


@pytest.fixture(scope="module")
def today(demo_history: History):  # type: ignore[no-untyped-def]
    return demo_history.snapshot(demo_history.index[-1].date(), capital=1_000_000)


@pytest.mark.parametrize(
    ("roa", "roe", "regime"),
    [
        (0.15, 0.05, "steward"),  # ROA known (percentages as fractions): it decides
        (0.05, 0.15, "promoter"),
        (math.nan, 0.15, "steward"),  # ROA missing: ROE decides
        (math.nan, 0.05, "promoter"),
        (math.nan, math.nan, None),  # both missing: unknown, not a guess
    ],
)
def test_the_fallback_is_read_only_when_the_input_is_missing(
    ruleset: Make, today: object, roa: float, roe: float, regime: str | None
) -> None:
    decision = evaluate(ruleset(RULES), today, overrides={"roa": roa, "roe": roe})
    assert decision.regime == regime


def test_known_is_never_unknown_and_an_optional_input_does_not_make_its_rule_unknown(
    ruleset: Make, today: object
) -> None:
    decision = evaluate(ruleset(RULES), today, overrides={"pcf": math.nan})
    assert decision.states["optional_alarm"] == "holds"
    assert decision.states["strict_alarm"] == "unknown"
    [pcf] = [m for m in decision.missing if m.name == "pcf"]
    assert pcf.rules == ["strict_alarm"]
    fired = evaluate(ruleset(RULES), today, overrides={"pcf": 10.0})
    assert fired.states["optional_alarm"] == "fires"


def _reasons_text(decision: object) -> str:
    return str(decision.model_dump_json())  # type: ignore[attr-defined]


def test_the_reasons_name_the_branch_taken(ruleset: Make, today: object) -> None:
    fallback = evaluate(
        ruleset(RULES), today, overrides={"roa": math.nan, "roe": 0.15}, explain=True
    )
    assert "roa is unknown: the fallback after `else`" in _reasons_text(fallback)
    direct = evaluate(ruleset(RULES), today, overrides={"roa": 0.15}, explain=True)
    assert "roa is known: the value after `then`" in _reasons_text(direct)


def test_known_takes_one_numeric_argument() -> None:
    for text, code in (
        ("entry e: when known(vix, vix)\n", "ALVH"),
        ("entry e: when known(fomc)\n", "ALVH"),
    ):
        report = check_text(text, "k.alvh")
        assert report.errors, text
        assert all(d.code.startswith(code) for d in report.errors)
