"""The limit re-check after an action values only the figures the limits read
(`session.figures_read_by_limits`): members and bare figure names, through lets."""

from __future__ import annotations

from collections.abc import Callable

from alvh_rules.check import Ruleset
from alvh_rules.eval.session import figures_read_by_limits, members_named

Make = Callable[[str], Ruleset]

ENTRY = """
entry core:
    require not held(core) or core.expected_irr > 10%
    open iron_condor dte 45d delta 16delta wings 25pt
    size contracts 1
"""
LIMITS = """
let stressed = core.projected_payoff
limit max_short_vega:
    portfolio.vega >= -1000$/vp * (capital / 100000$)
limit stress_floor:
    stressed >= -50000$
"""


def test_limits_read_members_and_bare_figures_through_lets(ruleset: Make) -> None:
    rules = ruleset(LIMITS + ENTRY)
    assert figures_read_by_limits(rules) == {"vega", "capital", "projected_payoff"}
    # the entry's members are the whole ruleset's, not the limits'
    assert "expected_irr" in members_named(rules)


def test_a_ruleset_without_limits_reads_no_figure_in_them(ruleset: Make) -> None:
    assert figures_read_by_limits(ruleset(ENTRY)) == set()
