"""What a new user met in `alvh sweep` in the session-9 audit (docs/reliability.md): a
walk-forward whose test period overlapped its training ran without a word, a misspelt
--metric was refused only after every point had run, and the tables showed money and
returns as `1e+05` and `0.456`."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sweep_workloads import QUICKSTART

import alvh_rules.cli.sweep_command as sweep_command
from alvh_rules.cli.main import main
from alvh_rules.cli.sweep_view import figure_cell
from alvh_rules.market.history import History

BASE = [str(QUICKSTART), "--capital", "1000000", "--grid", "rsi_cap=50,60"]


@pytest.fixture(autouse=True)
def no_point_runs(demo_history: History, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The history loads once; any attempt to run the points is recorded (none may run)."""
    monkeypatch.setattr(History, "builtin", classmethod(lambda cls: demo_history))
    calls: list[Any] = []
    monkeypatch.setattr(sweep_command, "_execute", lambda *args: calls.append(args) or [])
    return calls


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["sweep", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def test_a_test_period_inside_the_training_is_refused(
    capsys: pytest.CaptureFixture[str], no_point_runs: list[Any]
) -> None:
    code, _, err = _run(
        capsys, *BASE, "--train", "2023-05-01..2024-01-31", "--test", "2024-01-02..2024-08-09"
    )
    assert code == 2 and "--test 2024-01-02..2024-08-09 must start after --train ends" in err
    assert no_point_runs == []


def test_a_misspelt_metric_stops_before_any_point_runs(
    capsys: pytest.CaptureFixture[str], no_point_runs: list[Any]
) -> None:
    code, _, err = _run(capsys, *BASE, "--metric", "sharp")
    assert code == 2 and "no figure named 'sharp'" in err and "did you mean 'sharpe'" in err
    assert no_point_runs == []


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("capital", 1e5, "100,000 $"),
        ("cagr", 0.456, "45.60%"),
        ("max_drawdown", -0.1851, "-18.51%"),
        ("sharpe", 0.90761, "0.9076"),
        ("fires_base_condor", 12.0, "12"),
    ],
)
def test_figures_show_in_the_backtests_units(name: str, value: float, shown: str) -> None:
    assert figure_cell(value, name) == shown


# --- the Python API: what every point would refuse is refused once, before any point runs -----


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"capital": 0}, "capital must be a positive finite number of dollars, not 0"),
        ({"capital": "1e6"}, "capital must be a positive finite number of dollars, not str"),
        ({"capital": 1e6, "risk_budget": -1}, "risk_budget must be a finite number of dollars"),
        ({"capital": 1e6, "options": {"slipage": 1.0}}, "no backtest option named 'slipage'"),
        ({"capital": 1e6, "options": {"fees": -1}}, "fees must be a finite number of dollars"),
    ],
)
def test_bad_settings_stop_the_sweep_before_it_runs(
    demo_history: History, options: dict[str, Any], message: str
) -> None:
    """Each was an error row per point, after the cluster had run them all."""
    from alvh_rules.sweeping.api import sweep
    from alvh_rules.sweeping.space import SpaceError

    with pytest.raises(SpaceError, match=re.escape(message)):
        sweep(QUICKSTART, demo_history, {"rsi_cap": "50,60"}, **options)


def test_a_misspelt_metric_or_a_history_path_stop_the_sweep(demo_history: History) -> None:
    from alvh_rules.sweeping.api import sweep, walk_forward
    from alvh_rules.sweeping.ranking import MetricError
    from alvh_rules.sweeping.space import SpaceError

    with pytest.raises(MetricError, match="did you mean 'sharpe'"):
        sweep(QUICKSTART, demo_history, {"rsi_cap": "50,60"}, metric="sharp", capital=1e6)
    with pytest.raises(SpaceError, match="history must be a History"):
        sweep(QUICKSTART, "../shared/data", {"rsi_cap": "50,60"}, capital=1e6)  # type: ignore[arg-type]
    with pytest.raises(SpaceError, match="test start 'soon' is not a date"):
        walk_forward(
            QUICKSTART,
            demo_history,
            {"rsi_cap": "50,60"},
            train=("2023-05-01", "2023-12-29"),  # type: ignore[arg-type]
            test=("soon", "2024-08-09"),  # type: ignore[arg-type]
            capital=1e6,
        )


@pytest.mark.parametrize(
    ("grid", "options", "message"),
    [
        (
            {"rsi_cap": None},
            {},
            "give LOW..HIGH:COUNT, V1,V2,... or a list of values, not NoneType",
        ),
        ([("rsi_cap", "50,60")], {}, "the grid is a mapping of param names to values"),
        (None, {"random": "5", "params": ["rsi_cap"]}, "--random '5': give a whole number"),
        (None, {"random": 5, "params": ["rsi_cap"], "seed": "x"}, "--seed 'x': give a whole"),
    ],
)
def test_a_search_space_of_the_wrong_type_is_a_space_error(
    demo_history: History, grid: Any, options: dict[str, Any], message: str
) -> None:
    """Each was a TypeError or AttributeError from inside the space or numpy."""
    from alvh_rules.sweeping.api import plan_sweep
    from alvh_rules.sweeping.space import SpaceError

    with pytest.raises(SpaceError, match=re.escape(message)):
        plan_sweep(QUICKSTART, demo_history, grid, capital=1e6, **options)


def test_a_number_is_one_grid_value_and_params_may_be_comma_text(demo_history: History) -> None:
    """`params="rsi_cap"` was read letter by letter: `no param named 'r'`."""
    from alvh_rules.sweeping.api import plan_sweep

    one = plan_sweep(QUICKSTART, demo_history, {"rsi_cap": 55}, capital=1e6)
    assert [dict(point) for point in one.space.points] == [{"rsi_cap": 55.0}]
    drawn = plan_sweep(
        QUICKSTART, demo_history, random=3, params="rsi_cap, roe_floor", seed=1, capital=1e6
    )  # type: ignore[arg-type]
    assert drawn.space.names == ("rsi_cap", "roe_floor") and len(drawn.space.points) == 3


def test_a_results_folder_whose_parts_folder_is_a_symlink_is_refused(tmp_path: Any) -> None:
    from alvh_rules.sweeping.store import ResultStore, StoreError

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "points").symlink_to(elsewhere)
    with pytest.raises(StoreError, match="is a symlink or not a folder"):
        ResultStore(out)
    assert list(elsewhere.iterdir()) == []


def test_a_report_path_that_is_a_symlink_is_refused_before_any_point(
    capsys: pytest.CaptureFixture[str], no_point_runs: list[Any], tmp_path: Any
) -> None:
    victim = tmp_path / "victim.html"
    victim.write_text("keep me")
    (tmp_path / "sweep.html").symlink_to(victim)
    code, _, err = _run(capsys, *BASE, "--report", str(tmp_path / "sweep.html"))
    assert code == 2 and "sweep.html: is a symlink; nothing written" in err
    assert no_point_runs == [] and victim.read_text() == "keep me"


def test_a_sweep_says_which_days_lack_the_data_a_valuation_needs(demo_history: History) -> None:
    import copy
    import datetime as dt

    from alvh_rules.cli.sweep_command import gap_lines

    history = copy.copy(demo_history)  # the session's history stays whole
    history.daily = demo_history.daily.copy()
    history.daily.loc["2024-07-10":"2024-07-12", "vix"] = float("nan")
    july = (dt.date(2024, 7, 1), dt.date(2024, 7, 31))
    assert gap_lines(history, [july]) == [
        "data: vix has no value on 3 of 22 trading days (from 2024-07-10 to 2024-07-12): "
        "nothing opens on those days and held positions keep their last marks"
    ]
    june = (dt.date(2024, 6, 3), dt.date(2024, 6, 28))
    lines = gap_lines(history, [june, july])
    assert len(lines) == 1 and lines[0].startswith("data (2024-07-01..2024-07-31): vix has")
