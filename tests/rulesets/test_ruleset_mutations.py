"""A ruleset test that cannot fail does not count: each mutation below changes one
threshold in a copy of the shipped rulesets, and some ruleset test must then fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruleset_paths import RULESETS

from alvh_rules.testing.runner import run_paths

# (file, original text, mutated text, the test file that must catch it)
MUTATIONS = [
    pytest.param(
        "common/market.alvh",
        "param vix_rsi_trigger = 60",
        "param vix_rsi_trigger = 70",
        "modules/vix_hedges.test.alvh",
        id="param-default-vix-rsi-trigger",
    ),
    pytest.param(
        "modules/vix_hedges.alvh",
        "param hedge_share = 50% in 40% .. 60%",
        "param hedge_share = 45% in 40% .. 60%",
        "modules/vix_hedges.test.alvh",
        id="param-default-hedge-share",
    ),
    pytest.param(
        "modules/vega_layers.alvh",
        "when core_condor.days_held >= second_layer_delay  # L10: 15-20 days",
        "when core_condor.days_held <= second_layer_delay  # L10: 15-20 days",
        "modules/vega_layers.test.alvh",
        id="operator-second-layer-age",
    ),
    pytest.param(
        "modules/vega_layers.alvh",
        "when core_condor.days_held >= second_layer_delay  # L10: 15-20 days",
        "when core_condor.days_held > second_layer_delay  # L10: 15-20 days",
        "modules/vega_layers.test.alvh",
        id="boundary-second-layer-age",  # caught at a whole delay (20d, held 20 days)
    ),
    pytest.param(
        "modules/vega_layers.alvh",
        "when second_condor_layer.days_held >= second_layer_delay  # L10",
        "when second_condor_layer.days_held <= second_layer_delay  # L10",
        "modules/vega_layers.test.alvh",
        id="operator-third-layer-age",
    ),
    pytest.param(
        "modules/rolls.alvh",
        "when position.profit >= take_profit_share of position.max_profit  # O2",
        "when position.profit > take_profit_share of position.max_profit  # O2",
        None,
        id="operator-take-profit-boundary-not-caught",
    ),
    pytest.param(
        "modules/vega_layers.alvh",
        "param max_pcf = 12x",
        "param max_pcf = 14x",
        "modules/vega_layers.test.alvh",
        id="number-pcf-ceiling",
    ),
    pytest.param(
        "common/market.alvh",
        "param mcap_gdp_extreme_level = 150%",
        "param mcap_gdp_extreme_level = 190%",
        "modules/vega_layers.test.alvh",
        id="number-market-cap-extreme",
    ),
    pytest.param(
        "fixed_rr.alvh",
        "param fixed_stop_loss_multiple = 2x",
        "param fixed_stop_loss_multiple = 3x",
        "fixed_rr.test.alvh",
        id="number-fixed-stop-loss",
    ),
]


@pytest.mark.parametrize(("file", "original", "mutated", "test_file"), MUTATIONS)
def test_a_mutated_threshold_fails_some_test(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file: str,
    original: str,
    mutated: str,
    test_file: str | None,
) -> None:
    copy = tmp_path / "rulesets"
    shutil.copytree(RULESETS, copy, ignore=shutil.ignore_patterns("examples"))
    target = copy / file
    text = target.read_text()
    assert text.count(original) == 1, f"{original!r} must appear once in {file}"
    target.write_text(text.replace(original, mutated))
    monkeypatch.chdir(tmp_path)
    if test_file is None:
        # A mutation exactly on a boundary no test sits on: documented, not hidden.
        report = run_paths(["rulesets/modules/rolls.test.alvh"])
        assert report.ok
        return
    report = run_paths([f"rulesets/{test_file}"])
    assert not report.diagnostics
    failed = [r.case.name for r in report.results if r.status == "failed"]
    assert failed, f"no test caught {mutated!r}"


def test_the_unmutated_copy_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: the same copy, unchanged, passes (so failures above come from the change)."""
    shutil.copytree(RULESETS, tmp_path / "rulesets", ignore=shutil.ignore_patterns("examples"))
    monkeypatch.chdir(tmp_path)
    report = run_paths(["rulesets/modules/vix_hedges.test.alvh", "rulesets/fixed_rr.test.alvh"])
    assert report.ok and report.count("passed") >= 10
