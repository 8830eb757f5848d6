"""Portfolio sums see every held position: a limit on portfolio.vega that each short-vega
position alone keeps is breached by all of them together (issue 15, item 7)."""

from __future__ import annotations

from pathlib import Path

from alvh_rules.testing import run_paths

RULESET = """\
ruleset "sums"
limit max_short_vega:
    portfolio.vega >= -700$/vp
entry condor:
    open iron_condor dte 30d delta 16delta wings 25pt
entry strangle:
    open short_strangle dte 30d delta 10delta
entry put_write:
    open short put dte 30d delta 30delta

test "alone: condor":
    holding condor: iron_condor dte 30d delta 16delta wings 25pt contracts 1
    expect max_short_vega held
test "alone: strangle":
    holding strangle: short_strangle dte 30d delta 10delta contracts 1
    expect max_short_vega held
test "alone: put":
    holding put_write: short put dte 30d delta 30delta contracts 1
    expect max_short_vega held
test "all":
    holding condor: iron_condor dte 30d delta 16delta wings 25pt contracts 1
    holding strangle: short_strangle dte 30d delta 10delta contracts 1
    holding put_write: short put dte 30d delta 30delta contracts 1
    expect max_short_vega breached
"""


def test_a_vega_limit_sees_every_short_vega_rule(tmp_path: Path) -> None:
    path = tmp_path / "sums.alvh"
    path.write_text(RULESET, encoding="utf-8")
    report = run_paths([str(path)])
    assert report.ok and report.count("passed") == 4
