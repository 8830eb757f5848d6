"""The shipped demo set is what `write_demo` builds from ../shared/data: deterministic, labelled."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alvh_rules.market import History
from alvh_rules.market.demo import demo_folder, write_demo


def test_demo_files_are_reproducible(shared_data: Path, tmp_path: Path) -> None:
    write_demo(shared_data, tmp_path)
    with demo_folder() as shipped:
        names = sorted(p.name for p in shipped.glob("*.csv"))
        assert names == sorted(p.name for p in tmp_path.glob("*.csv"))
        for name in names:
            assert (shipped / name).read_text() == (tmp_path / name).read_text(), name


def test_every_synthetic_row_is_labelled() -> None:
    with demo_folder() as shipped:
        spx = pd.read_csv(shipped / "spx_daily.csv")
    synthetic = spx["source"].str.startswith("synthetic")
    assert synthetic.sum() == 330
    assert spx.loc[~synthetic, "source"].str.startswith("real: ").all()
    assert spx.loc[~synthetic, "date"].tolist()[0] == "2024-07-31"


def test_demo_history_is_long_enough_for_200_day_average_and_macd(demo_history: History) -> None:
    from alvh_rules import indicators as ind

    spx = demo_history.daily["spx"]
    assert ind.sma(spx, 200).notna().sum() > 100
    assert ind.macd(spx)["signal"].notna().sum() > 250
    assert demo_history.report.count(reason_contains="no data for") == 0
