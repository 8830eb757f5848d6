"""The sweep on Dask: the same rows as a plain loop, a failing point recorded while the others
go on, a worker killed mid-sweep (every point once), an interrupted sweep resumed to the same
results, a client passed in, and a scheduler that does not answer (a clear error, quickly)."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sweep_workloads import FAILING_RSI_CAP, crashing_at_55, failing_at_55

from alvh_rules.check.ruleset import Ruleset
from alvh_rules.market.history import History
from alvh_rules.sweeping.api import execute, plan_sweep, sweep
from alvh_rules.sweeping.points import PointTask, Settings, evaluate_point
from alvh_rules.sweeping.run import SweepError, dask_client
from alvh_rules.sweeping.signals import signal_shares

GRID = {"rsi_cap": "50..70:5", "roe_floor": "10%,15%"}
ACCOUNT: dict[str, Any] = {"capital": 1_000_000.0, "risk_budget": 100_000.0}
METRIC = "fires_base_condor"


def _results(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows without what legitimately differs between runs (timings, part order)."""
    kept = frame.drop(columns=["run_seconds", "rank"], errors="ignore")
    return kept.sort_values("point").reset_index(drop=True)


def test_dask_rows_equal_a_plain_loop_and_a_failure_is_recorded(
    quickstart: Ruleset, demo_history: History, client: Any, tmp_path: Path
) -> None:
    ranked = sweep(
        quickstart,
        demo_history,
        GRID,
        metric=METRIC,
        client=client,
        out=tmp_path / "out",
        runner=failing_at_55,
        **ACCOUNT,
    )
    assert len(ranked) == 10 and ranked["key"].is_unique
    failed = ranked[ranked["error"].notna()]
    assert sorted(failed["rsi_cap"]) == [FAILING_RSI_CAP, FAILING_RSI_CAP]
    assert set(failed["error"]) == {"ZeroDivisionError: this point's run divides by zero"}
    assert failed["rank"].isna().all() and list(ranked["rank"].iloc[:8]) == list(range(1, 9))
    scores = ranked[METRIC].iloc[:8].to_numpy()
    assert (scores[:-1] >= scores[1:]).all()  # best first
    # The same points run one by one in this process give the same figures.
    settings = Settings(ACCOUNT["capital"], ACCOUNT["risk_budget"])
    for _, row in ranked.iterrows():
        params = {"rsi_cap": row["rsi_cap"], "roe_floor": row["roe_floor"]}
        task = PointTask(row["key"], params, None, None)
        alone = evaluate_point(failing_at_55, quickstart, demo_history, task, {}, settings)
        assert alone["error"] == (row["error"] if isinstance(row["error"], str) else None)
        if alone["error"] is None:
            assert alone[METRIC] == row[METRIC] and alone["days"] == row["days"]


def test_the_ruleset_and_history_are_shared_not_sent_with_each_task(
    quickstart: Ruleset, demo_history: History, client: Any
) -> None:
    def dependencies(dask_scheduler: Any) -> dict[str, list[str]]:
        return {
            str(key): sorted(str(d.key).rsplit("-", 1)[0] for d in task.dependencies)
            for key, task in dask_scheduler.tasks.items()
            if str(key).startswith("alvh-sweep-point-")
        }

    seen: list[dict[str, list[str]]] = []
    plan = plan_sweep(quickstart, demo_history, GRID, runner=signal_shares, **ACCOUNT)
    execute(
        plan,
        [(None, None)],
        client=client,
        on_row=lambda row, finished, total: seen.append(client.run_on_scheduler(dependencies)),
    )
    every = {key: deps for snapshot in seen for key, deps in snapshot.items()}
    assert len(every) == 10  # each point's task, seen while the sweep ran
    assert all(deps == ["alvh-sweep-history", "alvh-sweep-ruleset"] for deps in every.values())


def test_an_interrupted_sweep_resumes_to_the_same_results(
    quickstart: Ruleset, demo_history: History, client: Any, tmp_path: Path
) -> None:
    plan = plan_sweep(quickstart, demo_history, GRID, runner=signal_shares, **ACCOUNT)
    (whole,) = execute(plan, [(None, None)], client=client, out=tmp_path / "whole")

    def interrupt(row: Any, finished: int, total: int) -> None:
        if finished == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute(plan, [(None, None)], client=client, out=tmp_path / "resumed", on_row=interrupt)
    kept = pd.read_parquet(tmp_path / "resumed" / "points")
    assert 4 <= len(kept) < len(whole)  # the finished rows were saved before stopping
    ran: list[str] = []
    (resumed,) = execute(
        plan,
        [(None, None)],
        client=client,
        out=tmp_path / "resumed",
        on_row=lambda row, finished, total: ran.append(row["key"]),
    )
    assert not set(ran) & set(kept["key"])  # finished points were not run again
    assert len(ran) == len(whole) - len(kept)
    pd.testing.assert_frame_equal(_results(resumed), _results(whole))


def test_a_scheduler_that_does_not_answer_is_a_quick_clear_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    began = time.monotonic()
    with (
        pytest.raises(SweepError, match=rf"no Dask scheduler answers at tcp://127.0.0.1:{port}"),
        dask_client(scheduler=f"tcp://127.0.0.1:{port}", connect_timeout=2.0),
    ):
        pass
    assert time.monotonic() - began < 20  # the timeout is 2 s; generous for a loaded machine


def test_a_point_that_kills_its_worker_is_recorded_and_the_cluster_goes_on(
    quickstart: Ruleset, demo_history: History, client: Any
) -> None:
    """Dask gives up on a task whose workers keep dying (`allowed-failures`, 3 by default; 0
    here, so one death is enough): the point becomes a row with that error, and the shared
    ruleset and history, lost with the worker if it held them, are recomputed."""

    def set_allowed_failures(count: int) -> int:
        def change(dask_scheduler: Any) -> int:
            before: int = dask_scheduler.allowed_failures
            dask_scheduler.allowed_failures = count
            return before

        before: int = client.run_on_scheduler(change)
        return before

    crash = {"rsi_cap": str(FAILING_RSI_CAP), "roe_floor": "10%"}
    before = set_allowed_failures(0)
    try:
        plan = plan_sweep(quickstart, demo_history, crash, runner=crashing_at_55, **ACCOUNT)
        (rows,) = execute(plan, [(None, None)], client=client)
    finally:
        set_allowed_failures(before)
    assert len(rows) == 1 and rows["error"].iloc[0].startswith("KilledWorker")
    after = plan_sweep(quickstart, demo_history, GRID, runner=signal_shares, **ACCOUNT)
    (rows,) = execute(after, [(None, None)], client=client)
    assert len(rows) == 10 and rows["error"].isna().all()


# Last in the session's order of use: it kills one of the shared cluster's workers.
def test_a_worker_killed_mid_sweep_loses_no_point(
    quickstart: Ruleset, demo_history: History, client: Any, tmp_path: Path
) -> None:
    plan = plan_sweep(quickstart, demo_history, GRID, runner=signal_shares, **ACCOUNT)
    pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_one(row: Any, finished: int, total: int) -> None:
        if not killed:  # after the first point: the other tasks are queued or running
            killed.append(next(iter(pids.values())))
            os.kill(killed[0], signal.SIGKILL)

    (rows,) = execute(plan, [(None, None)], client=client, out=tmp_path / "out", on_row=kill_one)
    assert killed and killed[0] not in client.run(os.getpid).values()
    assert len(rows) == len(plan.space.points) and rows["key"].is_unique
    assert rows["error"].isna().all()
    on_disk = pd.read_parquet(tmp_path / "out" / "points")
    assert sorted(set(on_disk["key"])) == sorted(rows["key"])


def test_without_a_client_a_local_cluster_of_processes_is_started_and_closed() -> None:
    with dask_client(workers=1) as local:
        workers = local.scheduler_info()["workers"]
        assert len(workers) == 1
        assert local.run(os.getpid).popitem()[1] != os.getpid()  # a process of its own
        # glibc's malloc as a plain process has it, not Dask's 64 KiB trim setting, which
        # makes every large numpy array a fresh mmap (+50% CPU a point, docs/performance.md)
        (environment,) = local.run(_malloc_environment).values()
        # every point handed out at once: no round trip to the scheduler between points
        assert local.run_on_scheduler(_worker_saturation) == float("inf")
        # no statistical profiler sampling the task thread's stack
        assert set(local.run(_profiling).values()) == {False}
    assert environment == {
        "MALLOC_TRIM_THRESHOLD_": os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        "MALLOC_MMAP_THRESHOLD_": "33554432",
    }
    assert local.status == "closed"


def _malloc_environment() -> dict[str, str | None]:
    return {
        name: os.environ.get(name) for name in ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")
    }


def _worker_saturation(dask_scheduler: Any) -> float:
    return float(dask_scheduler.WORKER_SATURATION)


def _profiling() -> bool:
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))
