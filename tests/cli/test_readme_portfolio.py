"""README's `--portfolio` example is a valid Portfolio as the CLI reads it (rights as
letters or words, an `opened` date), so a trader copying it gets what it says."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from alvh_rules.cli.portfolio_file import with_right_letters
from alvh_rules.greeks.legs import Portfolio

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_portfolio_example_validates_with_its_opened_date() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"`--portfolio FILE` adds the open positions.*?```json\n(.*?)```", text, re.S)
    assert block is not None, "README's --portfolio example is gone"
    payload = with_right_letters(json.loads(block.group(1)))
    portfolio = Portfolio.model_validate(payload, context={"as_of": dt.date(2024, 8, 9)})
    assert portfolio.positions[0].opened == dt.date(2024, 7, 15)
