"""The built-in demo History loads with every catalog field present on its last day."""

from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import History


def test_builtin_history_has_every_field_on_its_last_day() -> None:
    history = History.builtin()
    last = history.daily.iloc[-1]
    assert list(history.daily.columns) == list(MARKET_FIELDS)
    assert last.notna().all(), last[last.isna()]
    assert len(history.daily) >= 300
