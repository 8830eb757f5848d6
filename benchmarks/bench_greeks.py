"""Benchmark of the Greeks core against py_vollib_vectorized and QuantLib (issue 4).

Run on demand (not in tests):  .venv/bin/python benchmarks/bench_greeks.py
py_vollib_vectorized is optional: pip install "py_vollib==1.0.1" "py_lets_be_rational==1.0.1"
py_vollib_vectorized (its first call compiles for ~10 s; it is warmed up before timing).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import mpmath as mp
import numpy as np

from alvh_rules.greeks import bsm, implied_vol

COMMAND = ".venv/bin/python benchmarks/bench_greeks.py"
Arrays = dict[str, np.ndarray]


def random_options(n: int, rng: np.random.Generator) -> Arrays:
    """The issue's ranges: S 3000-7000, K 0.7-1.3 S, T 1-365 days, vol .08-1, r 0-6%, q 0-2%."""
    spot = rng.uniform(3000.0, 7000.0, n)
    return {
        "right": np.where(rng.random(n) < 0.5, "c", "p"),
        "spot": spot,
        "strike": spot * rng.uniform(0.7, 1.3, n),
        "t": rng.uniform(1.0, 365.0, n) / 365.0,
        "vol": rng.uniform(0.08, 1.0, n),
        "rate": rng.uniform(0.0, 0.06, n),
        "div": rng.uniform(0.0, 0.02, n),
    }


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    for _ in range(2):  # warm-up: first-call compilation, allocator growth, page faults
        run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_py_vollib() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import py_vollib_vectorized as pvv
    except Exception as error:  # not installed, or broken by a bad lets_be_rational wheel
        print(f"  py_vollib_vectorized unavailable: {error!r}")
        return None
    return pvv


def ours(o: Arrays) -> Callable[[], object]:
    return lambda: bsm(o["right"], o["spot"], o["strike"], o["t"], o["vol"], o["rate"], o["div"])


def theirs(pvv: Any, o: Arrays) -> Callable[[], object]:
    def run() -> object:
        args = (o["right"], o["spot"], o["strike"], o["t"], o["rate"], o["vol"], o["div"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            price = pvv.vectorized_black_scholes_merton(*args, return_as="numpy")
            greeks = pvv.get_all_greeks(*args, model="black_scholes_merton", return_as="dict")
        return price, greeks

    return run


def quantlib_loop(o: Arrays) -> Callable[[], object]:
    import QuantLib as ql

    today = ql.Date(2, 1, 2025)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    spot, r, q, v = (
        ql.SimpleQuote(0.0),
        ql.SimpleQuote(0.0),
        ql.SimpleQuote(0.0),
        ql.SimpleQuote(0.0),
    )
    process = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(spot),
        ql.YieldTermStructureHandle(ql.FlatForward(today, ql.QuoteHandle(q), dc)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, ql.QuoteHandle(r), dc)),
        ql.BlackVolTermStructureHandle(
            ql.BlackConstantVol(today, ql.NullCalendar(), ql.QuoteHandle(v), dc)
        ),
    )
    engine = ql.AnalyticEuropeanEngine(process)
    days = np.maximum(np.round(o["t"] * 365.0), 1).astype(int)

    def run() -> object:
        out = []
        for i in range(o["spot"].size):
            spot.setValue(o["spot"][i])
            r.setValue(o["rate"][i])
            q.setValue(o["div"][i])
            v.setValue(o["vol"][i])
            kind = ql.Option.Call if o["right"][i] == "c" else ql.Option.Put
            option = ql.EuropeanOption(
                ql.PlainVanillaPayoff(kind, o["strike"][i]),
                ql.EuropeanExercise(today + int(days[i])),
            )
            option.setPricingEngine(engine)
            out.append(
                (
                    option.NPV(),
                    option.delta(),
                    option.gamma(),
                    option.vega(),
                    option.theta(),
                    option.rho(),
                )
            )
        return out

    return run


def interleaved_times(runs: list[Callable[[], object]], repeats: int) -> list[tuple[float, float]]:
    """(median wall seconds, median CPU seconds of this process) of each run, interleaved.

    CPU time is the steadier figure on a shared machine (it leaves out time spent waiting for
    other processes); every library timed here runs on one thread, so it is comparable."""
    for run in runs:
        for _ in range(2):  # warm-up: first-call compilation, allocator growth, page faults
            run()
    walls: list[list[float]] = [[] for _ in runs]
    cpus: list[list[float]] = [[] for _ in runs]
    for _ in range(repeats):
        for run, wall, cpu in zip(runs, walls, cpus, strict=True):
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


def bench_greeks(repeats: int, rng: np.random.Generator, pvv: Any) -> None:
    print(f"\n## Price plus Greeks, options per second (median of {repeats} interleaved runs)")
    print("wall-clock M/s, and in brackets per CPU-second of this process")
    print(f"{'N':>9} {'this core (8 figures)':>24} {'py_vollib_vectorized (6)':>26} {'ratio':>12}")
    for n in (1_000, 100_000, 1_000_000):
        o = random_options(n, rng)
        if pvv is None:
            ((mine, mine_cpu),) = interleaved_times([ours(o)], repeats)
            print(f"{n:>9,} {n / mine / 1e6:>10.2f} ({n / mine_cpu / 1e6:6.2f}) M/s")
            continue
        (mine, mine_cpu), (other, other_cpu) = interleaved_times([ours(o), theirs(pvv, o)], repeats)
        print(
            f"{n:>9,} {n / mine / 1e6:>10.2f} ({n / mine_cpu / 1e6:6.2f}) M/s "
            f"{n / other / 1e6:>11.3f} ({n / other_cpu / 1e6:6.3f}) M/s "
            f"{other / mine:>5.1f}x ({other_cpu / mine_cpu:4.1f}x)"
        )
    o = random_options(10_000, rng)
    ql_rate = 10_000 / median_seconds(quantlib_loop(o), max(1, repeats // 2))
    print(f"QuantLib AnalyticEuropeanEngine in a Python loop, N = 10,000: {ql_rate / 1e3:.1f} k/s")


def mp_price(call: bool, s: float, k: float, t: float, v: float, r: float, q: float) -> float:
    with mp.workdps(50):
        s_, k_, t_, v_, r_, q_ = (mp.mpf(x) for x in (s, k, t, v, r, q))
        vol_t = v_ * mp.sqrt(t_)
        d1 = (mp.log(s_ / k_) + (r_ - q_) * t_) / vol_t + vol_t / 2
        d2 = d1 - vol_t
        sign = 1 if call else -1
        fwd, strike = s_ * mp.exp(-q_ * t_), k_ * mp.exp(-r_ * t_)
        return float(sign * (fwd * mp.ncdf(sign * d1) - strike * mp.ncdf(sign * d2)))


def accuracy_sample(rng: np.random.Generator) -> Arrays:
    """2,000 options in the issue's ranges and 1,000 short-dated far out of the money."""
    o = random_options(2_000, rng)
    n = 1_000
    spot = rng.uniform(3000.0, 7000.0, n)
    right = np.where(rng.random(n) < 0.5, "c", "p")
    away = np.where(right == "c", 1.0, -1.0) * rng.uniform(0.05, 0.3, n)
    far = {
        "right": right,
        "spot": spot,
        "strike": spot * np.exp(away),
        "t": rng.uniform(1.0, 3.0, n) / 365.0,
        "vol": rng.uniform(0.08, 0.3, n),
        "rate": rng.uniform(0.0, 0.06, n),
        "div": rng.uniform(0.0, 0.02, n),
    }
    return {k: np.concatenate([o[k], far[k]]) for k in o}


def report_accuracy(name: str, got: np.ndarray, exact: np.ndarray) -> None:
    priced = exact > 1e-6
    rel = np.abs(got[priced] - exact[priced]) / exact[priced]
    zeroed = int(np.sum((exact > 1e-300) & (got == 0.0)))
    print(
        f"  {name:<22} max rel error (price > 1e-6) {np.max(rel):.1e}; "
        f"rounded to zero where representable: {zeroed}"
    )


def bench_accuracy(rng: np.random.Generator, pvv: Any) -> None:
    print("\n## Price accuracy against mpmath at 50 digits (3,000 options, 1,000 far OTM)")
    o = accuracy_sample(rng)
    exact = np.array(
        [
            mp_price(
                o["right"][i] == "c",
                *(float(o[k][i]) for k in ("spot", "strike", "t", "vol", "rate", "div")),
            )
            for i in range(o["spot"].size)
        ]
    )
    report_accuracy("this core", ours(o)().price, exact)  # type: ignore[attr-defined]
    o_days = {**o, "t": np.maximum(np.round(o["t"] * 365.0), 1) / 365.0}
    exact_days = np.array(
        [
            mp_price(
                o_days["right"][i] == "c",
                *(float(o_days[k][i]) for k in ("spot", "strike", "t", "vol", "rate", "div")),
            )
            for i in range(o["spot"].size)
        ]
    )
    report_accuracy(
        "QuantLib (whole days)", np.array([r[0] for r in quantlib_loop(o_days)()]), exact_days
    )
    if pvv is not None:
        price, _ = theirs(pvv, o)()  # type: ignore[misc]
        report_accuracy("py_vollib_vectorized", np.asarray(price).ravel(), exact)


def bench_pvv_greeks(rng: np.random.Generator, pvv: Any) -> None:
    if pvv is None:
        return
    o = random_options(100_000, rng)
    g = ours(o)()
    _, theirs_greeks = theirs(pvv, o)()  # type: ignore[misc]
    theta_day = np.asarray(theirs_greeks["theta"]).ravel()
    gamma = np.asarray(theirs_greeks["gamma"]).ravel()
    instant = g.theta / 365.0  # type: ignore[attr-defined]
    nonzero = instant != 0
    gap = np.median(np.abs(theta_day - instant)[nonzero] / np.abs(instant[nonzero]))
    print("\n## py_vollib_vectorized Greeks against this core's analytic ones (100,000 options)")
    print(f"  theta: median relative gap to instant theta per day {gap:.1%}")
    print(f"  gamma: max abs gap {np.max(np.abs(gamma - g.gamma)):.1e}")  # type: ignore[attr-defined]


def iv_sets(rng: np.random.Generator, n: int) -> list[tuple[str, Arrays]]:
    random_set = random_options(n, rng)
    one_day = {**random_options(n, rng), "t": np.full(n, 1.0 / 365.0)}
    week = random_options(n, rng)
    week["strike"] = week["spot"] * np.exp(rng.uniform(-0.3, 0.3, n))
    week["t"] = rng.uniform(1.0, 7.0, n) / 365.0
    return [("random", random_set), ("T = 1 day", one_day), ("T = 1-7 days", week)]


def well_conditioned(price: np.ndarray, vega: np.ndarray) -> np.ndarray:
    """4 ulp of the price move the vol by less than 1e-8 (and the price is a normal float)."""
    with np.errstate(all="ignore"):
        return (4 * np.spacing(price) / vega < 1e-8) & (price > np.finfo(np.float64).tiny)


def above_intrinsic_exactly(o: Arrays, price: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Which `rows` are priced strictly above intrinsic value, decided at 40 digits."""
    result = []
    with mp.workdps(40):
        for i in rows:
            s, k, t = (mp.mpf(float(o[name][i])) for name in ("spot", "strike", "t"))
            r, q = mp.mpf(float(o["rate"][i])), mp.mpf(float(o["div"][i]))
            gap = s * mp.exp(-q * t) - k * mp.exp(-r * t)
            intrinsic = max(gap if o["right"][i] == "c" else -gap, 0)
            result.append(mp.mpf(float(price[i])) > intrinsic)
    return np.array(result, dtype=bool)


def iv_run_ours(o: Arrays, price: np.ndarray) -> Callable[[], np.ndarray]:
    return lambda: implied_vol(
        price, o["right"], o["spot"], o["strike"], o["t"], o["rate"], o["div"]
    )


def iv_run_theirs(pvv: Any, o: Arrays, price: np.ndarray) -> Callable[[], np.ndarray]:
    def run() -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            vol = pvv.vectorized_implied_volatility(
                price,
                o["spot"],
                o["strike"],
                o["t"],
                o["rate"],
                o["right"],
                q=o["div"],
                model="black_scholes_merton",
                return_as="numpy",
                on_error="ignore",
            )
        return np.asarray(vol, dtype=np.float64).ravel()

    return run


def iv_line(name: str, rate: float, vol: np.ndarray, o: Arrays, well: np.ndarray) -> str:
    failed = ~np.isfinite(vol)
    error = np.max(np.abs(vol[well] - o["vol"][well])) if well.any() else math.nan
    return (
        f"  {name:<22} {rate / 1e6:6.2f} M/s  failures {int(failed.sum()):>6} "
        f"(well-conditioned {int((failed & well).sum())})  max abs error {error:.1e}"
    )


def bench_iv(repeats: int, rng: np.random.Generator, pvv: Any, n: int) -> None:
    print(f"\n## Implied vol, {n:,} options with known vol per set (median of {repeats} runs)")
    for name, o in iv_sets(rng, n):
        g = ours(o)()
        price = g.price  # type: ignore[attr-defined]
        well = well_conditioned(price, g.vega)  # type: ignore[attr-defined]
        print(f"{name}: {int(well.sum()):,} well-conditioned rows")
        mine = iv_run_ours(o, price)()
        if pvv is None:
            rate = n / median_seconds(iv_run_ours(o, price), repeats)
            print(iv_line("this core", rate, mine, o, well))
            continue
        other = iv_run_theirs(pvv, o, price)()
        (t_mine, c_mine), (t_other, c_other) = interleaved_times(
            [iv_run_ours(o, price), iv_run_theirs(pvv, o, price)], repeats
        )
        print(
            iv_line("this core", n / t_mine, mine, o, well) + f"  [{n / c_mine / 1e6:.2f} M/cpu-s]"
        )
        print(
            iv_line("py_vollib_vectorized", n / t_other, other, o, well)
            + f"  [{n / c_other / 1e6:.2f} M/cpu-s]"
        )
        disputed = np.flatnonzero(~np.isfinite(mine) & np.isfinite(other) & (price > 0))
        above = above_intrinsic_exactly(o, price, disputed)
        print(
            f"  rows where py_vollib_vectorized is finite and this core NaN: {disputed.size} "
            f"({int(above.sum())} of them priced above intrinsic at 40 digits)"
        )


def bench_trader(repeats: int) -> None:
    """Trader-level figures for one 45-DTE 16-delta iron condor on a flat 16% surface."""
    from datetime import date, timedelta

    from alvh_rules.greeks import FlatSurface, ValuationContext, iron_condor
    from alvh_rules.greeks.figures import position_fields
    from alvh_rules.greeks.payoff import breakevens, max_profit_and_loss, vol_breakeven
    from alvh_rules.greeks.valuation import position_risk

    as_of = date(2025, 1, 2)
    expiry = as_of + timedelta(days=45)
    ctx = ValuationContext(
        as_of=as_of,
        spx=5000.0,
        rate=0.04,
        div_yield=0.013,
        spx_surface=FlatSurface(0.16),
        vix_vega_beta=0.8,
    )
    condor = iron_condor(ctx, expiry)
    runs = {
        "iron_condor (strikes by delta, legs priced)": lambda: iron_condor(ctx, expiry),
        "position_risk": lambda: position_risk(condor, ctx),
        "position_fields (all catalogue figures)": lambda: position_fields(condor, ctx),
        "  max_profit_and_loss": lambda: max_profit_and_loss(condor, ctx),
        "  breakevens at expiry": lambda: breakevens(condor, ctx, at_expiry=True),
        "  vol_breakeven": lambda: vol_breakeven(condor, ctx),
    }
    print("\n## Trader level, one 45-DTE 16-delta iron condor (median ms per call)")
    for (name, _), (wall, cpu) in zip(
        runs.items(), interleaved_times(list(runs.values()), repeats), strict=True
    ):
        print(f"  {name:<46} {wall * 1e3:7.2f} ms ({cpu * 1e3:.2f} ms CPU)")


def numba_prototype() -> Callable[[Arrays], object] | None:
    """The same closed forms fused in one numba loop (one thread, normal CDF from math.erfc,
    no far out-of-the-money path): the yardstick for the issue's "numba only if 2x" rule."""
    try:
        import numba
    except ImportError:
        return None

    @numba.njit(cache=False)
    def kernel(sign, s_, k_, t_, v_, r_, q_, out):  # type: ignore[no-untyped-def]
        for i in range(s_.shape[0]):
            sg, spot, strike, t, vol, r, q = sign[i], s_[i], k_[i], t_[i], v_[i], r_[i], q_[i]
            sq = math.sqrt(t)
            tv = vol * sq
            fd, kd = spot * math.exp(-q * t), strike * math.exp(-r * t)
            lm = math.log(spot / strike) + (r - q) * t
            d1 = lm / tv + 0.5 * tv
            d2 = d1 - tv
            itm = sg * lm > 0
            w = -sg if itm else sg
            n1 = 0.5 * math.erfc(-w * d1 * 0.7071067811865476)
            n2 = 0.5 * math.erfc(-w * d2 * 0.7071067811865476)
            price = w * (fd * n1 - kd * n2)
            if itm:
                diff = spot - strike
                carry = spot * math.expm1(-q * t) - strike * math.expm1(-r * t)
                hi = diff + carry
                price = (price + sg * ((diff - hi) + carry)) + sg * hi
                n1, n2 = 1.0 - n1, 1.0 - n2
            dens = math.exp(-0.5 * d1 * d1) * 0.3989422804014327 * fd / spot
            vega = dens * spot * sq
            out[0, i] = price
            out[1, i] = sg * fd / spot * n1
            out[2, i] = dens / (spot * tv)
            out[3, i] = vega
            out[4, i] = -0.5 * vega * vol / t + sg * (q * fd * n1 - r * kd * n2)
            out[5, i] = sg * t * kd * n2
            out[6, i] = -dens / vol * d2
            out[7, i] = vega * d1 * d2 / vol

    def run(o: Arrays) -> object:
        out = np.empty((8, o["spot"].size))
        sign = np.where(o["right"] == "c", 1.0, -1.0)
        kernel(sign, o["spot"], o["strike"], o["t"], o["vol"], o["rate"], o["div"], out)
        return out

    return run


def bench_numba(repeats: int, rng: np.random.Generator) -> None:
    run = numba_prototype()
    if run is None:
        print("\n## numba prototype: numba not installed")
        return
    o = random_options(1_000_000, rng)
    (mine, mine_cpu), (fused, fused_cpu) = interleaved_times([ours(o), lambda: run(o)], repeats)
    print("\n## numba prototype of the kernel, N = 1,000,000 (one thread)")
    print(
        f"  numpy blocks (shipped) {1e6 / mine / 1e6:6.2f} M/s ({1e6 / mine_cpu / 1e6:.2f} M/cpu-s)"
    )
    rates = f"{1e6 / fused / 1e6:6.2f} M/s ({1e6 / fused_cpu / 1e6:.2f} M/cpu-s)"
    print(f"  numba fused loop       {rates}")
    print(f"  numba over numpy: {mine / fused:.2f}x ({mine_cpu / fused_cpu:.2f}x per CPU-second)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per figure (median)")
    parser.add_argument("--iv-options", type=int, default=100_000, help="options per IV set")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-py-vollib", action="store_true", help="skip py_vollib_vectorized")
    parser.add_argument("--numba", action="store_true", help="also time a numba prototype")
    args = parser.parse_args()
    print(
        f"# Greeks core benchmark: {platform.processor() or platform.machine()}, "
        f"Python {sys.version.split()[0]}, numpy {np.__version__}"
    )
    flags = f"--repeats {args.repeats} --seed {args.seed} --iv-options {args.iv_options}"
    flags += " --numba" if args.numba else ""
    flags += " --no-py-vollib" if args.no_py_vollib else ""
    print(f"Reproduce: {COMMAND} {flags}")
    print(f"Load average at start (other work on this machine): {os.getloadavg()[0]:.2f}")
    rng = np.random.default_rng(args.seed)
    pvv = None if args.no_py_vollib else load_py_vollib()
    bench_greeks(args.repeats, rng, pvv)
    bench_accuracy(rng, pvv)
    bench_pvv_greeks(rng, pvv)
    bench_iv(args.repeats, rng, pvv, args.iv_options)
    bench_trader(args.repeats)
    if args.numba:
        bench_numba(args.repeats, rng)


if __name__ == "__main__":
    main()
