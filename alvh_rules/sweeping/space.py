"""The search space of a sweep: points from grid specs (`short_delta=15delta..20delta:6`) or
random draws inside the params' declared bounds. Every value passes the same checks as
`--set` (known name, unit, bounds, whole numbers for counts of bars or days).
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from alvh_rules.check.ruleset import Ruleset
from alvh_rules.check.symbols import did_you_mean
from alvh_rules.eval.params import ParamError, declared_bounds, resolve_params

MAX_POINTS = 100_000  # a larger space is almost surely a typo in a count, not a plan
DIGITS = 12  # grid values are rounded so that 15 + 0.1 * 3 keys the same everywhere

GridSpec = str | Sequence[float | str]


class SpaceError(ValueError):
    """A grid or random spec that names no param, leaves the bounds or is malformed."""


@dataclass(frozen=True)
class SearchSpace:
    """The swept params' names and one dict of their values (base units) per point."""

    names: tuple[str, ...]
    points: tuple[dict[str, float], ...]


def split_grid_option(text: str) -> tuple[str, str]:
    """`NAME=SPEC` as given to `--grid`, split; SpaceError when it is not of that form."""
    name, equals, spec = text.partition("=")
    if not equals or not name.strip() or not spec.strip():
        raise SpaceError(
            f"--grid {text!r}: write NAME=LOW..HIGH:COUNT (e.g. short_delta=15delta..20delta:6) "
            "or NAME=V1,V2,..."
        )
    return name.strip(), spec.strip()


def grid_space(ruleset: Ruleset, grid: Mapping[str, GridSpec]) -> SearchSpace:
    """Every combination of the grid's values, the first param varying slowest."""
    if not isinstance(grid, Mapping):
        raise SpaceError(
            "the grid is a mapping of param names to values, e.g. "
            f"{{'short_delta': '15delta..20delta:6'}}, not {type(grid).__name__}"
        )
    if not grid:
        raise SpaceError("the grid names no param")
    values = {name: grid_values(ruleset, name, spec) for name, spec in grid.items()}
    count = math.prod(len(v) for v in values.values())
    if count > MAX_POINTS:
        sizes = " x ".join(f"{len(v)} {name}" for name, v in values.items())
        raise SpaceError(f"the grid has {count:,} points ({sizes}); at most {MAX_POINTS:,}")
    names = tuple(values)
    points = tuple(
        dict(zip(names, combo, strict=True)) for combo in itertools.product(*values.values())
    )
    return SearchSpace(names, points)


def grid_values(ruleset: Ruleset, name: str, spec: GridSpec) -> list[float]:
    """The values of one grid axis: `LOW..HIGH:COUNT` (evenly spaced, ends included), a
    comma list, or a sequence; each checked like `--set`, duplicates dropped."""
    _known(ruleset, name)
    if isinstance(spec, str) and ".." in spec:
        values = _range_values(ruleset, name, spec)
    elif isinstance(spec, int | float) and not isinstance(spec, bool):
        values = [_checked(ruleset, name, spec)]  # one value, in base units
    elif not isinstance(spec, str | Sequence):
        raise SpaceError(
            f"--grid {name}: give LOW..HIGH:COUNT, V1,V2,... or a list of values, "
            f"not {type(spec).__name__}"
        )
    else:
        items = spec.split(",") if isinstance(spec, str) else list(spec)
        values = [_checked(ruleset, name, item) for item in items]
    if not values:
        raise SpaceError(f"--grid {name}: no values given")
    return list(dict.fromkeys(values))


def random_space(ruleset: Ruleset, names: Sequence[str], count: int, seed: int) -> SearchSpace:
    """`count` points drawn uniformly inside each named param's declared bounds (integers
    for counts of bars or days); the same seed gives the same points."""
    if isinstance(count, bool) or not isinstance(count, numbers.Integral):
        raise SpaceError(f"--random {count!r}: give a whole number of points")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise SpaceError(f"--seed {seed!r}: give a whole number")
    if isinstance(names, str):  # 'a,b' as the command line writes it, not its letters
        names = [name.strip() for name in names.split(",") if name.strip()]
    if count < 1:
        raise SpaceError(f"--random {count}: give at least 1 point")
    if count > MAX_POINTS:
        raise SpaceError(f"--random {count:,}: at most {MAX_POINTS:,} points")
    if not names:
        raise SpaceError("--random needs the params to draw: --params a,b,c")
    generator = np.random.default_rng(seed)
    columns: dict[str, list[float]] = {}
    for name in dict.fromkeys(names):
        low, high = _bounds(ruleset, name)
        if name in ruleset.program.whole_params:
            whole = generator.integers(math.ceil(low), math.floor(high), endpoint=True, size=count)
            columns[name] = [float(value) for value in whole]
        else:
            columns[name] = [float(value) for value in generator.uniform(low, high, size=count)]
    points = tuple({name: columns[name][i] for name in columns} for i in range(count))
    return SearchSpace(tuple(columns), points)


def _range_values(ruleset: Ruleset, name: str, spec: str) -> list[float]:
    span, colon, count_text = spec.rpartition(":")
    low_text, dots, high_text = span.partition("..")
    if not colon or not dots or not low_text.strip() or not high_text.strip():
        raise SpaceError(f"--grid {name}={spec}: write LOW..HIGH:COUNT, e.g. 15delta..20delta:6")
    try:
        count = int(count_text)
    except ValueError:
        raise SpaceError(
            f"--grid {name}={spec}: COUNT {count_text!r} is not a whole number"
        ) from None
    if count < 2:
        raise SpaceError(f"--grid {name}={spec}: COUNT must be at least 2 (the two ends)")
    low, high = _checked(ruleset, name, low_text), _checked(ruleset, name, high_text)
    if low > high:
        raise SpaceError(f"--grid {name}={spec}: LOW is above HIGH")
    values = [round(float(v), DIGITS) for v in np.linspace(low, high, count)]
    if name in ruleset.program.whole_params:
        # A count of bars or days: evenly spaced whole numbers (fewer if the range is short).
        values = [float(round(v)) for v in values]
    return values


def _known(ruleset: Ruleset, name: str) -> None:
    if name not in ruleset.params:
        hint = did_you_mean(name, ruleset.params)
        raise SpaceError(f"no param named '{name}'" + (f"; {hint}" if hint else ""))


def _checked(ruleset: Ruleset, name: str, raw: float | str) -> float:
    """One value in base units, through the checks `--set` applies."""
    written = raw.strip() if isinstance(raw, str) else raw
    try:
        return resolve_params(ruleset, {name: written})[name]
    except ParamError as error:
        raise SpaceError(str(error)) from None


def _bounds(ruleset: Ruleset, name: str) -> tuple[float, float]:
    _known(ruleset, name)
    bounds = declared_bounds(ruleset.params[name])
    if bounds is None:
        raise SpaceError(
            f"{name} declares no bounds to draw from; declare them (param {name} = ... in LOW .. "
            "HIGH) or sweep it with --grid"
        )
    return bounds
