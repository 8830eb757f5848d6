"""The editor's hover on a structure says how its wings may be written and what a condor at
50delta is: the hover reads `lang.builtins.STRUCTURES`, the table docs/language.md shows."""

from __future__ import annotations

from alvh_rules.lsp.hover import structure_hover


def test_the_condor_hover_names_percent_wings_and_the_butterfly() -> None:
    text = structure_hover("iron_condor")
    assert text is not None
    assert "`wings 5%`" in text and "iron butterfly" in text and "50delta" in text


def test_the_strangle_hover_names_the_straddle_at_50delta() -> None:
    text = structure_hover("short_strangle")
    assert text is not None and "at 50delta both at the 50-delta call's strike" in text
