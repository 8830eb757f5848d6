"""`open ... expiry monthly|weekly` and constant `dte` bounds in the checker: located errors."""

from __future__ import annotations

from alvh_rules.check import check_text


def _errors(body: str) -> list[tuple[str, str, str]]:
    report = check_text(f'ruleset "x"\n{body}', "x.alvh")
    return [(d.code, str(d.span), d.message) for d in report.diagnostics]


def test_weekly_spx_and_monthly_vix_are_clean() -> None:
    assert (
        _errors("entry a:\n    open iron_condor dte 7d delta 10delta wings 25pt expiry weekly\n")
        == []
    )
    assert _errors("entry b:\n    open long vix_call dte 60d strike atm + 5 expiry monthly\n") == []


def test_weekly_vix_is_refused_where_written() -> None:
    errors = _errors("entry b:\n    open long vix_call dte 60d strike atm + 5 expiry weekly\n")
    assert errors == [
        ("ALVH213", "x.alvh:3:47", "vix_call has monthly expiries only; drop `expiry weekly`")
    ]


def test_a_constant_dte_past_every_listing_is_located() -> None:
    errors = _errors("entry a:\n    open iron_condor dte 400d delta 16delta wings 25pt\n")
    assert errors == [("ALVH213", "x.alvh:3:26", "`dte 400d` is beyond every listed SPX expiry")]
    assert _errors("entry a:\n    open iron_condor dte 366d delta 16delta wings 25pt\n") == []
    vix = _errors("entry b:\n    open long vix_future dte 281d\n")
    assert [code for code, _, _ in vix] == ["ALVH213"]
