"""The scalar compiler agrees with the array plan, value for value, unknowns included."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alvh_rules.check import check_text
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.scalar import ScalarUnsupported, compile_condition
from alvh_rules.market import History

DECLARATIONS = "let vix_rsi = rsi(vix, 14)\nlet max_rsi_5d = max(vix_rsi, 5d)"
CONDITIONS = [
    "regime == steward or (vix_rsi < 60 and max_rsi_5d >= 60 and pcf < 12x)",
    "not (pcf in 8x .. 12x) and vix_rsi - max_rsi_5d / 2 > 10",
    "(steward: vix_rsi > 50, promoter: pcf * 2 < 20x)[regime] or 50% of pcf > 5x",
    "(if vix_rsi > 60 then pcf else max_rsi_5d) > 10x",
    "if regime == steward then pcf < 12x else vix_rsi < 60 or max_rsi_5d > 90",
    "(if pcf > 10x then 5 else 5) > 1 and (if vix_rsi > 50 then true else pcf > 0x)",
]
maybe = st.one_of(st.none(), st.floats(min_value=-50, max_value=150, allow_nan=False))


@pytest.fixture(scope="module")
def snapshot():  # type: ignore[no-untyped-def]
    history = History.builtin()
    return history.snapshot(history.index[-1].date())


@pytest.mark.parametrize("condition", CONDITIONS)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(regime=st.sampled_from(["steward", "promoter", None]), rsi=maybe, top=maybe, pcf=maybe)
def test_scalar_agrees_with_the_plan(snapshot, condition, regime, rsi, top, pcf) -> None:  # type: ignore[no-untyped-def]
    compiled = compile_condition(
        condition, declarations=DECLARATIONS, regimes=("steward", "promoter")
    )
    got = compiled({"regime": regime, "vix_rsi": rsi, "max_rsi_5d": top, "pcf": pcf})
    text = (
        f"{DECLARATIONS}\nregime steward: when roe > 12%\nregime promoter: otherwise\n"
        f"entry e: when {condition}\n"
    )
    report = check_text(text, "<scalar test>")
    assert report.ruleset is not None
    roe = {"steward": 0.2, "promoter": 0.05, None: math.nan}[regime]
    values = {"roe": roe, "vix_rsi": rsi, "max_rsi_5d": top, "pcf": pcf}
    overrides = {k: (math.nan if v is None else v) for k, v in values.items()}
    state = evaluate(report.ruleset, snapshot, overrides=overrides).states["e"]
    assert {"fires": True, "holds": False, "unknown": None}[state] == got


def test_history_needs_the_plan() -> None:
    with pytest.raises(ScalarUnsupported):
        compile_condition("rsi(vix, 14) > 60")
