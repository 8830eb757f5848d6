"""alvh-rules: a checked rule language for SPX iron condors with layered VIX hedges.

The front door is small: `parse` and `load` (language core), `evaluate` and `replay`
(interpreter), `backtest` and `compare` (simulation through time; the package is
`alvh_rules.backtesting`, so that `alvh_rules.backtest` stays the function), `MarketSnapshot`
(market state). Heavy modules load on first use, so
`import alvh_rules` stays fast for `alvh check`.
"""

from __future__ import annotations

from typing import Any

from alvh_rules.lazy import lazy_export

__version__ = "0.1.0"

# Public name -> module that defines it; imported lazily on first attribute access.
_LAZY_EXPORTS: dict[str, str] = {
    "parse": "alvh_rules.syntax.parser",
    "load": "alvh_rules.check.ruleset",
    "Ruleset": "alvh_rules.check.ruleset",
    "RulesetError": "alvh_rules.lang.diagnostics",
    "Diagnostic": "alvh_rules.lang.diagnostics",
    "format_text": "alvh_rules.fmt.formatter",
    "MarketSnapshot": "alvh_rules.market.snapshot",
    "evaluate": "alvh_rules.eval.interpreter",
    "replay": "alvh_rules.eval.replay",
    "Decision": "alvh_rules.eval.decision",
    "backtest": "alvh_rules.backtesting.api",
    "compare": "alvh_rules.backtesting.api",
    "Backtest": "alvh_rules.backtesting.api",
    "sweep": "alvh_rules.sweeping.api",
    "walk_forward": "alvh_rules.sweeping.api",
}

__all__ = ["__version__", *_LAZY_EXPORTS]


def __getattr__(name: str) -> Any:
    return lazy_export(__name__, _LAZY_EXPORTS, globals(), name)
