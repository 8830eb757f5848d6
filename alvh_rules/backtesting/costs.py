"""Fills and trading costs: a fill is the model's mid plus slippage against the trader, and
every contract pays commission and exchange fees.

Defaults (per contract, per leg, dollars), typical of a retail index-options account in
2024: slippage 5 $ (0.05 pt on SPX and VIX options, half a 0.10 spread), commission 0.65 $,
fees 0.85 $ (Cboe index option fee, OCC clearing and regulatory fees, rounded).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SLIPPAGE = 5.0
DEFAULT_COMMISSION = 0.65
DEFAULT_FEES = 0.85


@dataclass(frozen=True)
class Costs:
    """Dollars per contract traded: slippage (moves the fill price), commission and fees."""

    slippage: float = DEFAULT_SLIPPAGE
    commission: float = DEFAULT_COMMISSION
    fees: float = DEFAULT_FEES

    def __post_init__(self) -> None:
        for name in ("slippage", "commission", "fees"):
            value = getattr(self, name)
            if not (value >= 0 and value < float("inf")):
                raise ValueError(f"{name} must be a finite non-negative number of dollars")

    def fill_price(self, mid: float, quantity: int, multiplier: int, *, option: bool) -> float:
        """Per unit of underlying: a buy pays mid plus slippage, a sale gets mid less it
        (an option never below zero)."""
        side = 1.0 if quantity > 0 else -1.0
        price = mid + side * self.slippage / multiplier
        return max(price, 0.0) if option else price

    def charges(self, quantity: int) -> float:
        """Commission and fees of trading `quantity` contracts (dollars)."""
        return abs(quantity) * (self.commission + self.fees)
