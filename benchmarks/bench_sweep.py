"""Benchmark of `alvh sweep` on Dask: points per second with 1 and 2 local workers, Dask's
overhead against a plain in-process loop over the same points, and memory per worker.

Run from the repository root:
    .venv/bin/python benchmarks/bench_sweep.py [--points 200] [--runner signals|backtest]
        [--start 2007-01-03] [--end 2024-12-31]
The runner is the seam a sweep calls per point: `backtest` is the real one; `signals` is
the stand-in (a replay of the point, signals only) that measures the machinery on a cheap
point. Points are random draws (seed 0) over the flagship ruleset's declared bounds, each
run over the period (default 2007-2024) of ../shared/data."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from alvh_rules.check.ruleset import load
from alvh_rules.market.history import History
from alvh_rules.sweeping.api import SweepPlan, execute, plan_sweep
from alvh_rules.sweeping.points import PointRunner, evaluate_point, run_point
from alvh_rules.sweeping.run import dask_client
from alvh_rules.sweeping.signals import signal_shares

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FLAGSHIP = ROOT / "rulesets" / "alvh_vega_layering_roa.alvh"
SWEPT = ("short_delta", "condor_dte", "hedge_share", "min_annual_irr")
PERIOD = (dt.date(2007, 1, 3), dt.date(2024, 12, 31))
Period = tuple[dt.date, dt.date]
RUNNERS: dict[str, PointRunner] = {"signals": signal_shares, "backtest": run_point}


def plain_loop(plan: SweepPlan, period: Period) -> dict[str, float]:
    """Wall and CPU seconds to run every point one after the other in this process."""
    began, cpu = time.perf_counter(), time.process_time()
    for task in plan.tasks(period):
        row = evaluate_point(plan.runner, plan.ruleset, plan.history, task, {}, plan.settings)
        if row["error"]:
            raise SystemExit(f"point {task.params} failed: {row['error']}")
    return {"sweep_s": time.perf_counter() - began, "cpu_s": time.process_time() - cpu}


def _cpu_seconds() -> float:
    import psutil

    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def on_dask(plan: SweepPlan, workers: int, period: Period) -> dict[str, float]:
    """Seconds to start a LocalCluster of `workers` processes, wall seconds for the sweep on
    it (shared data, tasks, Parquet parts), CPU seconds it took (the workers' and this
    process's, where the scheduler runs: on a machine shared with other work, CPU time shows
    Dask's cost where wall time only shows the load), and the largest worker's memory."""
    import psutil

    began = time.perf_counter()
    with (
        dask_client(workers=workers) as client,  # the cluster `alvh sweep` starts
        tempfile.TemporaryDirectory() as out,
    ):
        client.wait_for_workers(workers)
        cpu_before = client.run(_cpu_seconds)
        driver_cpu, started = time.process_time(), time.perf_counter()
        (rows,) = execute(plan, [period], client=client, out=out)
        finished, driver_cpu = time.perf_counter(), time.process_time() - driver_cpu
        cpu_after = client.run(_cpu_seconds)
        if rows["error"].notna().any():
            raise SystemExit(f"failed points: {rows[rows['error'].notna()]}")
        memory = client.run(lambda: psutil.Process().memory_info().rss)
    worker_cpu = [cpu_after[name] - cpu_before[name] for name in cpu_after]
    return {
        "start_s": started - began,
        "sweep_s": finished - started,
        "cpu_s": sum(worker_cpu) + driver_cpu,
        "balance": max(worker_cpu) / (sum(worker_cpu) / len(worker_cpu)),
        "worker_rss_mb": max(memory.values()) / 2**20,
    }


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress into a file
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--runner", choices=sorted(RUNNERS), default="signals")
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--start", type=dt.date.fromisoformat, default=PERIOD[0])
    parser.add_argument("--end", type=dt.date.fromisoformat, default=PERIOD[1])
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
    period = (args.start, args.end)
    print(f"{args.points} points ({args.runner}) of {FLAGSHIP.name}, {period[0]}..{period[1]}")
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at start")
    loop = plain_loop(plan, period)
    one, two = on_dask(plan, 1, period), on_dask(plan, 2, period)
    _report(args.points, loop, one, two)


def _report(points: int, loop: dict[str, float], one: dict[str, Any], two: dict[str, Any]) -> None:
    runs = {"loop": loop, "1 worker": one, "2 workers": two}
    for name, run in runs.items():
        extra = ""
        if "start_s" in run:
            extra = (
                f"  cluster start {run['start_s']:.1f} s, worker RSS {run['worker_rss_mb']:.0f}"
                f" MB, busiest worker / mean {run['balance']:.2f}"
            )
        print(
            f"{name:>9}: {run['sweep_s']:7.1f} s wall, {points / run['sweep_s']:5.2f} points/s, "
            f"{run['cpu_s']:7.1f} s CPU ({run['cpu_s'] / points:.3f} s/point){extra}"
        )
    speed_up = one["sweep_s"] / two["sweep_s"]
    print(f"wall speed-up 2 workers / 1: {speed_up:.2f}x (target >= 1.7x)")
    # On free cores the 2-worker sweep takes its busiest worker's share of the 1-worker CPU.
    print(f"speed-up on free cores (CPU-time bound): {2 / two['balance']:.2f}x")
    print(f"Dask overhead, wall, 1 worker vs the loop: {one['sweep_s'] / loop['sweep_s'] - 1:+.1%}")
    print(
        "Dask overhead, wall, 2 workers vs half the loop (target <= 15%): "
        f"{two['sweep_s'] / (loop['sweep_s'] / 2) - 1:+.1%}"
    )
    for name in ("1 worker", "2 workers"):
        overhead = runs[name]["cpu_s"] / loop["cpu_s"] - 1
        print(f"Dask overhead, CPU, {name} vs the loop: {overhead:+.1%}")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
