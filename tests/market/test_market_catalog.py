"""The catalog stays pure Python, and the market state loads exactly its fields."""

from __future__ import annotations

import subprocess
import sys

from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market.derived import DERIVED


def test_importing_the_catalog_does_not_import_pandas() -> None:
    code = (
        "import sys, alvh_rules.lang.catalog\n"
        "assert 'pandas' not in sys.modules and 'numpy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_history_needs_load_without_pandas() -> None:
    code = (
        "import sys\n"
        "from alvh_rules.lang.builtins import BUILTINS\n"
        "assert BUILTINS['macd'].members['signal']({'fast': 12, 'slow': 26, 'signal': 9}) == 34\n"
        "assert 'pandas' not in sys.modules and 'numpy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_derived_field_is_a_catalog_field_with_catalog_inputs() -> None:
    for name, rule in DERIVED.items():
        assert name in MARKET_FIELDS
        assert set(rule.inputs) <= set(MARKET_FIELDS)


def test_units_of_new_fields() -> None:
    assert MARKET_FIELDS["expected_move_30d"].unit_name == "pt"
    assert MARKET_FIELDS["dividend_yield"].unit_name == "%"
    assert MARKET_FIELDS["vix_f2_dte"].unit_name == "d"


def test_docs_list_the_plausible_range_of_every_field() -> None:
    from pathlib import Path

    from alvh_rules.lang.catalog import MARKET_FIELDS, PLAUSIBLE_RANGES

    text = (Path(__file__).resolve().parents[2] / "docs" / "data.md").read_text(encoding="utf-8")
    for name, field in MARKET_FIELDS.items():
        low, high = PLAUSIBLE_RANGES[name]
        assert f"| `{name}` | {field.unit_name} | {low:g} .. {high:g} |" in text, name
