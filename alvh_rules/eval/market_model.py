"""The day's market model in words, for the decision's provenance and the notes of VIX
actions: the SPX surface's fit to the VIX indexes, the VX curve, the VIX option smile, and
when a VIX leg is priced on the curve's extrapolation."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping
from typing import Any

from alvh_rules.eval.day_market import vx_curve_of

MODEL_FIELDS = ("vix", "vix9d", "vix3m", "vix_f1", "vix_f2", "vix_f1_dte", "vix_f2_dte", "vvix")


def frame_values(frame: Any, index: int) -> dict[str, float]:
    """The market model's inputs on day `index`, with the frame's overrides (`given`, --set)."""
    return {name: float(frame.column(name)[index]) for name in MODEL_FIELDS}


def market_model_notes(values: Mapping[str, float], shape: Any = None) -> list[str]:
    """The day's market model in words (provenance): the SPX surface's fit with its smile
    `shape` (None: SPX_SHAPE), the VX curve and the VIX option smile, each saying what it was
    built from or why it is absent."""
    inputs = (float(values.get(name, math.nan)) for name in MODEL_FIELDS)
    return list(_model_notes(*inputs, shape=shape))


@functools.lru_cache(maxsize=64)  # a hot evaluate asks again for the same day
def _model_notes(
    vix: float,
    vix9d: float,
    vix3m: float,
    f1: float,
    f2: float,
    dte1: float,
    dte2: float,
    vvix: float,
    shape: Any = None,
) -> tuple[str, ...]:
    from alvh_rules.greeks.ssvi import SPX_SHAPE
    from alvh_rules.greeks.vix_options import VIX_VOL_REVERSION_PER_YEAR
    from alvh_rules.greeks.vx_curve import LONG_RUN_VIX, VX_REVERSION_PER_YEAR
    from alvh_rules.market.surface import fit_notes

    notes = fit_notes(vix, vix9d, vix3m, SPX_SHAPE if shape is None else shape)
    values = {"vix_f1": f1, "vix_f2": f2, "vix_f1_dte": dte1, "vix_f2_dte": dte2}
    curve = vx_curve_of(values, dt.date.min)
    if curve is None:
        notes.append("VX curve: none (the front future or its expiry is unknown)")
        return tuple(notes)
    second = (
        f"F2 {curve.f2:.2f} in {curve.dte2:.0f}d"
        if math.isfinite(curve.f2) and math.isfinite(curve.dte2)
        else "F2 unknown: F1 held flat"
        if not math.isfinite(curve.f2)
        else f"F2 {curve.f2:.2f}, its expiry unknown (taken 30d after F1)"
    )
    notes.append(
        f"VX curve: F1 {curve.f1:.2f} in {curve.dte1:.0f}d, {second}; beyond F2 extrapolated, "
        f"reverting to {LONG_RUN_VIX:g} at {VX_REVERSION_PER_YEAR:g}/year"
    )
    notes.append(
        f"VIX options (modelled): Black-76 on the VX future of the expiry, SSVI call skew at "
        f"VVIX {vvix:.2f} for 30 days, vol decaying at {VIX_VOL_REVERSION_PER_YEAR:g}/year"
        if math.isfinite(vvix) and vvix > 0
        else "VIX options: none (VVIX is unknown)"
    )
    return tuple(notes)


def vix_leg_note(frame: Any, index: int, position: Any) -> str:
    """Why a VIX leg's price is less sure than the others: its expiry lies beyond F2, so it
    is priced on the VX curve's extrapolation (empty when no leg is)."""
    from alvh_rules.greeks.vx_curve import F2_FALLBACK_DAYS

    legs = [leg for leg in position.legs if leg.instrument in ("VIX", "VX")]
    if not legs:
        return ""
    today = frame.dates[index].date()
    curve = vx_curve_of(frame_values(frame, index), today)
    days = max((leg.expiry - today).days for leg in legs)
    if curve is None or not curve.extrapolated(float(days)):
        return ""
    if not math.isfinite(curve.f2):
        return f"modelled: the VIX leg expiring in {days}d is priced on F1 held flat (F2 unknown)"
    second = curve.dte2 if math.isfinite(curve.dte2) else curve.dte1 + F2_FALLBACK_DAYS
    return (
        f"modelled: the VIX leg expiring in {days}d is priced on the VX curve extrapolated "
        f"beyond F2 (F2 expires in {second:.0f}d), not on a settle"
    )
