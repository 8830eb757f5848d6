"""Backtests: a ruleset carried through time over a history, with positions held, filled,
margined, marked, settled and accounted (docs/backtest.md). The front door is
`alvh_rules.backtest` / `alvh_rules.compare` (alvh_rules.backtesting.api); this package file
imports nothing, so `alvh check` can read the command's defaults without pandas."""
