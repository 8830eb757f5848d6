"""Damaged snapshot files through `read_snapshot` (what `alvh eval --snapshot` reads): a
message naming the field (CliError) or a valid snapshot, never another exception.

Each example removes a series, replaces a series, a value or `dates` with something of the
wrong shape or an implausible number, or reverses or repeats the dates.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alvh_rules.cli.inputs import CliError
from alvh_rules.cli.snapshot_files import read_snapshot
from alvh_rules.market import History

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.just({"a": 1}),
    st.just([[1.0]]),
    st.just("2099-01-01"),
)


@pytest.fixture(scope="module")
def base_payload() -> dict[str, Any]:
    snapshot = History.builtin().snapshot("2024-08-09", capital=1e6, lookback=20)
    payload: dict[str, Any] = json.loads(snapshot.model_dump_json())
    return payload


@st.composite
def damage(draw: st.DrawFn, payload: dict[str, Any]) -> dict[str, Any]:
    damaged = copy.deepcopy(payload)
    series = damaged["series_values"]
    name = draw(st.sampled_from(sorted(series)))
    kind = draw(st.sampled_from(["drop", "series", "value", "dates", "reverse", "repeat"]))
    if kind == "drop":
        del series[name]
    elif kind == "series":
        series[name] = draw(ODD_VALUES)
    elif kind == "value":
        series[name][draw(st.integers(0, len(series[name]) - 1))] = draw(ODD_VALUES)
    elif kind == "dates":
        damaged["dates"] = draw(ODD_VALUES)
    elif kind == "reverse":
        damaged["dates"] = damaged["dates"][::-1]
    else:
        at = draw(st.integers(1, len(damaged["dates"]) - 1))
        damaged["dates"][at] = damaged["dates"][at - 1]
    return damaged


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_damaged_snapshot_is_refused_by_name_or_valid(
    data: st.DataObject, base_payload: dict[str, Any], tmp_path: Path
) -> None:
    payload = data.draw(damage(base_payload))
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    try:
        snapshot = read_snapshot(str(path))
    except CliError as error:
        assert str(path) in str(error)
        return
    assert list(snapshot.dates) == sorted(set(snapshot.dates))  # accepted: still well formed
