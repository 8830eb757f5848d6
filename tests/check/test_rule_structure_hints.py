"""A file gives its title and version once (a second `ruleset "..."` was silently taken
over the first), and a clause given twice gets a hint for that clause (a second `open` was
told to "join the conditions with and / or")."""

from __future__ import annotations

import pytest

from alvh_rules.check import check_text


@pytest.mark.parametrize(
    ("header", "what"),
    [('ruleset "a"\nruleset "b"\n', "title (`ruleset`)"), ("version 1\nversion 2\n", "`version`")],
)
def test_a_second_title_or_version_is_an_error(header: str, what: str) -> None:
    report = check_text(header + "entry e: when vix > 20vp\n", "h.alvh")
    found = [(d.code, d.span.line, d.message) for d in report.diagnostics]
    assert found == [("ALVH102", 2, f"the file already gives its {what} at h.alvh:1:1")]


@pytest.mark.parametrize(
    ("second", "hint"),
    [
        ("    when vix < 40vp\n", "join the conditions with `and` / `or`"),
        ("    open put dte 30d delta 16delta\n", "open another in a second entry or layer"),
        ("    size contracts 2\n", "combine amounts with min(...) or max(...)"),
    ],
)
def test_a_clause_given_twice_gets_a_hint_for_that_clause(second: str, hint: str) -> None:
    source = (
        "entry e:\n    when vix > 20vp\n    open iron_condor dte 30d delta 16delta wings 25pt\n"
        "    size contracts 1\n" + second
    )
    (diagnostic,) = check_text(source, "twice.alvh").diagnostics
    assert diagnostic.code == "ALVH402" and hint in diagnostic.hint
