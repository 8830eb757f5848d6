"""The built-in demo data set: a few real days after a deterministic, labelled synthetic past.

`demo_folder()` yields the shipped folder (alvh_rules/data/demo); `write_demo()` rebuilds it
from ../shared/data. Every synthetic row says `synthetic` in its `source` column.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from alvh_rules.market.calendar import EventCalendar, sessions

DEMO_END = "2024-08-09"
REAL_FROM = "2024-07-31"  # real daily market rows from here (FOMC day) to DEMO_END
SYNTHETIC_SESSIONS = 330
SEED = 20240731
SYNTHETIC = "synthetic (seed 20240731, see alvh_rules/market/demo.py)"
# The trader's own inputs with no public series: synthetic on every day of the demo set.
SYNTHETIC_INPUTS: dict[str, tuple[float, float]] = {  # level and quarterly wiggle
    "roa": (9.5, 0.6),
    "pcf": (13.0, 0.8),
    "wacc": (7.8, 0.3),
    "quick_ratio_fin": (1.15, 0.05),
}

FloatArray = npt.NDArray[np.float64]


@contextmanager
def demo_folder() -> Iterator[Path]:
    """The shipped demo folder as a real path (works from a wheel or a zip)."""
    with resources.as_file(resources.files("alvh_rules.data") / "demo") as path:
        yield Path(path)


def _bridge(path: FloatArray, target: float) -> FloatArray:
    """Tilt a path linearly so its last value lands on `target` (the first real value)."""
    ramp = np.linspace(0.0, 1.0, len(path))
    tilted: FloatArray = path + (target - path[-1]) * ramp
    return tilted


def _synthetic_market(days: pd.DatetimeIndex, anchor: dict[str, float]) -> pd.DataFrame:
    """Log-OU VIX, SPX with vol from VIX and returns anti-correlated with VIX moves."""
    rng = np.random.default_rng(SEED)
    n = len(days)
    shocks = rng.standard_normal((n, 6))
    log_vix = np.empty(n)
    log_vix[0] = np.log(15.0)
    for t in range(1, n):  # generating data once, not evaluating a series: a loop is fine
        log_vix[t] = log_vix[t - 1] + 0.05 * (np.log(15.0) - log_vix[t - 1]) + 0.07 * shocks[t, 0]
    log_vix = _bridge(log_vix, np.log(anchor["vix"]))
    vix = np.exp(log_vix)
    daily_vol = vix / 100.0 / np.sqrt(252.0) * 0.8
    spx_shock = -0.7 * shocks[:, 0] + np.sqrt(1 - 0.49) * shocks[:, 1]
    log_spx = np.cumsum(0.0004 + daily_vol * spx_shock)
    spx = np.exp(_bridge(log_spx - log_spx[-1] + np.log(anchor["spx"]), np.log(anchor["spx"])))
    frame = pd.DataFrame({"spx": spx, "vix": vix}, index=days)
    frame["vix9d"] = vix * (0.95 + 0.03 * shocks[:, 2])
    frame["vix3m"] = vix * 1.08 + 0.3 * shocks[:, 3]
    frame["vvix"] = 80.0 + 2.0 * (vix - 15.0) + 3.0 * shocks[:, 4]
    frame["f1"] = vix + 1.0 + 0.3 * shocks[:, 5]
    frame["f2"] = frame["f1"] + 1.0 + 0.2 * np.abs(shocks[:, 3])
    frame["net"] = np.tanh(np.diff(np.log(spx), prepend=np.log(spx[0])) * 100.0)
    return frame


def _ohlc(close: FloatArray, spread: FloatArray, rng: np.random.Generator) -> pd.DataFrame:
    opens = np.concatenate([[close[0]], close[:-1]]) * np.exp(
        0.3 * spread * rng.standard_normal(len(close))
    )
    high = np.maximum(opens, close) * (1 + spread * np.abs(rng.standard_normal(len(close))))
    low = np.minimum(opens, close) * (1 - spread * np.abs(rng.standard_normal(len(close))))
    return pd.DataFrame({"open": opens, "high": high, "low": low, "close": close})


def write_demo(shared: Path, out: Path) -> None:
    """Rebuild the demo folder `out` from the real files in `shared` (../shared/data)."""
    out.mkdir(parents=True, exist_ok=True)
    real_days = sessions(REAL_FROM, DEMO_END)
    all_days = sessions("2023-01-01", DEMO_END)
    synth_days = all_days[all_days < real_days[0]][-SYNTHETIC_SESSIONS:]
    real = _real_daily(shared, real_days)
    market = _synthetic_market(synth_days, {"spx": real["spx"].iloc[0], "vix": real["vix"].iloc[0]})
    rng = np.random.default_rng(SEED + 1)
    _write_ohlc(
        out / "spx_daily.csv", market["spx"], 0.004, rng, shared / "spx_daily.csv", real_days
    )
    _write_ohlc(
        out / "vix_daily.csv", market["vix"], 0.03, rng, shared / "vix_daily.csv", real_days
    )
    for name in ("vvix", "vix9d", "vix3m"):
        _write_close(
            out / f"{name}_daily.csv", market[name], shared / f"{name}_daily.csv", real_days
        )
    _write_futures(out, market, shared, real_days)
    _write_breadth(out, market, shared, real_days)
    _write_slow(out, shared, synth_days[0])
    _write_user_files(out, synth_days[0])


def _real_daily(shared: Path, days: pd.DatetimeIndex) -> pd.DataFrame:
    spx = pd.read_csv(shared / "spx_daily.csv", index_col="date", parse_dates=True)["close"]
    vix = pd.read_csv(shared / "vix_daily.csv", index_col="date", parse_dates=True)["close"]
    return pd.DataFrame({"spx": spx.reindex(days), "vix": vix.reindex(days)})


def _label(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    return frame.assign(source=source)


def _real_rows(path: Path, days: pd.DatetimeIndex) -> pd.DataFrame:
    frame = pd.read_csv(path, parse_dates=["date"])
    frame = frame[frame["date"].isin(days)]
    return frame.assign(
        source=f"real: {path.name}"
        if "source" not in frame
        else frame["source"].map(lambda s: f"real: {path.name} ({s})")
    )


def _write_ohlc(
    path: Path,
    close: pd.Series,
    spread: float,
    rng: np.random.Generator,
    real_path: Path,
    real_days: pd.DatetimeIndex,
) -> None:
    synth = _ohlc(close.to_numpy(), np.full(len(close), spread), rng).round(2)
    synth.insert(0, "date", pd.DatetimeIndex(close.index).strftime("%Y-%m-%d"))
    real = _real_rows(real_path, real_days)
    real["date"] = real["date"].dt.strftime("%Y-%m-%d")
    table = pd.concat(
        [_label(synth, SYNTHETIC), real[["date", "open", "high", "low", "close", "source"]]]
    )
    table.to_csv(path, index=False)


def _write_close(
    path: Path, close: pd.Series, real_path: Path, real_days: pd.DatetimeIndex
) -> None:
    synth = pd.DataFrame(
        {
            "date": pd.DatetimeIndex(close.index).strftime("%Y-%m-%d"),
            "close": close.round(2).to_numpy(),
        }
    )
    real = pd.read_csv(real_path, parse_dates=["date"])
    real = real[real["date"].isin(real_days)][["date", "close"]]
    real["date"] = real["date"].dt.strftime("%Y-%m-%d")
    table = pd.concat([_label(synth, SYNTHETIC), _label(real, f"real: {real_path.name}")])
    table.to_csv(path, index=False)


def _write_futures(
    out: Path, market: pd.DataFrame, shared: Path, real_days: pd.DatetimeIndex
) -> None:
    expiries = EventCalendar.builtin().dates("vix_expiry")
    days = pd.DatetimeIndex(market.index)
    position = expiries.searchsorted(days, side="left")
    synth = pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "f1_settle": market["f1"].round(4).to_numpy(),
            "f2_settle": market["f2"].round(4).to_numpy(),
            "f1_expiry": expiries[position].strftime("%Y-%m-%d"),
            "f2_expiry": expiries[position + 1].strftime("%Y-%m-%d"),
            "source": SYNTHETIC,
        }
    )
    real = pd.read_csv(shared / "vix_futures_f1_f2.csv", dtype=str)
    real = real[pd.to_datetime(real["date"]).isin(real_days)]
    real = real.assign(source="real: vix_futures_f1_f2.csv (" + real["source"] + ")")
    pd.concat([synth, real]).to_csv(out / "vix_futures_f1_f2.csv", index=False)


def _write_breadth(
    out: Path, market: pd.DataFrame, shared: Path, real_days: pd.DatetimeIndex
) -> None:
    # Scaled like the shoppafund proxy (about 1,600 issues a day) so the real tail fits.
    advances = np.round(800 + 450 * market["net"].to_numpy())
    synth = pd.DataFrame(
        {
            "date": pd.DatetimeIndex(market.index).strftime("%Y-%m-%d"),
            "advances": advances.astype(int),
            "declines": (1600 - advances).astype(int),
            "source": SYNTHETIC,
        }
    )
    real = pd.read_csv(shared / "nyse_breadth_daily_computed_shoppafund.csv", parse_dates=["date"])
    real = real[real["date"].isin(real_days)]
    real = pd.DataFrame(
        {
            "date": real["date"].dt.strftime("%Y-%m-%d"),
            "advances": real["nyse_advancers"],
            "declines": real["nyse_decliners"],
            "source": "real: nyse_breadth_daily_computed_shoppafund.csv (proxy, not official)",
        }
    )
    pd.concat([synth, real]).to_csv(out / "nyse_breadth_daily_unicorn.csv", index=False)


_SLOW_FILES = (
    "us_tbill_3m_daily_fred_DTB3.csv",
    "us_treasury_10y_daily_fred_DGS10.csv",
    "shiller_sp500_monthly_ie_data.csv",
    "sp500_quarterly_fundamentals_spdji.csv",
    "buffett_indicator_wilshire5000_to_gdp_quarterly.csv",
    "us_gdp_nominal_quarterly_fred_GDP.csv",
    "us_cpi_releases.csv",
    "us_ppi_releases.csv",
)


def _write_slow(out: Path, shared: Path, start: pd.Timestamp) -> None:
    """Real slow rows (facts) from a year before the demo's first day to its end."""
    since = start - pd.Timedelta(days=400)
    for name in _SLOW_FILES:
        frame = pd.read_csv(shared / name, dtype=str, keep_default_na=False)
        dates = pd.to_datetime(frame["date"])
        frame = frame[(dates >= since) & (dates <= pd.Timestamp(DEMO_END))]
        frame.to_csv(out / name, index=False)


def _write_user_files(out: Path, start: pd.Timestamp) -> None:
    """ROA, P/CF, WACC and the financials' quick ratio have no public series: synthetic."""
    quarters = pd.date_range(start - pd.Timedelta(days=400), DEMO_END, freq="QE")
    rng = np.random.default_rng(SEED + 2)
    for field, (centre, wiggle) in SYNTHETIC_INPUTS.items():
        values = np.round(centre + wiggle * rng.standard_normal(len(quarters)), 3)
        published = (quarters + pd.Timedelta(days=45)).strftime("%Y-%m-%d")
        pd.DataFrame(
            {
                "date": quarters.strftime("%Y-%m-%d"),
                "value": values,
                "published": published,
                "source": SYNTHETIC,
            }
        ).to_csv(out / f"{field}.csv", index=False)
