"""Conditions that cannot tell one day from another warn (ALVH406), and so does a limit the
empty portfolio already breaches (ALVH407, a swapped comparison or bound): both used to
check cleanly and then decide the same way every day."""

from __future__ import annotations

import pytest

from alvh_rules.check import check_text


def _codes(source: str) -> list[tuple[str, str, int]]:
    return [(d.code, d.severity, d.span.line) for d in check_text(source, "d.alvh").diagnostics]


@pytest.mark.parametrize(
    "condition",
    ["5 > 3", "true", "vix_cap > 25vp", "not (vix_cap > 25vp)", "doubled > 50vp"],
)
def test_a_condition_over_constants_warns(condition: str) -> None:
    source = f"let vix_cap = 30vp\nlet doubled = 2 * vix_cap\nentry e:\n    when {condition}\n"
    found = _codes(source)
    assert ("ALVH406", "warning", 4) in found


@pytest.mark.parametrize(
    "condition",
    [
        "vix > vix_cap",
        "regime == calm",
        "within 1d of fomc",
        "held(e)",
        "portfolio.vega < 0$/vp",
        "capital > 0$",
        "calm_vix > 0vp",
        "days_to(cpi) < 3",
        "vix_cap > 25vp",  # a param: a switch set per run (--set, sweeps)
        "not (vix_cap > 25vp)",
    ],
)
def test_a_condition_that_reads_the_day_does_not_warn(condition: str) -> None:
    source = (
        "param vix_cap = 30vp in 20vp .. 40vp\nlet calm_vix = vix - vix_cap\n"
        "regime calm: when vix < vix_cap\nregime other: otherwise\n"
        f"entry e:\n    when {condition}\n"
        "    open iron_condor dte 45d delta 16delta wings 25pt\n    size contracts 1\n"
    )
    assert [c for c in _codes(source) if c[0] == "ALVH406"] == []


@pytest.mark.parametrize(
    ("limit", "warns"),
    [
        ("portfolio.vega <= -180$/vp", True),
        ("portfolio.vega >= 180$/vp", True),
        ("portfolio.vega >= -180$/vp", False),
        ("portfolio.vega > 0$/vp", True),
        ("portfolio.vega >= 0$/vp", False),
        ("portfolio.vega <= (calm: -180$/vp, otherwise: -90$/vp)[regime]", True),
        ("portfolio.vega >= (calm: -180$/vp, otherwise: -90$/vp)[regime]", False),
        ("portfolio.vega <= (calm: -180$/vp, otherwise: 90$/vp)[regime]", False),
        ("portfolio.vega <= floor", True),
        ("portfolio.vega <= -180$/vp * (capital / 1000000$)", False),  # not constant
        ("portfolio.max_loss <= -1$", False),  # not a sum that is 0 when flat
    ],
)
def test_a_limit_breached_by_the_empty_portfolio_warns(limit: str, warns: bool) -> None:
    source = (
        "param floor = -180$/vp in -300$/vp .. -100$/vp\n"
        "regime calm: when vix < 20vp\nregime other: otherwise\n"
        f"limit cap:\n    {limit}\nentry e:\n    when vix > 20vp\n"
    )
    assert (("ALVH407", "warning", 5) in _codes(source)) is warns


@pytest.mark.parametrize("field", ["profit", "roll_cost", "projected_payoff"])
def test_a_layer_reading_its_own_proposed_profit_warns(field: str) -> None:
    # `position` in a layer is the hedge it would open (profit 0), not the target condor
    source = (
        "entry base:\n    when vix > 20vp\n"
        "    open iron_condor dte 45d delta 16delta wings 25pt\n    size contracts 1\n"
        f"layer hedge on base:\n    when position.{field} > 0$\n"
        "    open long vix_call dte 60d strike atm + 5\n    size contracts 1\n"
        f"roll take on base:\n    when position.{field} > 0$\n    close\n"
    )
    found = check_text(source, "own.alvh").diagnostics
    assert [(d.code, d.span.line) for d in found] == [("ALVH408", 6)]  # the roll's is held
    assert f"the target's is base.{field}" in found[0].hint


@pytest.mark.parametrize("amount", ["vega 50% of -position.vega", "risk 10% of stack.max_loss"])
def test_a_size_reading_the_position_it_makes_is_an_error(amount: str) -> None:
    source = (
        "entry base:\n    when vix > 20vp\n"
        f"    open iron_condor dte 45d delta 16delta wings 25pt\n    size {amount}\n"
    )
    found = [(d.code, d.message) for d in check_text(source, "own.alvh").diagnostics]
    assert found and found[0][0] == "ALVH213" and "the size is what makes" in found[0][1]


@pytest.mark.parametrize(
    ("expression", "warns"),
    [
        ("max(vix_rsi, 5) >= 60", True),
        ("min(vix, 20) < 15", True),
        ("max(vix_rsi, 5d) >= 60", False),  # the window
        ("max(vix_rsi, 50.0) >= 60", False),  # the value, said so
        ("max(vix, 20vp) > 25", False),
        ("min(1, wacc_ratio) < 1", False),  # a value first: no window reading
    ],
)
def test_a_bare_whole_number_after_a_series_in_max_or_min_warns(
    expression: str, warns: bool
) -> None:
    # TA-Lib's MAX(x, 5) is a 5-bar window; ours is the larger of x and 5
    source = (
        f"let vix_rsi = rsi(vix, 14)\nlet wacc_ratio = 9% / wacc\nentry e:\n    when {expression}\n"
    )
    assert (any(c[0] == "ALVH216" for c in _codes(source))) is warns


def test_a_long_chain_of_constant_lets_is_followed_without_recursion() -> None:
    # the first version followed lets by recursion: 5,000 of them crashed `alvh check`
    lines = ["let a0 = 1", *(f"let a{i} = a{i - 1} + 1" for i in range(1, 5000))]
    source = "\n".join([*lines, "entry e: when a4999 > 3"]) + "\n"
    assert [c[0] for c in _codes(source)] == ["ALVH406"]
