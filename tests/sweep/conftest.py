"""Fixtures for the sweep tests: the quick-start ruleset and the built-in history loaded once,
and one small LocalCluster of processes shared by the session (the worker-kill test runs
last: the nanny restarts the worker it kills)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sweep_workloads import QUICKSTART

from alvh_rules.check.ruleset import Ruleset, load
from alvh_rules.market.history import History


@pytest.fixture(scope="session")
def quickstart() -> Ruleset:
    return load(QUICKSTART)


@pytest.fixture(scope="session")
def demo_history() -> History:
    return History.builtin()


@pytest.fixture(scope="session")
def client() -> Iterator[Any]:
    """Two worker processes, one thread each (small enough for a loaded 2-core machine),
    started the way a sweep starts its own."""
    pytest.importorskip("distributed")
    from alvh_rules.sweeping.run import dask_client

    with dask_client(workers=2) as running:
        yield running
