"""What a test block means: the day, `given` (market fields with their derived fields,
lets, the account), `set`, holdings from an open spec or from legs, and how each kind of
expectation is compared with the decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from alvh_rules.testing.runner import run_paths

RULES = """ruleset "t"
param cap = 60 in 50 .. 70
let vix_rsi = rsi(vix, 14)
regime calm: when vix < 20
regime stressed: otherwise
limit short_vega: portfolio.vega >= -500$/vp
entry e:
    when vix_rsi > cap and iv_rv_ratio > 1x
    open iron_condor dte 30d delta 16delta wings 50pt
    size risk 1% of capital
layer hedge on e:
    when e.vega < 0$/vp
    open vix_call dte 30d strike atm + 5
    size vega 50% of -e.vega
roll take on e:
    when position.profit > 0$
    close
"""


def _results(tmp_path: Path, tests: str) -> dict[str, tuple[str, list[tuple[str, str]], str]]:
    file = tmp_path / "rules.alvh"
    file.write_text(RULES + tests)
    report = run_paths([file])
    assert not report.diagnostics, report.diagnostics
    return {
        r.case.name: (r.status, [(m.expected, m.got) for m in r.mismatches], r.message)
        for r in report.results
    }


def test_given_market_fields_move_their_derived_fields(tmp_path: Path) -> None:
    # iv_rv_ratio is vix / spx_rv20: a VIX of 5 pulls it below 1 unless it is given too.
    results = _results(
        tmp_path,
        'test "low vix":\n    given vix_rsi = 65, vix = 5\n    expect e holds\n'
        'test "given both":\n    given vix_rsi = 65, vix = 5, iv_rv_ratio = 2x\n'
        "    expect e fires\n",
    )
    assert results["low vix"][0] == "passed"
    assert results["given both"][0] == "passed"


def test_set_and_regime_expectations(tmp_path: Path) -> None:
    results = _results(
        tmp_path,
        'test "cap raised":\n    given vix_rsi = 65, iv_rv_ratio = 2x\n    set cap = 70\n'
        "    expect e holds\n"
        'test "wrong regime":\n    given vix = 30\n    expect regime calm\n',
    )
    assert results["cap raised"][0] == "passed"
    assert results["wrong regime"][1] == [("regime calm", "regime stressed")]


def test_contracts_need_the_account(tmp_path: Path) -> None:
    results = _results(
        tmp_path,
        'test "sized":\n    given vix_rsi = 65, iv_rv_ratio = 2x, capital = 1000000$\n'
        "    expect e opens 2\n"
        'test "not firing":\n    given vix_rsi = 40\n    expect e opens 2\n',
    )
    assert results["sized"][0] == "passed"
    assert results["not firing"][1] == [("e opens 2", "e opens nothing (holds)")]


def test_holdings_from_a_spec_tag_the_rule_and_price_at_the_close(tmp_path: Path) -> None:
    # Opened at the day's close, then `given vix = 12` marks it at a volatility crush.
    results = _results(
        tmp_path,
        'test "crush":\n    given vix = 12\n'
        "    holding e: iron_condor dte 30d delta 16delta wings 50pt contracts 2\n"
        "    expect take fires\n    expect hedge fires\n    expect short_vega held\n"
        'test "no move":\n'
        "    holding e: iron_condor dte 30d delta 16delta wings 50pt contracts 20\n"
        "    expect take holds\n    expect short_vega breached\n"
        'test "someone else\'s":\n'
        "    holding other: iron_condor dte 30d delta 16delta wings 50pt\n"
        "    expect take holds\n    expect hedge holds\n",
    )
    assert {name: r[0] for name, r in results.items()} == {
        "crush": "passed",
        "no move": "passed",
        "someone else's": "passed",
    }, results


def test_holdings_from_legs(tmp_path: Path) -> None:
    results = _results(
        tmp_path,
        'test "sold high":\n'
        "    holding e: leg -1 spx put strike 5000 expiring 30d at 80 "
        "leg 1 spx put strike 4950 expiring 30d\n"
        "    expect take fires\n"
        'test "a future and a dated option":\n'
        "    holding e: leg 1 vx expiring 2024-09-18 leg -1 vix call strike 25 "
        "expiring 2024-09-18 at 0.5\n"
        "    expect take holds\n",
    )
    assert results["sold high"][0] == "passed", results
    assert results["a future and a dated option"][0] == "passed", results


@pytest.mark.parametrize(
    ("holding", "message"),
    [
        ("leg -1 spx put strike 5000 expiring 2020-01-17", "cannot build the holding"),
        ("leg -1 spx put strike cap * 0 expiring 30d", "cannot build the holding"),
    ],
)
def test_holdings_that_cannot_be_built_are_errors(
    tmp_path: Path, holding: str, message: str
) -> None:
    results = _results(tmp_path, f'test "bad":\n    holding e: {holding}\n    expect take holds\n')
    status, _, got = results["bad"]
    assert status == "error" and message in got


def test_resizes_compares_the_count_a_resize_brings_its_target_to(tmp_path: Path) -> None:
    # `size contracts 4` on the held condors: 1 held is resized to 4, and a roll that holds
    # resizes nothing.
    file = tmp_path / "rules.alvh"
    file.write_text(
        "entry e:\n    when vix > 99\n    open iron_condor dte 30d delta 16delta wings 50pt\n"
        "    size contracts 4\n"
        "roll fit on e:\n    when vix < cap\n    resize\n"
        "param cap = 90\n"
        'test "up":\n    holding e: iron_condor dte 30d delta 16delta wings 50pt contracts 1\n'
        "    expect fit resizes 4\n"
        'test "wrong count":\n'
        "    holding e: iron_condor dte 30d delta 16delta wings 50pt contracts 1\n"
        "    expect fit resizes 3\n"
        'test "holds":\n    set cap = 1\n'
        "    holding e: iron_condor dte 30d delta 16delta wings 50pt contracts 1\n"
        "    expect fit resizes 4\n"
    )
    report = run_paths([file])
    assert not report.diagnostics, report.diagnostics
    results = {r.case.name: [(m.expected, m.got) for m in r.mismatches] for r in report.results}
    assert results == {
        "up": [],
        "wrong count": [
            (
                "fit resizes 3",
                "fit resizes 4 (resize e from 1 to 4 contracts (buy 3): 4 contracts as written)",
            )
        ],
        "holds": [("fit resizes 4", "fit resizes nothing (holds)")],
    }


def test_a_wrong_count_shows_the_sizing_or_why_there_is_none(tmp_path: Path) -> None:
    # "+ got e opens 0" said nothing of why; the action's words say it
    results = _results(
        tmp_path,
        'test "sized":\n    given vix_rsi = 65, iv_rv_ratio = 2x, capital = 1000000$\n'
        "    expect e opens 99\n",
    )
    [(expected, got)] = results["sized"][1]
    assert expected == "e opens 99"
    assert got.startswith("e opens 2 (risk 10,000$ / max loss ") and got.endswith(" = 2)")


def test_a_holding_that_cannot_be_built_says_why_in_one_line(tmp_path: Path) -> None:
    # the model's error ran over four lines, with "1 validation error for Leg" and a link
    results = _results(
        tmp_path,
        'test "expired":\n    holding e: leg -1 spx put strike 5000 expiring 2020-01-17\n'
        "    expect take holds\n",
    )
    status, _, message = results["expired"]
    assert status == "error"
    assert message == (
        "cannot build the holding: expiry 2020-01-17 is in the past (as of 2024-08-09)"
    )


AGED = """ruleset "aged"
param delay = 17d in 15d .. 20d
entry e:
    when vix > 0
roll leave on e:
    when position.days_held >= delay
    close
"""


def _aged(tmp_path: Path, tests: str) -> dict[str, tuple[str, str]]:
    file = tmp_path / "aged.alvh"
    file.write_text(AGED + tests)
    report = run_paths([file])
    assert not report.diagnostics, report.diagnostics
    return {r.case.name: (r.status, r.message) for r in report.results}


def test_held_sets_the_days_held_of_a_holding_and_its_absence_is_0(tmp_path: Path) -> None:
    spec = "iron_condor dte 30d delta 16delta wings 50pt"
    legs = "leg -1 spx put strike 5000 expiring 30d leg 1 spx put strike 4950 expiring 30d"
    results = _aged(
        tmp_path,
        f'test "new":\n    holding e: {spec}\n    expect leave holds\n'
        f'test "16 days":\n    holding e: {spec} held 16d\n    expect leave holds\n'
        f'test "17 days":\n    holding e: {spec} held 17d\n    expect leave fires\n'
        f'test "legs, 17 days":\n    holding e: {legs} held 17d\n    expect leave fires\n'
        f'test "a param":\n    set delay = 20d\n    holding e: {spec} held delay\n'
        "    expect leave fires\n"
        f'test "a param, a day short":\n    set delay = 20d\n'
        f"    holding e: {spec} held delay - 1d\n"
        "    expect leave holds\n",
    )
    assert all(status == "passed" for status, _ in results.values()), results


def test_held_computed_to_a_part_of_a_day_is_an_error_at_the_clause(tmp_path: Path) -> None:
    results = _aged(
        tmp_path,
        'test "half":\n    set delay = 17.5d\n'
        "    holding e: iron_condor dte 30d delta 16delta wings 50pt held delay\n"
        "    expect leave fires\n",
    )
    status, message = results["half"]
    assert status == "error"
    assert message == "a position is held a whole number of days, 0d or more; not 17.5d"
