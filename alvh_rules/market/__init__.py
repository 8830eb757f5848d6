"""Market state: the daily history, snapshots, calendar, loaders and derived fields.

Front door: `History.from_dir(path)`, `History.builtin()`, `History.snapshot(as_of)`,
`MarketSnapshot`, `EventCalendar`, `fetch(dir)`; details in docs/data.md.
"""

from __future__ import annotations

from alvh_rules.market.calendar import EventCalendar
from alvh_rules.market.derived import expected_move
from alvh_rules.market.fetch import fetch
from alvh_rules.market.history import History, Provenance
from alvh_rules.market.report import DataError, LoadIssue, LoadReport
from alvh_rules.market.snapshot import MarketSnapshot, snapshot_json_schema
from alvh_rules.market.surface import vix_term_surface

__all__ = [
    "DataError",
    "EventCalendar",
    "History",
    "LoadIssue",
    "LoadReport",
    "MarketSnapshot",
    "Provenance",
    "expected_move",
    "fetch",
    "snapshot_json_schema",
    "vix_term_surface",
]
