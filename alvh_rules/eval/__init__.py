"""The interpreter: compiling checked rulesets into plans, evaluating them on a snapshot,
replaying them over a history, and explaining every decision."""
