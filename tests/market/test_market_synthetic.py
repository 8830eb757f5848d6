"""Synthetic values are labelled wherever a reason shows them: the demo set's made-up market
past and its stand-in ROA, P/CF, WACC and quick ratio, read from the files' `source` column."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest

from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History
from alvh_rules.market.demo import REAL_FROM, demo_folder
from alvh_rules.market.snapshot import MarketSnapshot

LAST_DEMO_DAY = dt.date(2024, 8, 9)
FIRST_REAL = dt.date.fromisoformat(REAL_FROM)
RULES = """ruleset "reads demo inputs"
version 1

entry reads:
    when roa > 1% and rsi(vix, 14) > 1 and spx > 1
    open iron_condor dte 45d delta 16delta wings 25pt
    size contracts 1
"""


def _days(history: History, field: str) -> list[dt.date]:
    _, mask = history.synthetic[field]
    return [d.date() for d in history.index[mask]]


def test_the_demo_inputs_are_synthetic_on_every_day(demo_history: History) -> None:
    for field in ("roa", "pcf", "wacc", "quick_ratio_fin"):
        label, mask = demo_history.synthetic[field]
        assert label.startswith("synthetic (seed")
        known = demo_history.daily[field].notna().to_numpy()
        assert np.array_equal(mask, known), field  # every day that has a value


def test_market_fields_are_synthetic_only_before_the_real_days(demo_history: History) -> None:
    for field in ("spx", "vix", "vix_f1", "advances"):
        days = _days(demo_history, field)
        assert max(days) < FIRST_REAL <= demo_history.index[-1].date(), field


def test_a_derived_value_is_synthetic_while_its_window_reaches_synthetic_rows(
    demo_history: History,
) -> None:
    # spx_rv20 reads 21 closes and the demo has 8 real sessions: synthetic to the end; the
    # A/D line is a running sum, so the synthetic past stays in it; the basis reads today.
    assert max(_days(demo_history, "vix_basis")) < FIRST_REAL
    assert max(_days(demo_history, "ad_line")) == LAST_DEMO_DAY
    assert max(_days(demo_history, "spx_rv20")) == LAST_DEMO_DAY


def test_real_data_has_nothing_synthetic(real_history: History) -> None:
    assert real_history.synthetic == {}


def test_a_user_file_labels_its_own_synthetic_rows(tmp_path: Path) -> None:
    with demo_folder() as shipped:
        shutil.copytree(shipped, tmp_path / "data")
    roa = tmp_path / "data" / "roa.csv"
    lines = roa.read_text().splitlines()
    # the trader's own file: the quarter in force at the end (published 2024-05-15) from the
    # filings, the rest made up
    lines[-2] = ",".join(lines[-2].split(",")[:3]) + ",company filings"
    roa.write_text("\n".join(lines) + "\n")
    history = History.from_dir(tmp_path / "data")
    _, mask = history.synthetic["roa"]
    assert mask.any() and not mask[-1]  # the filings' quarter is in force at the end


def test_the_snapshot_carries_the_labels_through_json(demo_history: History) -> None:
    snapshot = demo_history.snapshot(LAST_DEMO_DAY)
    assert snapshot.synthetic["roa"].on(LAST_DEMO_DAY)
    assert not snapshot.synthetic["vix"].on(LAST_DEMO_DAY)
    assert snapshot.synthetic["vix"].on(FIRST_REAL - dt.timedelta(days=1))
    again = MarketSnapshot.model_validate_json(snapshot.model_dump_json())
    assert again == snapshot and again.synthetic == snapshot.synthetic


def test_a_value_replaced_by_hand_is_no_longer_synthetic_on_that_day(
    demo_history: History,
) -> None:
    snapshot = demo_history.snapshot(LAST_DEMO_DAY).with_values({"roa": 0.11})
    roa = snapshot.synthetic["roa"]
    assert not roa.on(LAST_DEMO_DAY) and roa.on(LAST_DEMO_DAY - dt.timedelta(days=1))


def test_real_snapshots_serialise_as_before(real_history: History) -> None:
    snapshot = real_history.snapshot("2024-08-09")
    assert snapshot.synthetic == {} and '"synthetic"' not in snapshot.model_dump_json()


def _whys(decision_json: str) -> str:
    return decision_json.replace("\\n", " ")


@pytest.mark.parametrize(
    ("day", "vix_note"),
    [
        (LAST_DEMO_DAY, "its history up to 2024-07-30 is synthetic (seed 20240731"),
        (dt.date(2024, 3, 1), "the day's close, 16:00 ET; synthetic (seed 20240731"),
    ],
)
def test_the_reasons_say_which_values_are_synthetic(
    demo_history: History, tmp_path: Path, day: dt.date, vix_note: str
) -> None:
    path = tmp_path / "reads.alvh"
    path.write_text(RULES)
    decision = evaluate(path, demo_history.snapshot(day, capital=1e6))
    text = _whys(decision.model_dump_json())
    assert "roa on " + str(day) + " (the report date of the quarter; synthetic (seed" in text
    assert vix_note in text


def test_reasons_on_real_data_say_nothing_synthetic(real_history: History, tmp_path: Path) -> None:
    path = tmp_path / "reads.alvh"
    path.write_text(RULES.replace("roa > 1%", "roe > 1%"))
    decision = evaluate(path, real_history.snapshot("2024-08-09", capital=1e6))
    assert "synthetic" not in decision.model_dump_json()


def test_a_window_stays_synthetic_exactly_while_it_reaches_a_synthetic_row() -> None:
    from alvh_rules.market.synthetic import reaches_back

    mask = np.array([True, True, False, False, False, True, False, False])
    assert reaches_back(mask, 1).tolist() == mask.tolist()
    assert reaches_back(mask, 3).tolist() == [1, 1, 1, 1, 0, 1, 1, 1]
