"""What goes to a worker and comes back: the checked ruleset and the history survive pickling
(the checker's id-keyed tables are re-keyed), point keys are stable across processes and
change with anything that changes a result, and a failing run becomes a row with its error."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sweep_workloads import QUICKSTART, failing_at_55

from alvh_rules.check.ruleset import Ruleset, load
from alvh_rules.eval.replay import replay
from alvh_rules.market.history import History
from alvh_rules.sweeping import points
from alvh_rules.sweeping.points import (
    BacktestUnavailable,
    PointTask,
    Settings,
    evaluate_point,
    figures,
    point_key,
    run_point,
)
from alvh_rules.sweeping.store import ResultStore, StoreError

FLAGSHIP = QUICKSTART.parents[1] / "alvh_vega_layering_roa.alvh"


@pytest.mark.parametrize("path", [QUICKSTART, FLAGSHIP], ids=["quickstart", "flagship"])
def test_a_pickled_ruleset_replays_as_the_original(path: Path, demo_history: History) -> None:
    ruleset = load(path)
    copy = pickle.loads(pickle.dumps(ruleset))
    assert copy.content_hash == ruleset.content_hash
    assert len(copy.program.references) == len(ruleset.program.references)
    pd.testing.assert_frame_equal(replay(copy, demo_history), replay(ruleset, demo_history))


def test_a_pickled_history_holds_the_same_data(demo_history: History) -> None:
    copy = pickle.loads(pickle.dumps(demo_history))
    pd.testing.assert_frame_equal(copy.daily, demo_history.daily)
    day = demo_history.index[-5].date()
    assert copy.snapshot(day).model_dump_json() == demo_history.snapshot(day).model_dump_json()


CONTEXT = {"ruleset": "abc", "data": ["2023-04-06", "2024-08-09", 338], "runner": "r"}


def test_point_keys_are_the_same_in_another_process() -> None:
    here = point_key({"rsi_cap": 55.0, "roe_floor": 0.1}, dt.date(2024, 1, 2), None, CONTEXT)
    code = (
        "import datetime as dt; from alvh_rules.sweeping.points import point_key; "
        f"print(point_key({{'roe_floor': 0.1, 'rsi_cap': 55.0}}, dt.date(2024, 1, 2), None, "
        f"{CONTEXT!r}))"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    there = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    assert there.stdout.strip() == here


def test_point_keys_change_with_params_period_and_context() -> None:
    base = point_key({"rsi_cap": 55.0}, None, None, CONTEXT)
    assert point_key({"rsi_cap": 56.0}, None, None, CONTEXT) != base
    assert point_key({"rsi_cap": 55.0}, dt.date(2024, 1, 2), None, CONTEXT) != base
    assert point_key({"rsi_cap": 55.0}, None, None, {**CONTEXT, "ruleset": "abd"}) != base
    assert point_key({"rsi_cap": 55.0}, None, None, {**CONTEXT, "settings": 1}) != base


def test_a_failing_run_is_a_row_with_its_error(quickstart: Ruleset, demo_history: History) -> None:
    settings = Settings(1_000_000.0, 100_000.0)
    bad = evaluate_point(
        failing_at_55,
        quickstart,
        demo_history,
        PointTask("k1", {"rsi_cap": 55.0}, None, None),
        {},
        settings,
    )
    assert bad["error"] == "ZeroDivisionError: this point's run divides by zero"
    assert bad["rsi_cap"] == 55.0 and bad["run_seconds"] >= 0
    good = evaluate_point(
        failing_at_55,
        quickstart,
        demo_history,
        PointTask("k2", {"rsi_cap": 60.0}, None, None),
        {},
        settings,
    )
    assert good["error"] is None
    assert 0.0 <= good["fires_base_condor"] <= 1.0
    assert good["days"] == len(demo_history.index)


def test_only_numbers_of_a_summary_are_figures() -> None:
    summary = {"cagr": 0.07, "trades": 12, "max_drawdown_start": "2020-02-20", "x": float("inf")}
    assert figures(summary) == {"cagr": 0.07, "trades": 12.0, "x": figures({"x": 1e999})["x"]}
    assert set(figures(summary)) == {"cagr", "trades", "x"}


def test_without_a_backtest_the_seam_says_so(
    quickstart: Ruleset, demo_history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(points, "BACKTEST_EXPORT", "no_backtest_here")  # a build without one
    with pytest.raises(BacktestUnavailable, match="backtests are not available"):
        run_point(quickstart, demo_history, {}, None, None, Settings(1e6))


def test_store_combines_parts_and_keeps_each_key_once(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "out")
    store.write([{"key": "a", "x": 1.0, "error": None}, {"key": "b", "x": 2.0, "error": None}])
    store.write([{"key": "b", "x": 3.0, "error": None}, {"key": "c", "error": "E1"}])
    store.write([])
    (tmp_path / "out" / "points" / ".part-half-written.parquet.tmp").write_bytes(b"PAR1")
    frame = ResultStore(tmp_path / "out").read()
    assert list(frame["key"]) == ["a", "b", "c"]
    assert list(frame["x"].fillna(-1)) == [1.0, 2.0, -1]
    assert ResultStore(tmp_path / "out").finished_keys() == {"a", "b"}  # c failed: rerun
    assert len(list((tmp_path / "out" / "points").glob("part-*.parquet"))) == 2


def test_a_failed_point_run_again_keeps_its_success_or_latest_error(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "out")
    store.write([{"key": "a", "error": "OSError: disk"}, {"key": "b", "error": "E1"}])
    store.write([{"key": "a", "x": 5.0, "error": None}, {"key": "b", "error": "E2"}])
    store.write([{"key": "a", "error": "late duplicate"}])
    frame = store.read().set_index("key")
    assert frame.loc["a", "x"] == 5.0 and pd.isna(frame.loc["a", "error"])
    assert frame.loc["b", "error"] == "E2"
    assert store.finished_keys() == {"a"}


def test_store_refuses_a_file_and_a_broken_part(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a folder"):
        ResultStore(tmp_path / "file")
    store = ResultStore(tmp_path / "out")
    (tmp_path / "out" / "points" / "part-0.parquet").write_bytes(b"not parquet")
    with pytest.raises(StoreError, match=r"part-0\.parquet: not a readable Parquet part"):
        store.read()


def test_the_seam_passes_the_point_to_the_backtest(
    quickstart: Ruleset, demo_history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The contract the real backtest is wired to: positional (ruleset, history, start, end,
    params), keyword capital, risk_budget and the options; its `.summary` comes back."""
    import alvh_rules

    calls: list[tuple[Any, ...]] = []

    class Result:
        def __init__(self, summary: dict[str, Any]) -> None:
            self.summary = summary

    def recording_backtest(*args: Any, **kwargs: Any) -> Result:
        calls.append((*args, kwargs))
        return Result({"echo_rsi_cap": args[4]["rsi_cap"], "start": "2024-01-02"})

    monkeypatch.setattr(alvh_rules, "backtest", recording_backtest, raising=False)
    settings = Settings(5e5, 1e4, (("slippage", 0.05),))
    start = dt.date(2024, 1, 2)
    summary = run_point(quickstart, demo_history, {"rsi_cap": 61.0}, start, None, settings)
    assert figures(summary) == {"echo_rsi_cap": 61.0}
    (call,) = calls
    assert call[:5] == (quickstart, demo_history, start, None, {"rsi_cap": 61.0})
    assert call[5] == {"capital": 5e5, "risk_budget": 1e4, "slippage": 0.05}
