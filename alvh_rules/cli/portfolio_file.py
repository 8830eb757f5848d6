"""What `--portfolio FILE` accepts beyond the Portfolio model: rights written as in the
`holding` syntax (`put`, `call`), one error per bad field (a misspelt key is not also a
missing one), and `opened_by` naming an entry or layer of the ruleset evaluated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alvh_rules.cli.inputs import CliError
from alvh_rules.lang.diagnostics import did_you_mean

if TYPE_CHECKING:
    from alvh_rules.check.ruleset import Ruleset
    from alvh_rules.greeks.legs import Portfolio

# The words a `holding` leg takes for a right (testing/holdings.py), and the model's letters.
RIGHT_WORDS = {"put": "p", "call": "c"}


def with_right_letters(payload: Any) -> Any:
    """`payload` with each leg's `right` of `put`/`call` (any case) written `p`/`c`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("positions"), list):
        return payload
    positions = []
    for position in payload["positions"]:
        if isinstance(position, dict) and isinstance(position.get("legs"), list):
            legs = [_leg_with_letter(leg) for leg in position["legs"]]
            position = {**position, "legs": legs}
        positions.append(position)
    return {**payload, "positions": positions}


def _leg_with_letter(leg: Any) -> Any:
    right = leg.get("right") if isinstance(leg, dict) else None
    if isinstance(right, str) and right.strip().lower() in RIGHT_WORDS:
        return {**leg, "right": RIGHT_WORDS[right.strip().lower()]}
    return leg


def require_known_owners(portfolio: Portfolio, ruleset: Ruleset, where: str) -> None:
    """Refuse a leg whose `opened_by` names no entry or layer of the ruleset: the rules
    that act on that position (layers, rolls, limits on it) would never see it."""
    owners = [
        symbol.name
        for symbol in ruleset.program.symbols.values()
        if symbol.kind in ("entry", "layer")
    ]
    problems = []
    for position_index, position in enumerate(portfolio.positions):
        bad = [(i, leg.opened_by) for i, leg in enumerate(position.legs) if leg.opened_by]
        for name in dict.fromkeys(n for _, n in bad if n not in owners):
            legs = [i for i, n in bad if n == name]
            also = f" (and {len(legs) - 1} more leg(s) of it)" if len(legs) > 1 else ""
            hint = did_you_mean(name, owners)
            known = f"its entries and layers: {', '.join(owners)}" if owners else "it has none"
            problems.append(
                f"{where}: positions.{position_index}.legs.{legs[0]}.opened_by = {name!r}"
                f"{also}: names no entry or layer of the ruleset; {hint or known}"
            )
    if problems:
        raise CliError("\n".join(problems))
