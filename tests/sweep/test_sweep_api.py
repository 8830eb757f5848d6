"""The front door: `alvh_rules.sweep` and `alvh_rules.walk_forward` are the functions, also
after the sweeping package has been imported (its name does not hide them)."""

from __future__ import annotations

import inspect

import alvh_rules
import alvh_rules.sweeping.points  # binds alvh_rules.sweeping on the package


def test_sweep_is_the_function() -> None:
    assert inspect.isfunction(alvh_rules.sweep)
    assert inspect.isfunction(alvh_rules.walk_forward)
    parameters = inspect.signature(alvh_rules.sweep).parameters
    assert list(parameters)[:3] == ["ruleset", "history", "grid"]
    assert parameters["client"].default is None
