"""`--smile` on eval, replay and backtest: a bad field or value is a usage error (exit 2)
naming them, a good one prices with the shape and is shown in the data line and --explain."""

from __future__ import annotations

import json

import pytest
from cli_support import QUICKSTART, Run


@pytest.mark.parametrize("command", ["eval", "replay", "backtest"])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("rho=2", "argument --smile: rho = 2: Input should be less than 1"),
        ("eta=1.5", "argument --smile: eta * (1 + |rho|) = 2.55 exceeds 2"),
        ("kappa=1", "argument --smile: 'kappa=1' is not NAME=VALUE"),
        ("gamma=x", "argument --smile: gamma = 'x' is not a number"),
    ],
)
def test_a_bad_smile_is_a_usage_error_naming_field_and_value(
    run: Run, command: str, value: str, message: str
) -> None:
    extra = ["--capital", "1000000"] if command == "backtest" else []
    code, out, err = run(command, QUICKSTART, *extra, "--smile", value)
    assert code == 2 and not out
    assert message in err


def test_eval_prices_with_the_smile_and_shows_it(run: Run) -> None:
    base = ["eval", QUICKSTART, "--capital", "1000000", "--format", "json"]
    code, plain, _ = run(*base)
    assert code == 0
    code, steep, _ = run(*base, "--smile", "rho=-0.5,eta=1.2")
    assert code == 0
    before, after = json.loads(plain), json.loads(steep)
    legs = [[leg["price"] for leg in d["actions"][0]["legs"]] for d in (before, after)]
    assert legs[0] != legs[1]
    notes = " ".join(after["provenance"]["market_model"])
    assert "SSVI smile rho -0.5, eta 1.2, gamma 0.5 (given, not the default)" in notes
    code, text, _ = run("eval", QUICKSTART, "--smile", "rho=-0.5,eta=1.2", "--explain")
    assert code == 0 and "(--smile)" in text and "(given, not the default)" in text
