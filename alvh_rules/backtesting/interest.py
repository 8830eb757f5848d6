"""Cash interest: cash earns the 3-month T-bill rate of the previous close, compounded over
the calendar days to the next close.

The data's `risk_free` is the T-bill's discount rate (FRED DTB3 / 100). It is turned into a
continuous rate here by the bill's price, P = 1 - d * 91 / 360, r = -ln(P) * 365 / 91.
TODO(rates): replace with alvh_rules.market.rates once the "expiries" work lands.
"""

from __future__ import annotations

import math

BILL_DAYS = 91


def continuous_rate(discount: float) -> float:
    price = 1.0 - discount * BILL_DAYS / 360.0
    return -math.log(price) * 365.0 / BILL_DAYS


def growth(discount: float, calendar_days: int) -> float:
    """What 1 $ of cash becomes over `calendar_days` at the bill's discount rate."""
    if calendar_days <= 0 or not math.isfinite(discount):
        return 1.0
    return math.exp(continuous_rate(discount) * calendar_days / 365.0)
