"""Bad input to `alvh eval` and `alvh replay`: each a clear message naming what is wrong and
the right exit code (1 ruleset errors, 2 usage or data), never a traceback."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_support import FIXTURES, QUICKSTART, SHARED_DATA, Run

from alvh_rules.market import History


@pytest.fixture
def snapshot_payload(demo_history: History) -> dict[str, object]:
    snapshot = demo_history.snapshot("2024-08-09", capital=1e6, risk_budget=1e5, lookback=40)
    payload: dict[str, object] = json.loads(snapshot.model_dump_json())
    return payload


def write(path: Path, payload: object) -> Path:
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["eval", "replay"])
def test_unknown_ruleset_path(run: Run, command: str, tmp_path: Path) -> None:
    code, _, err = run(command, tmp_path / "nope.alvh")
    assert code == 2
    assert f"alvh {command}: {tmp_path / 'nope.alvh'}: no such file" in err
    code, _, err = run(command, tmp_path)
    assert code == 2 and "a folder, not a ruleset file" in err


@pytest.mark.parametrize("command", ["eval", "replay"])
def test_ruleset_with_errors_prints_diagnostics(run: Run, command: str) -> None:
    code, out, err = run(command, FIXTURES / "broken.alvh")
    assert code == 1
    assert "broken.alvh:2:28: error[ALVH101]: unknown name 'twelve_percent'" in err
    assert "   2 | regime steward: when roe > twelve_percent" in err
    assert "1 error; nothing was evaluated" in err
    assert out == ""


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("nope=3", "--set: no param named 'nope'"),
        ("roe_floor=20delta", "roe_floor is in %, not delta (got 20delta)"),
        ("roe_floor=25%", "roe_floor = 25% is outside its bounds 8% .. 20%"),
        # a bare 15 for a percent param is refused as the checker refuses it (ALVH215),
        # not compared with the bounds as 15.0 = 1500%
        (
            "roe_floor=15",
            "roe_floor = 15 has no unit but roe_floor is a percent: write 15% or 0.15%",
        ),
        ("profit_take=-0.5", "write -0.5% or -50%"),
        ("rsi_cap=abc", "rsi_cap = 'abc' is not a number such as 18%, 20delta or 45d"),
        ("rsi_cap", "--set 'rsi_cap': write NAME=VALUE"),
    ],
)
@pytest.mark.parametrize("command", ["eval", "replay"])
def test_bad_param_override(run: Run, command: str, setting: str, message: str) -> None:
    code, out, err = run(command, QUICKSTART, "--set", setting)
    assert code == 2
    assert message in err
    assert out == ""


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2030-01-02", "the history ends on 2024-08-09"),
        ("1999-01-04", "--date 1999-01-04 is before the history's first day 2023-04-06"),
        ("2024-08-10", "--date 2024-08-10 is not a trading day, and the history ends on"),
    ],
)
def test_date_outside_the_history(run: Run, simple: Path, day: str, message: str) -> None:
    code, out, err = run("eval", simple, "--date", day)
    assert code == 2
    assert message in err
    assert out == ""


def test_malformed_options_are_usage_errors(run: Run, simple: Path) -> None:
    code, _, err = run("eval", simple, "--date", "2024-13-01")
    assert code == 2 and "not a date (YYYY-MM-DD): '2024-13-01'" in err
    code, _, err = run("eval", simple, "--capital", "-5")
    assert code == 2 and "must be a finite amount above 0 dollars, got '-5'" in err
    code, _, err = run("eval", simple, "--capital", "lots")
    assert code == 2 and "not an amount of dollars: 'lots'" in err
    code, _, err = run("eval", simple, "--snapshot", "x.json", "--date", "2024-08-09")
    assert code == 2 and "--snapshot holds its own market state" in err


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("vix", -1, "Infinity"), "holds Infinity on line 1: JSON has no NaN or infinity"),
        (("vix", -1, "NaN"), "holds NaN on line 1: JSON has no NaN or infinity"),
        (("spx", -1, -5.0), "series_values.spx[39] (2024-08-09) = -5: a price must be positive"),
        (("vix", 3, 0.0), "series_values.vix[3] (2024-06-18) = 0: a price must be positive"),
    ],
)
def test_snapshot_with_bad_numbers(
    run: Run,
    simple: Path,
    tmp_path: Path,
    snapshot_payload: dict[str, object],
    edit: tuple[str, int, object],
    message: str,
) -> None:
    field, position, value = edit
    series = snapshot_payload["series_values"]
    assert isinstance(series, dict)
    series[field][position] = value
    text = json.dumps(snapshot_payload).replace('"Infinity"', "Infinity").replace('"NaN"', "NaN")
    path = tmp_path / "snapshot.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = run("eval", simple, "--snapshot", path)
    assert code == 2
    assert message in err
    assert out == ""


def test_snapshot_that_does_not_validate(
    run: Run, simple: Path, tmp_path: Path, snapshot_payload: dict[str, object]
) -> None:
    snapshot_payload["as_of"] = "yesterday"
    code, _, err = run("eval", simple, "--snapshot", write(tmp_path / "s.json", snapshot_payload))
    assert code == 2
    assert "--snapshot" in err and "as_of = 'yesterday'" in err
    snapshot_payload["as_of"] = "2024-08-09T16:00:00-04:00"
    snapshot_payload["capital"] = -10.0
    code, _, err = run("eval", simple, "--snapshot", write(tmp_path / "s.json", snapshot_payload))
    assert code == 2 and "capital = -10.0: must be a positive number of dollars" in err
    del snapshot_payload["series_values"]
    code, _, err = run("eval", simple, "--snapshot", write(tmp_path / "s.json", snapshot_payload))
    assert code == 2 and "s.json: series_values is missing (a required field)" in err
    assert "as_of" not in err  # the object around the missing field is not printed
    (tmp_path / "t.json").write_text("{not json", encoding="utf-8")
    code, _, err = run("eval", simple, "--snapshot", tmp_path / "t.json")
    assert code == 2 and "not JSON" in err
    code, _, err = run("eval", simple, "--snapshot", tmp_path / "absent.json")
    assert code == 2 and "absent.json: no such file" in err


def test_expired_position_in_snapshot_or_portfolio(
    run: Run, simple: Path, tmp_path: Path, snapshot_payload: dict[str, object]
) -> None:
    portfolio = json.loads((FIXTURES / "portfolio.json").read_text(encoding="utf-8"))
    portfolio["positions"][0]["legs"][2]["expiry"] = "2024-07-19"
    snapshot_payload["portfolio"] = portfolio
    code, _, err = run("eval", simple, "--snapshot", write(tmp_path / "s.json", snapshot_payload))
    assert code == 2
    assert "portfolio: positions.0.legs.2.expiry = 2024-07-19" in err
    assert "expired before 2024-08-09" in err
    code, _, err = run("eval", simple, "--portfolio", write(tmp_path / "p.json", portfolio))
    assert code == 2
    assert "positions.0.legs.2.expiry" in err and "is in the past (as of 2024-08-09)" in err


def test_portfolio_that_does_not_validate(run: Run, simple: Path, tmp_path: Path) -> None:
    portfolio = json.loads((FIXTURES / "portfolio.json").read_text(encoding="utf-8"))
    portfolio["positions"][0]["legs"][0]["strike"] = -4880
    code, _, err = run("eval", simple, "--portfolio", write(tmp_path / "p.json", portfolio))
    assert code == 2
    assert "--portfolio" in err and "positions.0.legs.0.strike = -4880" in err


@pytest.mark.parametrize("command", ["eval", "replay"])
def test_unreadable_data_folders(run: Run, command: str, tmp_path: Path) -> None:
    code, _, err = run(command, QUICKSTART, "--data", tmp_path / "absent")
    assert code == 2 and "absent: no such folder" in err
    code, _, err = run(command, QUICKSTART, "--data", FIXTURES / "portfolio.json")
    assert code == 2 and "not a folder" in err
    code, _, err = run(command, QUICKSTART, "--data", tmp_path)
    assert code == 2 and "no CSV files in the folder" in err


def test_data_folder_with_a_bad_cell_names_file_row_and_column(run: Run, tmp_path: Path) -> None:
    (tmp_path / "vix_daily.csv").write_text(
        "date,open,high,low,close\n2024-08-01,abc,19,17,18\n", encoding="utf-8"
    )
    code, _, err = run("eval", QUICKSTART, "--data", tmp_path)
    assert code == 2
    assert "vix_daily.csv, row 1, column 'open': not a number: 'abc'" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_data_file_without_read_permission(run: Run, tmp_path: Path) -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent")
    (tmp_path / "vix_daily.csv").write_bytes((SHARED_DATA / "vix_daily.csv").read_bytes())
    (tmp_path / "vix_daily.csv").chmod(0)
    code, _, err = run("eval", QUICKSTART, "--data", tmp_path)
    assert code == 2
    assert "vix_daily.csv" in err and "Permission denied" in err


def test_data_file_that_cannot_be_read_is_named(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "vix_daily.csv").write_text("date,close\n", encoding="utf-8")

    def refuse(cls: type[History], path: Path, **options: object) -> History:
        raise PermissionError(13, "Permission denied", str(Path(path) / "vix_daily.csv"))

    monkeypatch.setattr(History, "from_dir", classmethod(refuse))
    code, _, err = run("replay", QUICKSTART, "--data", tmp_path)
    assert code == 2
    assert f"cannot read {tmp_path / 'vix_daily.csv'}: Permission denied" in err


def test_capital_must_be_above_zero(run: Run, simple: Path) -> None:
    code, _, err = run("eval", simple, "--capital", "0")
    assert code == 2 and "must be a finite amount above 0 dollars, got '0'" in err
    code, out, _ = run("eval", simple, "--risk-budget", "0", "--capital", "1,000")
    assert code == 0 and "capital 1,000 $, risk budget 0 $" in out


def _reverse_dates(payload: dict[str, Any]) -> None:
    payload["dates"] = payload["dates"][::-1]


def _repeat_last_date(payload: dict[str, Any]) -> None:
    payload["dates"][-2] = payload["dates"][-1]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p["series_values"].pop("vix"), "series_values.vix is missing"),
        (lambda p: p["series_values"].update(vix=5), "series_values.vix = 5: Value error, must"),
        (lambda p: p["series_values"].update(vix=None), "series_values.vix = None: Value error"),
        (lambda p: p["series_values"].update(vix={"a": 1}), "series_values.vix = {'a': 1}"),
        (lambda p: p["series_values"].update(vix=[True]), "series_values.vix = [True]"),
        (lambda p: p["series_values"].update(vics=[]), "series_values.vics is not a market field"),
        (lambda p: p.update(dates=5), "dates = 5: Value error, must be a list of dates"),
        (lambda p: p.update(dates=[[1]]), "dates = [[1]]: Value error, must be a list of dates"),
        (_reverse_dates, "dates[1] = 2024-08-08 comes before dates[0] = 2024-08-09"),
        (_repeat_last_date, "dates[39] = 2024-08-09 repeats dates[38] = 2024-08-09"),
        (
            lambda p: p["series_values"]["vix"].__setitem__(-1, 1e300),
            "series_values.vix[39] (2024-08-09) = 1e+300: outside the plausible range 1..300",
        ),
        (
            lambda p: p["series_values"]["risk_free"].__setitem__(-1, -1_000_000),
            "series_values.risk_free[39] (2024-08-09) = -1e+06: outside the plausible range",
        ),
    ],
)
def test_snapshot_of_the_wrong_shape_names_the_field(
    run: Run,
    simple: Path,
    tmp_path: Path,
    snapshot_payload: dict[str, Any],
    damage: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    damage(snapshot_payload)
    code, out, err = run("eval", simple, "--snapshot", write(tmp_path / "s.json", snapshot_payload))
    assert code == 2 and out == ""
    assert message in err


def test_snapshot_nested_too_deeply_is_refused(run: Run, simple: Path, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"as_of": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    code, _, err = run("eval", simple, "--snapshot", path)
    assert code == 2 and "deep.json: JSON nested too deeply" in err


def test_a_fifo_as_snapshot_is_refused(run: Run, simple: Path, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    code, _, err = run("eval", simple, "--snapshot", tmp_path / "pipe.json")
    assert code == 2 and "pipe.json: cannot read it: not a regular file (a FIFO)" in err


@pytest.mark.parametrize("close", ["inf", "1e400", "1e300"])
def test_an_implausible_vix_close_is_unknown_in_eval_not_used(
    run: Run, tmp_path: Path, close: str
) -> None:
    (tmp_path / "vix_daily.csv").write_text(
        "date,open,high,low,close\n2024-07-01,12,13,11,12.5\n2024-07-02,12.5,13,12,12.2\n"
        f"2024-07-03,12.2,13,12,12.8\n2024-07-05,12.8,14,12,{close}\n",
        encoding="utf-8",
    )
    ruleset = tmp_path / "v.alvh"
    ruleset.write_text(
        'ruleset "v"\nentry e:\n    when vix > 20\n'
        "    open iron_condor dte 45d delta 16delta wings 25pt\n    size contracts 1\n",
        encoding="utf-8",
    )
    code, out, _ = run("eval", ruleset, "--data", tmp_path, "--date", "2024-07-05")
    assert code == 0
    assert "unknown: when vix > 20 is unknown" in out
    assert "vix has no value on 2024-07-05" in out
