"""Cash interest: cash earns the 3-month T-bill rate known at the previous close (FRED
publishes a day's DTB3 the next day: docs/data.md), compounded over the calendar days to
the next close.

The data's `risk_free` is the T-bill's discount rate (FRED DTB3 / 100); its continuous rate
is `market.rates.continuous_rate_from_discount`, the one every pricer uses.
"""

from __future__ import annotations

import math

from alvh_rules.market.rates import continuous_rate_from_discount


def growth(discount: float, calendar_days: int) -> float:
    """What 1 $ of cash becomes over `calendar_days` at the bill's discount rate."""
    if calendar_days <= 0 or not math.isfinite(discount):
        return 1.0
    rate = float(continuous_rate_from_discount(discount))
    return math.exp(rate * calendar_days / 365.0) if math.isfinite(rate) else 1.0
