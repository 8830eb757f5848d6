"""The small front door: every public name resolves, and the Python API works end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

import alvh_rules


def test_every_public_name_resolves() -> None:
    for name in alvh_rules.__all__:
        assert getattr(alvh_rules, name) is not None
    with pytest.raises(AttributeError):
        _ = alvh_rules.no_such_name  # type: ignore[attr-defined]


def test_parse_load_evaluate_from_python(tmp_path: Path) -> None:
    source = (
        "entry calm_condor:\n    when vix < 25\n"
        "    open iron_condor dte 45d delta 16delta wings 25pt\n"
    )
    tree = alvh_rules.parse(source, "calm.alvh")
    assert tree.items[0].name.name == "calm_condor"  # type: ignore[union-attr]
    path = tmp_path / "calm.alvh"
    path.write_text(source, encoding="utf-8")
    ruleset = alvh_rules.load(path)
    from alvh_rules.market import History

    history = History.builtin()
    decision = alvh_rules.evaluate(
        ruleset, history.snapshot(history.index[-1].date()), overrides={"vix": 20.0}
    )
    assert decision.states == {"calm_condor": "fires"}
    with pytest.raises(alvh_rules.RulesetError) as caught:
        alvh_rules.parse("entry broken when vix > 1", "broken.alvh")
    assert caught.value.diagnostics[0].code == "ALVH012"
