"""What a new user met in the session-9 audit (docs/reliability.md, "New-user audit"): outputs
written through a planted symlink, API arguments of the wrong type failing deep in pandas,
a data folder whose VIX or T-bill stops inside the period without a word, stale figures in
docs/backtest.md, and the interest checked against the raw FRED file."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from backtest_support import FIXTURES, SHARED_DATA, summary_of_days
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.backtesting.api import Backtest, BacktestInputError, backtest, compare
from alvh_rules.backtesting.files import OUTPUT_NAMES, OutputError
from alvh_rules.backtesting.summary import figure_text
from alvh_rules.cli.main import main
from alvh_rules.market import History
from alvh_rules.market.coverage import field_gaps

HELD = FIXTURES / "held_condor.alvh"
NEVER = FIXTURES / "never.alvh"
DEMO_WINDOW = ("--start", "2024-07-01", "--end", "2024-07-31")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "backtest.md"


def _alvh(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in err, err
    return code, out, err


@pytest.fixture(scope="module")
def demo_run() -> Backtest:
    return backtest(HELD, History.builtin(), "2024-07-01", "2024-07-31", capital=100_000)


# --- outputs: nothing written outside the folder named -------------------------------------


def test_a_symlink_planted_in_the_out_folder_is_not_written_through(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").symlink_to(victim)
    code, _, err = _alvh(capsys, "backtest", NEVER, *DEMO_WINDOW, "--capital", "1e5", "--out", out)
    assert code == 2 and "summary.json: is a symlink; nothing written" in err, err
    assert victim.read_text() == "keep me\n"
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]  # nothing else either


def test_a_folder_where_an_output_goes_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "trades.csv").mkdir()
    code, _, err = _alvh(
        capsys, "backtest", NEVER, *DEMO_WINDOW, "--capital", "1e5", "--out", tmp_path
    )
    assert code == 2 and "trades.csv: exists and is not a regular file" in err, err


def test_out_below_a_file_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "run"
    code, _, err = _alvh(capsys, "backtest", NEVER, *DEMO_WINDOW, "--capital", "1e5", "--out", out)
    assert code == 2 and "not a folder (a part of the path is a file)" in err, err


def test_the_python_write_refuses_a_symlink_too(demo_run: Backtest, tmp_path: Path) -> None:
    victim = tmp_path / "victim.csv"
    victim.write_text("keep me\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "daily.csv").symlink_to(victim)
    with pytest.raises(OutputError, match=r"daily\.csv: is a symlink"):
        demo_run.write(out)
    assert victim.read_text() == "keep me\n"


def test_a_rerun_replaces_the_files_and_leaves_no_temporary_one(
    demo_run: Backtest, tmp_path: Path
) -> None:
    first = {p.name: p.read_bytes() for p in map(Path, demo_run.write(tmp_path))}
    (tmp_path / "summary.json").write_text("stale")
    again = demo_run.write(tmp_path)
    assert {p.name: p.read_bytes() for p in again} == first
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUT_NAMES)


# --- the command line's words --------------------------------------------------------------


def test_a_negative_capital_says_above_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """It said `a finite amount >= 0`, though 0 is refused too."""
    code, _, err = _alvh(capsys, "backtest", NEVER, "--capital", "-5")
    assert code == 2 and "must be a finite amount above 0 dollars, got '-5'" in err, err


def test_a_start_after_the_data_is_outside_the_data(capsys: pytest.CaptureFixture[str]) -> None:
    """It blamed an end the user never wrote: `--start 2030-01-02 is after end 2024-08-09`."""
    code, _, err = _alvh(capsys, "backtest", NEVER, "--capital", "1e5", "--start", "2030-01-02")
    assert code == 2 and "--start 2030-01-02 is outside the data" in err, err


# --- the Python API's arguments ------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"capital": "abc"}, "capital must be a positive finite number of dollars, not str 'abc'"),
        ({"capital": None}, "capital must be a positive finite number of dollars, not NoneType"),
        ({"capital": True}, "not bool True"),
        ({"capital": 1e5, "risk_budget": "x"}, "risk_budget must be a finite number of dollars"),
        ({"capital": 1e5, "slippage": None}, "slippage must be a finite number of dollars"),
        ({"capital": 1e5, "start": 20240701}, "start must be a date or YYYY-MM-DD text, not int"),
        ({"capital": 1e5, "params": [1, 2]}, "params must be a mapping"),
        ({"capital": 1e5, "smile": "rho=-0.6"}, "smile must be a SurfaceShape"),
        ({"capital": 1e5, "progress": 5}, "progress must be a function"),
    ],
)
def test_wrong_types_are_clear_input_errors(arguments: dict[str, Any], message: str) -> None:
    arguments = {"start": "2024-07-01", "end": "2024-07-10", **arguments}
    with pytest.raises(BacktestInputError, match=re.escape(message)):
        backtest(HELD, History.builtin(), **arguments)


@pytest.mark.parametrize(
    ("ruleset", "history", "message"),
    [
        (123, None, "ruleset must be a Ruleset or the path of a .alvh file, not int 123"),
        (HELD, 123, "history must be a History or the path of a data folder, not int 123"),
    ],
)
def test_a_ruleset_or_history_of_the_wrong_type(ruleset: Any, history: Any, message: str) -> None:
    with pytest.raises(BacktestInputError, match=re.escape(message)):
        backtest(ruleset, History.builtin() if history is None else history, capital=1e5)


def test_compare_given_one_path_asks_for_a_list() -> None:
    """A str is a sequence of letters: each was read as a ruleset file ('r:1:1: ALVH301')."""
    with pytest.raises(BacktestInputError, match="compare takes a list of rulesets"):
        compare(str(HELD), History.builtin(), capital=1e5)
    with pytest.raises(BacktestInputError, match="compare needs at least one ruleset"):
        compare([], History.builtin(), capital=1e5)  # it returned [] without a word


# --- data a period lacks -------------------------------------------------------------------


def test_field_gaps_name_the_field_the_count_and_the_days() -> None:
    history = History.builtin()
    history.daily = history.daily.copy()
    history.daily.loc["2024-07-10":"2024-07-12", "vix"] = math.nan
    gaps = field_gaps(
        history, ("spx", "vix", "no_such_field"), dt.date(2024, 7, 1), dt.date(2024, 7, 31)
    )
    assert [g.field for g in gaps] == ["vix", "no_such_field"]
    assert gaps[0].describe() == (
        "vix has no value on 3 of 22 trading days (from 2024-07-10 to 2024-07-12)"
    )
    assert gaps[1].missing == gaps[1].days == 22


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="real data folder absent")
def test_a_period_past_the_tbill_file_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    """The real DTB3 stops in 2026-03: from 2026-04-07 nothing can be valued, and the run
    opened nothing without a word (88 'not taken' rows in the trade log only)."""
    args = ("backtest", NEVER, "--data", SHARED_DATA, "--capital", "1e5")
    code, out, _ = _alvh(capsys, *args, "--start", "2026-04-01", "--end", "2026-04-10")
    assert code == 0
    assert "data: risk_free has no value on 4 of 7 trading days (from 2026-04-07 to" in out
    code, out, err = _alvh(capsys, *args, "--start", "2026-04-01", "--format", "json")
    assert code == 0 and '"end": "2026-04-06"' in out, out  # the default end: valued days
    assert "warning" not in err


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="real data folder absent")
def test_json_keeps_stdout_clean_and_warns_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("backtest", NEVER, "--data", SHARED_DATA, "--capital", "1e5", "--format", "json")
    code, out, err = _alvh(capsys, *args, "--start", "2026-04-01", "--end", "2026-04-10")
    assert code == 0 and out.lstrip().startswith("{")
    assert "alvh backtest: warning: data: risk_free has no value on 4 of 7" in err


# --- figures checked against the raw files and the docs ------------------------------------


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="real data folder absent")
def test_interest_uses_the_dtb3_print_known_at_the_previous_close() -> None:
    """From the raw FRED file: a day's DTB3 is published the next day, so the interest from
    close t-1 to close t uses the print of the session before t-1 (docs/backtest.md)."""
    history = History.from_dir(SHARED_DATA)
    run = backtest(NEVER, history, "2019-01-02", "2019-03-29", capital=1_000_000)
    raw = pd.read_csv(SHARED_DATA / "us_tbill_3m_daily_fred_DTB3.csv", parse_dates=["date"])
    raw = raw.set_index("date").iloc[:, 0].dropna() / 100
    daily = run.daily.set_index(pd.to_datetime(run.daily["date"]))
    for before, day in zip(daily.index[:-1], daily.index[1:], strict=True):
        discount = float(raw[raw.index < before].iloc[-1])
        rate = -math.log(1 - discount * 91 / 360) * 365 / 91
        expected = daily.at[before, "cash"] * (math.exp(rate * (day - before).days / 365) - 1)
        assert abs(daily.at[day, "interest"] - expected) < 1e-6, day


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="real data folder absent")
def test_the_summer_2019_figures_in_the_docs_are_measured() -> None:
    """docs/backtest.md's sentence on the README's quick-start backtest; it had gone stale
    (16 positions, 505,084 $, -0.72% from 2019-09-03) after the rulesets moved on."""
    text = " ".join(DOCS.read_text().split())
    found = re.search(
        r"opens (\d+) positions in (\d+) days, ends at ([\d,]+) \$ from 500,000 \$ \(([\d.]+)%, "
        r"of which ([\d,]+) \$ is interest\), with a maximum drawdown of −([\d.]+)% from "
        r"(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)",
        text,
    )
    assert found, "the sentence on the summer of 2019 is missing from docs/backtest.md"
    run = backtest(
        Path(__file__).resolve().parents[2] / "rulesets" / "examples" / "quickstart.alvh",
        History.from_dir(SHARED_DATA),
        "2019-06-03",
        "2019-09-30",
        capital=500_000,
        risk_budget=100_000,
    )
    summary = run.summary
    assert int(found[1]) == summary["trades"] and int(found[2]) == summary["days"]
    assert found[3] == f"{summary['final_equity']:,.0f}"
    assert found[4] == f"{100 * summary['total_return']:.2f}"
    assert found[5] == f"{summary['interest']:,.0f}"
    assert found[6] == f"{-100 * summary['max_drawdown']:.2f}"
    assert (found[7], found[8]) == (
        str(summary["max_drawdown_peak"]),
        str(summary["max_drawdown_trough"]),
    )


# --- the summary agrees with the daily table ----------------------------------------------


def _summary_of(equity: list[float], capital: float) -> dict[str, Any]:
    return summary_of_days(equity, capital)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.5, 1.5), min_size=1, max_size=30),
)
def test_max_drawdown_is_the_daily_columns_deepest(factors: list[float]) -> None:
    """The daily `drawdown` column starts from the capital; the summary started from the
    first day's equity, so a run losing from day one showed a 0% drawdown (and a one-day
    run a Sortino of one return, where its Sharpe was rightly undefined)."""
    capital = 100_000.0
    equity = list(capital * pd.Series(factors).cumprod())
    summary = _summary_of(equity, capital)
    peaks = pd.Series([capital, *equity]).cummax().iloc[1:].to_numpy()
    depth = pd.Series(equity).to_numpy() / peaks - 1
    assert summary["max_drawdown"] == pytest.approx(min(depth.min(), 0.0), abs=1e-12)
    if depth.min() < 0:
        trough = int(depth.argmin())
        assert summary["max_drawdown_trough"] == _summary_dates(len(equity))[trough]
    longest = run = 0
    for below in depth < 0:
        run = run + 1 if below else 0
        longest = max(longest, run)
    assert summary["longest_drawdown_days"] == longest


def _summary_dates(count: int) -> list[str]:
    return [d.date().isoformat() for d in pd.bdate_range("2024-01-02", periods=count)]


def test_a_one_day_loss_is_a_drawdown_and_has_no_ratios() -> None:
    summary = _summary_of([99_990.0], 100_000.0)
    assert summary["max_drawdown"] == pytest.approx(-1e-4)
    assert summary["max_drawdown_peak"] == summary["max_drawdown_trough"] == "2024-01-02"
    assert summary["longest_drawdown_days"] == 1
    assert math.isnan(summary["sharpe"]) and math.isnan(summary["sortino"])


def test_an_unknown_set_lists_the_params(capsys: pytest.CaptureFixture[str]) -> None:
    quickstart = Path(__file__).resolve().parents[2] / "rulesets" / "examples" / "quickstart.alvh"
    code, _, err = _alvh(capsys, "backtest", quickstart, "--capital", "1e5", "--set", "nosuch=1")
    assert code == 2
    assert (
        "no param named 'nosuch' (its params: event_buffer, profit_take, roe_floor, rsi_cap)" in err
    )


def test_a_set_one_compared_ruleset_lacks_names_that_ruleset(
    capsys: pytest.CaptureFixture[str],
) -> None:
    quickstart = Path(__file__).resolve().parents[2] / "rulesets" / "examples" / "quickstart.alvh"
    args = ("backtest", quickstart, NEVER, "--capital", "1e5", "--set", "rsi_cap=65")
    code, _, err = _alvh(capsys, *args)
    assert code == 2 and f"{NEVER}: --set: no param named 'rsi_cap' (its params: none)" in err


def test_the_report_shows_figures_as_the_terminal_does(demo_run: Backtest, tmp_path: Path) -> None:
    """report.html's tables printed `1e+05`, `-2.184e+04` and fractions; fees lost cents."""
    demo_run.write(tmp_path)
    page = re.sub(
        r"data:image/png;base64,[A-Za-z0-9+/=]+", "", (tmp_path / "report.html").read_text()
    )
    assert not re.search(r"\de[+-]\d", page), "a figure in scientific notation"
    summary = demo_run.summary
    for key in ("total_return", "max_drawdown", "final_equity", "fees"):
        assert f"<td>{figure_text(key, summary[key])}</td>" in page, key
    assert figure_text("fees", 4.5) == "4.50 $" and figure_text("return", math.nan) == "n/a"


def test_no_valued_day_is_an_error_not_a_long_empty_run() -> None:
    """Without an SPX file the default span was the whole history, each day with nothing
    to value: minutes of a run that could only say 0 trades."""
    history = History.builtin()
    history.daily = history.daily.copy()
    history.daily["spx"] = math.nan
    with pytest.raises(
        BacktestInputError,
        match="all known, so no position can be valued; spx has no value on any day",
    ):
        backtest(HELD, history, capital=1e5)


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="real data folder absent")
def test_a_start_past_the_last_valued_day_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("backtest", NEVER, "--data", SHARED_DATA, "--capital", "1e5", "--start", "2026-05-01")
    code, _, err = _alvh(capsys, *args)
    assert code == 2
    assert "--start 2026-05-01 is after the last day positions can be valued (2026-04-06" in err


def test_a_run_that_opens_nothing_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    """`trades 0, not_taken 21` and no word why: the reason was only in trades.csv."""
    quickstart = Path(__file__).resolve().parents[2] / "rulesets" / "examples" / "quickstart.alvh"
    code, out, _ = _alvh(capsys, "backtest", quickstart, *DEMO_WINDOW, "--capital", "10000")
    assert code == 0
    assert "quickstart: no position opened;" in out
    assert "the first on 2024-07-01 (base_condor): nothing to open: risk 100$ / max loss" in out
    code, out, _ = _alvh(capsys, "backtest", NEVER, *DEMO_WINDOW, "--capital", "10000")
    assert code == 0 and "no position opened" not in out  # nothing refused: nothing to say


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="real data folder absent")
def test_monthlies_settle_at_the_raw_open_even_on_a_holiday_thursday() -> None:
    """From the raw SPX file: the April 2019 monthly expired on Thursday 2019-04-18 (Good
    Friday) and is AM-settled at that Thursday's open, 2904.81 (its close was 2905.03)."""
    run = backtest(HELD, History.from_dir(SHARED_DATA), "2019-03-04", "2019-06-28", capital=1e5)
    raw = pd.read_csv(SHARED_DATA / "spx_daily.csv", parse_dates=["date"]).set_index("date")
    settled = run.trades[run.trades["effect"] == "settle"]
    assert dt.date(2019, 4, 18) in set(pd.to_datetime(settled["expiry"]).dt.date)
    for _, leg in settled.iterrows():
        day = pd.Timestamp(leg["expiry"])
        third_friday = day.weekday() == 4 and 15 <= day.day <= 21
        holiday_thursday = day == pd.Timestamp("2019-04-18")
        price = raw.at[day, "open" if third_friday or holiday_thursday else "close"]
        intrinsic = (
            max(price - leg["strike"], 0) if leg["right"] == "c" else max(leg["strike"] - price, 0)
        )
        assert leg["price"] == pytest.approx(intrinsic, abs=1e-9), (day, leg["strike"])
        assert leg["cash"] == pytest.approx(-leg["quantity"] * intrinsic * 100, abs=1e-6)


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="real data folder absent")
def test_the_report_says_which_days_lacked_data(tmp_path: Path) -> None:
    run = backtest(NEVER, History.from_dir(SHARED_DATA), "2026-04-01", "2026-04-10", capital=1e5)
    assert [gap.field for gap in run.data_gaps] == ["risk_free"]
    run.write(tmp_path)
    page = (tmp_path / "report.html").read_text()
    assert (
        "data: risk_free has no value on 4 of 7 trading days (from 2026-04-07 to 2026-04-10)"
        in page
    )


def test_a_long_title_compares_into_a_short_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A 300-letter title made `1-xxx...` longer than a file name may be: the run ended with
    `cannot make the folder: File name too long` (and matplotlib warnings on stderr)."""
    long = tmp_path / "long.alvh"
    long.write_text(
        f'ruleset "{"x" * 300}"\nentry e:\n    when vix < 0\n'
        "    open put dte 30d delta 20delta\n    size contracts 1\n"
    )
    out = tmp_path / "out"
    code, _, err = _alvh(
        capsys, "backtest", long, NEVER, *DEMO_WINDOW, "--capital", "1e5", "--out", out
    )
    assert code == 0 and err == "", err
    assert sorted(p.name for p in out.iterdir()) == [
        "1-" + "x" * 60,
        "2-never_trades",
        "report.html",
    ]
