"""Benchmark of `alvh sweep` on Dask: points per second with 1 and 2 local workers, Dask's
overhead against a plain in-process loop over the same points, and memory per worker.

Run from the repository root:
    .venv/bin/python benchmarks/bench_sweep.py [--points 200] [--runner signals|backtest]
The runner is the seam a sweep calls per point: `backtest` is the real one (it needs the
backtest, issue 16); `signals` is the stand-in (a replay of the point, signals only) that
measures the machinery until then. Points are random draws (seed 0) over the flagship
ruleset's declared bounds, each run over 2007-2024 of ../shared/data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from alvh_rules.check.ruleset import load
from alvh_rules.market.history import History
from alvh_rules.sweeping.api import SweepPlan, execute, plan_sweep
from alvh_rules.sweeping.points import PointRunner, evaluate_point, run_point
from alvh_rules.sweeping.signals import signal_shares

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FLAGSHIP = ROOT / "rulesets" / "alvh_vega_layering_roa.alvh"
SWEPT = ("short_delta", "condor_dte", "hedge_share", "min_annual_irr")
PERIOD = (dt.date(2007, 1, 3), dt.date(2024, 12, 31))
RUNNERS: dict[str, PointRunner] = {"signals": signal_shares, "backtest": run_point}


def plain_loop(plan: SweepPlan) -> float:
    """Seconds to run every point one after the other in this process (no Dask)."""
    began = time.perf_counter()
    for task in plan.tasks(PERIOD):
        row = evaluate_point(plan.runner, plan.ruleset, plan.history, task, {}, plan.settings)
        if row["error"]:
            raise SystemExit(f"point {task.params} failed: {row['error']}")
    return time.perf_counter() - began


def on_dask(plan: SweepPlan, workers: int) -> dict[str, float]:
    """Seconds to start a LocalCluster of `workers` processes, seconds for the sweep on it
    (scatter, tasks, Parquet parts), and each worker's resident memory after it."""
    import distributed
    import psutil

    began = time.perf_counter()
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            scheduler_port=0,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
        tempfile.TemporaryDirectory() as out,
    ):
        client.wait_for_workers(workers)
        started = time.perf_counter()
        (rows,) = execute(plan, [PERIOD], client=client, out=out)
        finished = time.perf_counter()
        if rows["error"].notna().any():
            raise SystemExit(f"failed points: {rows[rows['error'].notna()]}")
        memory = client.run(lambda: psutil.Process().memory_info().rss)
    return {
        "start_s": started - began,
        "sweep_s": finished - started,
        "worker_rss_mb": max(memory.values()) / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--runner", choices=sorted(RUNNERS), default="signals")
    parser.add_argument("--data", default=str(DATA))
    args = parser.parse_args()
    history = History.from_dir(args.data)
    plan = plan_sweep(
        load(FLAGSHIP),
        history,
        random=args.points,
        params=SWEPT,
        seed=0,
        capital=1_000_000.0,
        risk_budget=100_000.0,
        runner=RUNNERS[args.runner],
    )
    print(f"{args.points} points ({args.runner}) of {FLAGSHIP.name}, {PERIOD[0]}..{PERIOD[1]}")
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at start")
    loop_s = plain_loop(plan)
    one, two = on_dask(plan, 1), on_dask(plan, 2)
    _report(args.points, loop_s, one, two)


def _report(points: int, loop_s: float, one: dict[str, Any], two: dict[str, Any]) -> None:
    rate = {name: points / run["sweep_s"] for name, run in (("1", one), ("2", two))}
    print(
        f"plain loop:  {loop_s:8.1f} s  {points / loop_s:6.2f} points/s  "
        f"{loop_s / points:.3f} s/point"
    )
    for name, run in (("1", one), ("2", two)):
        print(
            f"{name} worker(s): {run['sweep_s']:8.1f} s  {rate[name]:6.2f} points/s  "
            f"(cluster start {run['start_s']:.1f} s, worker RSS {run['worker_rss_mb']:.0f} MB)"
        )
    print(f"speed-up 2 workers / 1: {rate['2'] / rate['1']:.2f}x (target >= 1.7x)")
    print(f"Dask overhead, 1 worker vs the loop: {one['sweep_s'] / loop_s - 1:+.1%}")
    print(
        "Dask overhead, 2 workers vs half the loop (2 workers' worth of work): "
        f"{two['sweep_s'] / (loop_s / 2) - 1:+.1%} (target <= 15%)"
    )
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
