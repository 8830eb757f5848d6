"""The hand-checkable market the position tests value on: SPX 5000 on a flat 16 % surface,
4 % rates, a 1.3 % dividend yield, two VX futures and a flat 90 % VIX smile."""

from __future__ import annotations

from datetime import date

from alvh_rules.greeks import FlatSurface, ValuationContext, VixFutures

VIX_EXPIRY = date(2025, 2, 19)


def flat_context(as_of: date) -> ValuationContext:
    return ValuationContext(
        as_of=as_of,
        spx=5000.0,
        rate=0.04,
        div_yield=0.013,
        spx_surface=FlatSurface(0.16),
        vix_futures=VixFutures(settlements={VIX_EXPIRY: 17.0, date(2025, 3, 18): 18.0}),
        vix_surface=FlatSurface(0.9),
        vix_vega_beta=0.8,
        vix_delta_beta=-0.004,
    )
