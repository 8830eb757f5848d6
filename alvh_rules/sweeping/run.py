"""Running a sweep's points on Dask: the client (a given one, a scheduler by address, or a
LocalCluster of processes sized to the machine), the ruleset and history sent to every
worker once (as a shared task's result), one task per point, and rows saved in batches as
points finish.
"""

from __future__ import annotations

import logging
import math
import os
import time
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from alvh_rules.sweeping.points import (
    END,
    ERROR,
    KEY,
    RUN_SECONDS,
    START,
    BacktestUnavailable,
    PointRunner,
    PointTask,
    Settings,
    evaluate_point,
)
from alvh_rules.sweeping.store import ResultStore

if TYPE_CHECKING:
    from distributed import Client

    from alvh_rules.check.ruleset import Ruleset
    from alvh_rules.market.history import History

CONNECT_TIMEOUT = 5.0  # seconds to reach a scheduler before saying it does not answer
BATCH_ROWS = 50  # rows per part file at most ...
BATCH_SECONDS = 2.0  # ... and at least one part this often while points finish

# Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536 (to hand freed memory back
# to the OS). Setting it at all turns off glibc's adaptive mmap threshold, so every numpy
# array over 128 KiB (a column of the history is 207 KB) is a fresh mmap whose pages are
# faulted in again: a point cost 0.54-0.65 s CPU in a worker against 0.36 s in a plain
# process (docs/performance.md, "Sweeps on Dask"). Workers get glibc's trim default and the
# mmap threshold the adaptive rule would reach (32 MiB on 64-bit), set explicitly because
# a parent process that started a Dask cluster before carries the trim setting in its own
# environment, which spawned workers inherit.
WORKER_ENVIRONMENT = {"MALLOC_TRIM_THRESHOLD_": None, "MALLOC_MMAP_THRESHOLD_": 33554432}
# A point is seconds to minutes of CPU-bound Python, one at a time per worker: the scheduler
# hands every point out at once (no queue on the scheduler), so a worker starts its next
# point without a round trip to the scheduler (about 70 ms a point measured with the
# default queuing); work stealing still evens out the workers, and a dead worker's points
# are rescheduled as before.
# The worker's statistical profiler (a stack sample of the task thread every 10 ms, for the
# dashboard's profile page) cost a backtest point about a sixth of its CPU in a worker (a
# 2018-2019 point: 7.1 s with it, 6.1 s without, 4.9 s in a plain process): off.
CLUSTER_CONFIG: dict[str, object] = {
    "distributed.scheduler.worker-saturation": float("inf"),
    "distributed.worker.profile.enabled": False,
    **{
        f"distributed.nanny.pre-spawn-environ.{name}": value
        for name, value in WORKER_ENVIRONMENT.items()
    },
}

# Called with each finished row, and the number of points finished out of the total.
OnRow = Callable[[Mapping[str, Any], int, int], None]


class SweepError(RuntimeError):
    """A sweep that cannot run: Dask missing, a scheduler that does not answer, no workers."""


def import_distributed() -> Any:
    """`distributed`, or a SweepError saying how to install it (it is an optional extra)."""
    try:
        import distributed
    except ImportError:
        raise SweepError(
            "sweeps run on Dask, which is not installed: pip install 'alvh-rules[sweep]'"
        ) from None
    return distributed


@contextmanager
def dask_client(
    client: Client | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> Iterator[Client]:
    """The client a sweep runs on: `client` as given (left open), a scheduler at an address
    (`tcp://host:8786`), or a LocalCluster of `workers` processes (default: one per core)
    started here and closed on exit."""
    if client is not None:
        yield client
        return
    distributed = import_distributed()
    if scheduler is not None:
        try:
            remote = distributed.Client(scheduler, timeout=connect_timeout)
        except (OSError, TimeoutError, ValueError) as error:
            raise SweepError(
                f"no Dask scheduler answers at {scheduler} (waited {connect_timeout:g} s: "
                f"{type(error).__name__}); start one with `dask scheduler` and workers with "
                "`dask worker ADDRESS` (docs/sweep.md)"
            ) from None
        with remote:
            yield remote
        return
    import dask  # installed with distributed (the `sweep` extra)

    count = workers or os.cpu_count() or 1
    with dask.config.set(CLUSTER_CONFIG):
        cluster = distributed.LocalCluster(
            n_workers=count,
            threads_per_worker=1,  # the backtest is CPU-bound Python: one point per process
            processes=True,
            dashboard_address=":0",  # no fixed port: other sweeps may run on the same machine
            scheduler_port=0,
            silence_logs=logging.ERROR,
        )
    with cluster, distributed.Client(cluster) as local:
        yield local


def run_tasks(
    client: Client,
    runner: PointRunner,
    ruleset: Ruleset,
    history: History,
    tasks: Sequence[PointTask],
    fixed: Mapping[str, float],
    settings: Settings,
    store: ResultStore,
    on_row: OnRow | None = None,
) -> None:
    """Run every task whose key the store does not hold yet, saving rows as they finish.
    Tasks of a worker that dies are rerun by Dask elsewhere; the store keeps each key once."""
    distributed = import_distributed()
    done = store.finished_keys()
    todo = [task for task in tasks if task.key not in done]
    total, finished = len(tasks), len(tasks) - len(todo)
    if not todo:
        return
    ruleset_f, history_f = shared(client, ruleset, "ruleset"), shared(client, history, "history")
    # A key per run, not per point alone: a rerun on the same client right after an
    # interrupted one must not meet that run's futures while Dask is still cancelling them.
    run_id = uuid.uuid4().hex[:12]
    futures = [
        client.submit(
            evaluate_point,
            runner,
            ruleset_f,
            history_f,
            task,
            dict(fixed),
            settings,
            key=f"alvh-sweep-point-{task.key}-{run_id}",
            pure=False,
        )
        for task in todo
    ]
    tasks_of = {future.key: task for future, task in zip(futures, todo, strict=True)}
    batch = _Batch(store)
    try:
        for future in distributed.as_completed(futures):
            row = _row_of(future, tasks_of[future.key], distributed.KilledWorker)
            batch.add(row)
            finished += 1
            if on_row is not None:
                on_row(row, finished, total)
    finally:
        batch.flush()  # rows already finished are kept even when the sweep is interrupted
        for future in futures:
            future.cancel()  # type: ignore[no-untyped-call]


def _row_of(future: Any, task: PointTask, killed_worker: type[Exception]) -> dict[str, Any]:
    """The task's row. A task Dask gave up on (its workers died running it, e.g. out of
    memory, `distributed.scheduler.allowed-failures` times) becomes a row with that error;
    any other failure of the cluster stops the sweep (the rows finished so far are kept)."""
    try:
        row: dict[str, Any] = future.result()
    except killed_worker as error:
        return {
            KEY: task.key,
            START: task.start.isoformat() if task.start else None,
            END: task.end.isoformat() if task.end else None,
            **task.params,
            ERROR: f"{type(error).__name__}: {error}",
            RUN_SECONDS: math.nan,
        }
    except (BacktestUnavailable, SweepError):
        raise
    except Exception as error:  # cancelled, connection lost: not this point's result
        raise SweepError(
            f"the Dask cluster failed while running points ({type(error).__name__}: {error}); "
            "the points finished so far are saved: rerun with the same --out to resume"
        ) from error
    return row


def shared(client: Client, value: object, name: str) -> Any:
    """`value` as the result of a task every point depends on, so each worker gets it once
    (from the worker that holds it), never pickled into each point's task (the history is
    tens of MB). Not `client.scatter`: scattered data is lost for good when the workers
    holding it die, while a task's result is recomputed from its spec on the scheduler."""
    with warnings.catch_warnings():
        # The spec is large on purpose; Dask warns about large graphs once per sweep.
        warnings.filterwarnings("ignore", message=".*[Ll]arge", category=UserWarning)
        return client.submit(_same, value, key=f"alvh-sweep-{name}-{uuid.uuid4().hex}")


def _same(value: object) -> object:
    return value


class _Batch:
    """Rows waiting to be written: flushed every BATCH_ROWS rows or BATCH_SECONDS."""

    def __init__(self, store: ResultStore) -> None:
        self.store = store
        self.rows: list[Mapping[str, Any]] = []
        self.last_write = time.monotonic()

    def add(self, row: Mapping[str, Any]) -> None:
        self.rows.append(row)
        stale = time.monotonic() - self.last_write >= BATCH_SECONDS
        if len(self.rows) >= BATCH_ROWS or stale:
            self.flush()

    def flush(self) -> None:
        self.store.write(self.rows)
        self.rows = []
        self.last_write = time.monotonic()


def rows_for(store: ResultStore, tasks: Sequence[PointTask]) -> list[dict[str, Any]]:
    """The stored row of each task, in the tasks' order (a task not run yet is left out)."""
    frame = store.read()
    if frame.empty:
        return []
    by_key = {
        str(row[KEY]): {str(k): v for k, v in row.items()} for row in frame.to_dict("records")
    }
    return [by_key[task.key] for task in tasks if task.key in by_key]
