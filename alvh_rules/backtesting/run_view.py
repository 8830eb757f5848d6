"""What the outputs read of a finished run: its title, tables and summary. The writers
(`files`, `report`) and the side-by-side table take this view, not `api.Backtest`, so the
front door (`api`) can call them without the modules importing each other."""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd

from alvh_rules.market.coverage import FieldGap


class RunView(Protocol):
    title: str
    trades: pd.DataFrame
    daily: pd.DataFrame
    attribution: pd.DataFrame
    attribution_by_rule: pd.DataFrame
    marks: pd.DataFrame
    closed: pd.DataFrame
    summary: dict[str, Any]
    data_gaps: list[FieldGap]

    def summary_json(self) -> str: ...
