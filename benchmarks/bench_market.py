"""Benchmark of the market state: load ../shared/data, the indicator suite over 35 years, the
SPX surface calibrated to VIX9D/VIX/VIX3M on every day, and proposing one condor on it.

Run from the repository root: `.venv/bin/python benchmarks/bench_market.py`
Prints wall times (median of repeats) and peak memory (tracemalloc and process max RSS).
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from alvh_rules import indicators as ind
from alvh_rules.eval import positions as pos
from alvh_rules.greeks import builders
from alvh_rules.greeks.ssvi import SPX_SHAPE
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import History, calibration
from alvh_rules.market.calendar import nyse
from alvh_rules.market.expiries import pick_expiries

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
COMMAND = ".venv/bin/python benchmarks/bench_market.py"


def indicator_suite(x: pd.Series) -> list[pd.Series | pd.DataFrame]:
    """Every indicator of alvh_rules.indicators, with the windows the rulesets use."""
    fast, slow = ind.sma(x, 50), ind.sma(x, 200)
    return [
        ind.sma(x, 20),
        fast,
        slow,
        ind.ema(x, 20),
        ind.ema(x, 50),
        ind.rsi(x, 14),
        ind.macd(x),
        ind.realized_vol(x, 20),
        ind.rolling_max(x, 20),
        ind.rolling_min(x, 20),
        ind.rolling_median(x, 20),
        ind.percentile(x, 252, 80),
        ind.zscore(x, 20),
        ind.crosses_above(fast, slow),
        ind.crosses_below(fast, slow),
        ind.rising(x, 5),
        ind.falling(x, 5),
        ind.distance_from_ma(x, 200),
        ind.slope(x, 20),
    ]


def timed(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median and minimum wall time in seconds over `repeats` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def peak_mib(action: Callable[[], object]) -> float:
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def calibration_figures(history: History) -> None:
    """Every day's SSVI ATM level solved to VIX9D/VIX/VIX3M at once: speed and the ratio."""
    from alvh_rules.market.surface import INDEX_NAMES, TENORS_YEARS

    levels = np.stack([history.daily[name].to_numpy(np.float64) for name in INDEX_NAMES], 1)
    days = int(np.isfinite(levels[:, 1]).sum())
    start = time.perf_counter()
    calibration.fit_atm_variances(levels[:1], TENORS_YEARS, SPX_SHAPE)
    table = time.perf_counter() - start
    fit = lambda: calibration.fit_atm_variances(levels, TENORS_YEARS, SPX_SHAPE)  # noqa: E731
    median, _ = timed(fit, 21)
    print(
        f"SPX surface calibration, {days:,} days with VIX ({len(levels):,} rows x 3 tenors): "
        f"median {median * 1e3:.1f} ms = {days / median:,.0f} days/s "
        f"(variance-swap table, once per shape: {table * 1e3:.0f} ms)"
    )
    ratio = fit().atm_ratio(levels, TENORS_YEARS)
    for column, name in enumerate(INDEX_NAMES):
        known = ratio[:, column][np.isfinite(ratio[:, column])]
        p = np.percentile(known, [0, 5, 25, 50, 75, 95, 100])
        print(
            f"  ATM / {name} over {known.size:,} days: min {p[0]:.3f}, 5% {p[1]:.3f}, "
            f"25% {p[2]:.3f}, median {p[3]:.3f}, 75% {p[4]:.3f}, 95% {p[5]:.3f}, max {p[6]:.3f}"
        )


def proposal_figures(history: History) -> None:
    """A 45-DTE 16-delta, 25-point iron condor on the last day's calibrated surface."""
    last = history.index[-1]
    values = {
        name: float(history.daily[name].loc[:last].ffill().iloc[-1]) for name in MARKET_FIELDS
    }
    today = last.date()
    expiry = today + pd.Timedelta(days=45).to_pytimedelta()

    def propose() -> object:
        ctx = pos.valuation_context(values, today)
        return builders.iron_condor(ctx, expiry, short_delta=0.16, wing_width=25.0)

    propose()
    wall, cpu = [], []
    for _ in range(300):
        start, start_cpu = time.perf_counter(), time.process_time()
        propose()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(
        f"propose a 45-DTE 16-delta condor (valuation context with the day's calibration + "
        f"strikes by delta + leg prices): median {statistics.median(wall) * 1e3:.3f} ms "
        f"(CPU {statistics.median(cpu) * 1e3:.3f} ms)"
    )


def main() -> int:
    if not DATA.is_dir():
        print(f"data folder {DATA} is absent; nothing to measure")
        return 1
    start = time.perf_counter()
    nyse()
    calendar_build = time.perf_counter() - start
    start = time.perf_counter()
    history = History.from_dir(DATA)
    first_load = time.perf_counter() - start
    load_median, load_min = timed(lambda: History.from_dir(DATA), 7)
    load_peak = peak_mib(lambda: History.from_dir(DATA))

    last = history.daily.index[-1]
    window = history.daily.loc[last - pd.DateOffset(years=35) :]
    series = {name: window[name] for name in ("spx", "vix")}
    bars = {name: int(s.notna().sum()) for name, s in series.items()}
    suite = lambda: [indicator_suite(s) for s in series.values()]  # noqa: E731
    suite_median, suite_min = timed(suite, 21)
    suite_peak = peak_mib(suite)
    snapshot_median, _ = timed(lambda: history.snapshot(last), 7)
    builtin_median, _ = timed(History.builtin, 5)
    days = history.daily.index.to_numpy(dtype="datetime64[D]")[-9000:]
    dte = (np.arange(days.size) % 60 + 1).astype(np.float64)
    pick_expiries("SPX", "weekly", days, dte)  # the tables are built once per process
    picks = {
        kind: timed(lambda kind=kind: pick_expiries("SPX", kind, days, dte), 21)[0]
        for kind in ("monthly", "weekly")
    }

    print(f"command: {COMMAND}")
    print(f"python {sys.version.split()[0]}, pandas {pd.__version__}")
    print(
        f"history: {len(history.daily):,} trading days x {history.daily.shape[1]} fields, "
        f"{len(history.report):,} report lines"
    )
    print(f"XNYS calendar build (once per process): {calendar_build * 1e3:.0f} ms")
    print(
        f"load ../shared/data: first {first_load * 1e3:.0f} ms, "
        f"median {load_median * 1e3:.0f} ms, min {load_min * 1e3:.0f} ms, "
        f"tracemalloc peak {load_peak:.0f} MiB"
    )
    print(
        f"indicator suite (19 indicators) on SPX and VIX, 35 years ({bars['spx']:,} and "
        f"{bars['vix']:,} bars): median {suite_median * 1e3:.1f} ms, min {suite_min * 1e3:.1f} ms, "
        f"tracemalloc peak {suite_peak:.1f} MiB"
    )
    print(f"snapshot at the last day (full history): median {snapshot_median * 1e3:.0f} ms")
    print(f"History.builtin() (demo set, 338 days): median {builtin_median * 1e3:.0f} ms")
    calibration_figures(history)
    proposal_figures(history)
    print(
        f"listed expiry nearest dte, {days.size:,} days at once: monthly median "
        f"{picks['monthly'] * 1e3:.2f} ms, weekly median {picks['weekly'] * 1e3:.2f} ms"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
