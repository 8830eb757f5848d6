"""Constant `open`, `size contracts` and `roll forward` values no position can be built from
are errors at check time (they used to evaluate to another structure without a word: wings
of -25pt put the long strikes inside the shorts, a 50-delta condor crossed its shorts,
`dte 0d` opened the next monthly, `contracts 0` opened nothing); regimes without a fallback
warn (a day no condition holds has no regime)."""

from __future__ import annotations

import pytest

from alvh_rules.check import check_text


def _diagnostics(open_clause: str, size: str = "size contracts 1") -> list[tuple[str, str]]:
    source = f"entry e:\n    when vix > 20\n    {open_clause}\n    {size}\n"
    report = check_text(source, "ranges.alvh")
    return [(d.code, d.message) for d in report.diagnostics]


@pytest.mark.parametrize(
    ("open_clause", "message"),
    [
        ("open iron_condor dte 0d delta 16delta wings 25pt", "`dte 0d` cannot be opened"),
        ("open iron_condor dte -5d delta 16delta wings 25pt", "`dte -5d` cannot be opened"),
        ("open short put dte 30d delta -16delta", "`delta -16delta` cannot be opened"),
        ("open put dte 30d delta 0delta", "`delta 0delta` cannot be opened"),
        ("open put dte 30d delta 120delta", "`delta 120delta` cannot be opened"),
        ("open iron_condor dte 30d delta 16delta wings 0pt", "`wings 0pt` cannot be opened"),
        ("open iron_condor dte 30d delta 16delta wings -25pt", "`wings -25pt` cannot be opened"),
        ("open put_spread dte 30d delta 20delta width 0", "`width 0pt` cannot be opened"),
        (
            "open long vix_call_spread dte 60d strike atm + 2 width -5vp",
            "`width -5vp` cannot be opened",
        ),
        (
            "open iron_condor dte 30d delta 16delta wings 25pt outside -10pt",
            "`outside -10pt` cannot be opened",
        ),
        (
            "open iron_condor dte 30d delta 16delta wings 25pt contracts 0",
            "`contracts 0` cannot be opened",
        ),
        ("open iron_condor dte 30d delta 55delta wings 25pt", "short put above"),
        ("open short_strangle dte 30d delta 55delta", "short put above"),
        (
            "open iron_condor dte 30d delta 16delta wing_delta 16delta",
            "`wing_delta 16delta` is not further out than `delta 16delta`",
        ),
    ],
)
def test_an_open_that_cannot_be_built_is_an_error(open_clause: str, message: str) -> None:
    found = _diagnostics(open_clause)
    assert any(code == "ALVH213" and message in text for code, text in found), found


@pytest.mark.parametrize("amount", ["0", "-3", "2.5"])
def test_size_contracts_is_a_whole_number_of_one_or_more(amount: str) -> None:
    found = _diagnostics(
        "open iron_condor dte 30d delta 16delta wings 25pt", f"size contracts {amount}"
    )
    assert found == [("ALVH213", f"`size contracts {amount}` cannot be opened")]


@pytest.mark.parametrize(
    "open_clause",
    [
        "open iron_condor dte 1d delta 16delta wings 25pt expiry weekly",
        "open iron_condor dte 45d delta 49delta wing_delta 48delta outside 0pt",
        "open short put dte 30d delta 99delta",
        "open put_spread dte 30d delta 60delta width 5pt",
        "open long vix_call_spread dte 60d strike atm + 2 width 1vp",
        "open iron_condor dte 30d delta 16 wings 25pt contracts 3",
    ],
)
def test_the_edges_that_can_be_built_pass(open_clause: str) -> None:
    assert _diagnostics(open_clause) == []


def test_a_param_counts_with_its_upper_bound() -> None:
    # `--set short_delta=55delta` would cross the shorts: the bounds allow it, so it is refused
    source = (
        "param short_delta = 16delta in 10delta .. 55delta\n"
        "entry e:\n    when vix > 20\n"
        "    open iron_condor dte 30d delta short_delta wings 25pt\n    size contracts 1\n"
    )
    codes = [d.code for d in check_text(source, "ranges.alvh").diagnostics]
    assert codes == ["ALVH213"]


def test_a_value_from_market_data_is_not_judged_at_check_time() -> None:
    source = (
        "let wing_width = if vix > 30 then 50pt else 25pt\n"
        "entry e:\n    when vix > 20\n"
        "    open iron_condor dte 30d delta 16delta wings wing_width\n    size contracts 1\n"
    )
    assert check_text(source, "ranges.alvh").diagnostics == []


@pytest.mark.parametrize("days", ["0d", "-30d"])
def test_roll_forward_must_move_to_a_later_expiry(days: str) -> None:
    source = (
        "entry e:\n    when vix > 20\n    open vix_call dte 60d strike atm + 5\n"
        f"    size contracts 1\nroll r on e:\n    when vix < 15\n    roll forward {days}\n"
    )
    found = [(d.code, d.message) for d in check_text(source, "ranges.alvh").diagnostics]
    assert found == [("ALVH214", f"`roll forward {days}` does not move to a later expiry")]


def test_regimes_without_a_fallback_warn_on_the_last_regime() -> None:
    source = "regime calm: when vix < 15\nregime hot: when vix > 30\nentry e: when regime == calm\n"
    found = check_text(source, "regimes.alvh").diagnostics
    assert [(d.code, d.severity, d.span.line) for d in found] == [("ALVH405", "warning", 2)]
    with_fallback = source.replace("entry e", "regime other: otherwise\nentry e")
    assert check_text(with_fallback, "regimes.alvh").diagnostics == []


def test_each_arm_of_a_choice_of_constants_is_judged() -> None:
    # a mutation of the shipped condor (steward_wings = -25pt) checked cleanly: the wings
    # are chosen by regime from two params, and only a single constant was judged
    source = (
        "param steward_wings = -25pt\nparam promoter_wings = 50pt\n"
        "regime steward: when vix < 20vp\nregime promoter: otherwise\n"
        "entry e:\n    when vix > 20vp\n"
        "    open iron_condor dte 30d delta 16delta"
        " wings (steward: steward_wings, promoter: promoter_wings)[regime]\n"
        "    size contracts 1\n"
    )
    found = [(d.code, d.message) for d in check_text(source, "ranges.alvh").diagnostics]
    assert found == [("ALVH213", "`wings -25pt` cannot be opened")]
    assert check_text(source.replace("-25pt", "25pt"), "ranges.alvh").diagnostics == []


@pytest.mark.parametrize(
    ("size", "hint"),
    [
        ("size risk 1%", "a share of what? size risk 1% of capital"),
        ("size vega 50%", "a share of what? size vega 50% of -base_condor.vega"),
        ("size contracts 1%", ""),
    ],
)
def test_a_percent_as_a_sizing_amount_asks_a_share_of_what(size: str, hint: str) -> None:
    # the seeds write "risk 1%"; and `size contracts 1%` was also judged as 0.01 contracts
    found = _diagnostics("open iron_condor dte 30d delta 16delta wings 25pt", size)
    assert [code for code, _ in found] == ["ALVH213"]
    report = check_text(
        f"entry e:\n    when vix > 20\n    open iron_condor dte 30d delta 16delta wings 25pt\n"
        f"    {size}\n",
        "ranges.alvh",
    )
    assert report.diagnostics[0].hint == hint


def test_an_open_argument_of_the_wrong_unit_is_not_also_judged_by_its_value() -> None:
    found = _diagnostics("open iron_condor dte 30d delta 16delta wings 25pt contracts 1%")
    assert found == [("ALVH213", "`contracts` takes a plain number, not a percent")]


@pytest.mark.parametrize(
    "open_clause",
    [
        "open iron_condor dte 30d delta 50delta wings 50pt",  # an iron butterfly (Cboe BFLY)
        "open short_strangle dte 30d delta 50delta",  # a straddle by delta
    ],
)
def test_fifty_delta_sells_the_money_and_is_allowed(open_clause: str) -> None:
    found = _diagnostics(open_clause)
    assert not any(code == "ALVH213" for code, _ in found), found


@pytest.mark.parametrize(
    ("wings", "found"),
    [
        ("5%", []),  # Cboe BFLY's long call and put 5% out of the money
        ("500bp", []),  # basis points are a percent too
        ("0%", [("ALVH213", "`wings 0%` cannot be opened")]),
        ("-5%", [("ALVH213", "`wings -5%` cannot be opened")]),
        ("100%", [("ALVH213", "`wings 100%` cannot be opened")]),
        (
            "25vp",
            [
                (
                    "ALVH213",
                    "`wings` takes a number in SPX points (pt), not a number in vol points (vp)",
                )
            ],
        ),
        (
            "25d",
            [("ALVH213", "`wings` takes a number in SPX points (pt), not a number in days (d)")],
        ),
    ],
)
def test_wings_take_points_or_a_share_of_spot(wings: str, found: list[tuple[str, str]]) -> None:
    assert _diagnostics(f"open iron_condor dte 30d delta 50delta wings {wings}") == found


def test_a_wrong_unit_for_wings_names_both_units_it_takes() -> None:
    report = check_text(
        "entry e:\n    open iron_condor dte 30d delta 16delta wings 2x\n", "ranges.alvh"
    )
    (diagnostic,) = report.diagnostics
    assert (diagnostic.span.line, diagnostic.span.column) == (2, 50)
    assert diagnostic.hint == (
        "write the wings in SPX points (wings 25pt) or as a share of SPX (wings 5%)"
    )


def test_a_percent_param_for_wings_is_judged_by_its_upper_bound() -> None:
    source = (
        "param wing_share = 5% in 1% .. 120%\n"
        "entry e:\n    open iron_condor dte 30d delta 50delta wings wing_share\n"
        "    size contracts 1\n"
    )
    found = [(d.code, d.message) for d in check_text(source, "ranges.alvh").diagnostics]
    assert found == [("ALVH213", "`wings 120%` cannot be opened")]


def test_a_bare_number_for_wings_has_two_readings() -> None:
    """`wings 25` could be 25pt or 25% of SPX (both are wings traders write): ALVH215, as
    for every bare number with a second reading (docs/language.md, "Bare numbers")."""
    found = [
        (d.code, d.message, d.hint)
        for d in check_text(
            "param w = 5 in 1 .. 10\nentry e:\n    open iron_condor dte 30d delta 50delta wings 5\n"
            "    size contracts 1\nentry f:\n    open iron_condor dte 30d delta 50delta wings w\n"
            "    size contracts 1\n",
            "bare.alvh",
        ).diagnostics
    ]
    assert found == [
        (
            "ALVH215",
            "5 has no unit but `wings` takes SPX points or a share of SPX",
            "a bare number cannot say which: write 5pt or 5%",
        ),
        (
            "ALVH215",
            "the param 'w' (line 1) has no unit but is used as `wings`, which takes SPX "
            "points or a share of SPX",
            "give it its unit where it is declared: write 5pt or 5%",
        ),
    ]
