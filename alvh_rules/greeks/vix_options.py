"""The VIX option vol model: an SSVI smile with an upward call skew on the VX future of the
option's expiry, its ATM level anchored to VVIX at 30 days and falling with the expiry.

- Smile: SSVI (alvh_rules.greeks.ssvi) with `VIX_SHAPE` (rho > 0: calls over puts, the VIX
  option skew), in k = ln(K / F(T)), F(T) the VX curve at the option's expiry.
- Level: VVIX is the 30-day variance swap of VIX options (Cboe VVIX white paper), so the
  30-day ATM total variance is solved, as the SPX one is to VIX, so that the smile's own
  variance swap equals VVIX (alvh_rules.market.calibration does the solving).
- Term structure: the VX future's vol decays with its distance to expiry as exp(-kappa*tau)
  (log-VIX mean reversion, the fast factor of Bergomi's variance models), so the ATM total
  variance of an option expiring in T grows as G(T) = (1 - exp(-2*kappa*T)) / (2*kappa),
  scaled to the solved 30-day level: longer VIX options have lower vol.
Modelled prices, not traded quotes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from alvh_rules.greeks.conventions import DAYS_PER_YEAR
from alvh_rules.greeks.ssvi import SurfaceShape, smile_vol
from alvh_rules.greeks.vx_curve import VxCurve

FloatArray = npt.NDArray[np.float64]

VIX_SHAPE: Final = SurfaceShape(rho=0.5, eta=1.3, gamma=0.5)
"""VIX option smile: a 25%-out-of-the-money 30-day call about 25 vol points over ATM when VVIX
is 85, puts below ATM; the solved ATM level is 0.85-0.93 x VVIX."""

VIX_VOL_REVERSION_PER_YEAR: Final = 8.0
"""kappa of the VX future's vol decay: a 60-day ATM VIX option has about 0.8 x the 30-day vol."""

VVIX_TENOR_YEARS: Final = 30.0 / DAYS_PER_YEAR


def _integrated_decay(t_years: FloatArray) -> FloatArray:
    kappa = VIX_VOL_REVERSION_PER_YEAR
    grown: FloatArray = -np.expm1(-2.0 * kappa * t_years) / (2.0 * kappa)
    return grown


def vix_atm_variance(theta_30d: npt.ArrayLike, t_years: npt.ArrayLike) -> FloatArray:
    """ATM total variance of a VIX option expiring in `t_years`, from the solved 30-day one."""
    t = np.asarray(t_years, dtype=np.float64)
    scale = _integrated_decay(t) / _integrated_decay(np.asarray(VVIX_TENOR_YEARS))
    theta: FloatArray = np.asarray(theta_30d, dtype=np.float64) * scale
    return theta


def vix_option_vol(
    strike: npt.ArrayLike, forward: npt.ArrayLike, t_years: npt.ArrayLike, theta_30d: npt.ArrayLike
) -> FloatArray:
    """Decimal Black-76 vol of a VIX option (broadcasting), on its own future `forward`."""
    t = np.asarray(t_years, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.log(np.asarray(strike, np.float64) / np.asarray(forward, np.float64))
    return smile_vol(k, vix_atm_variance(theta_30d, t), t, VIX_SHAPE)


@dataclass(frozen=True, slots=True)
class VixOptionSurface:
    """The day's VIX option vols as a `VolSurface`: strike and years to expiry, the future
    read from the day's VX curve."""

    curve: VxCurve
    theta_30d: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.theta_30d) and self.theta_30d > 0):
            raise ValueError(f"theta_30d must be positive, got {self.theta_30d!r}")

    def vol(self, strike: npt.ArrayLike, t_years: npt.ArrayLike) -> FloatArray:
        t = np.asarray(t_years, dtype=np.float64)
        forward = self.curve.at_days(np.round(t * DAYS_PER_YEAR))
        return vix_option_vol(strike, forward, t, self.theta_30d)
