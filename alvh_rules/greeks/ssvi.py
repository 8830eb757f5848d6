"""The SSVI smile (Gatheral and Jacquier, "Arbitrage-free SVI volatility surfaces",
Quantitative Finance 14(1), 2014): total implied variance as a function of log-moneyness
k = ln(K / F) and the ATM total variance theta, with the power-law curvature phi(theta).

    w(k, theta) = theta / 2 * (1 + rho*phi*k + sqrt((phi*k + rho)^2 + 1 - rho^2))
    phi(theta)  = eta / (theta^gamma * (1 + theta)^(1 - gamma))

The smile has curvature at the money and bounded wings: w grows linearly in |k| (vol like
sqrt|k|, inside Lee's moment bound), where a linear slope in vol makes far puts too rich.
`SsviSurface` is a `VolSurface` built on it: ATM total variance per expiry, forward moneyness.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, model_validator

from alvh_rules.greeks.surfaces import VOL_CAP, VOL_FLOOR

FloatArray = npt.NDArray[np.float64]


class SurfaceShape(BaseModel):
    """The SSVI parameters of a smile; the ATM level is solved each day, the shape is not.

    `rho`: correlation-like tilt (negative: puts over calls, SPX; positive: VIX calls).
    `eta`, `gamma`: the power-law curvature phi(theta). Gatheral and Jacquier's no-butterfly
    condition for this phi, eta * (1 + |rho|) <= 2 with 0 < gamma <= 1/2, is enforced.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rho: float = Field(-0.7, gt=-1.0, lt=1.0)
    eta: float = Field(0.8, gt=0.0)
    gamma: float = Field(0.5, gt=0.0, le=0.5)

    @model_validator(mode="after")
    def _no_butterfly_arbitrage(self) -> SurfaceShape:
        if self.eta * (1.0 + abs(self.rho)) > 2.0:
            raise ValueError(
                f"eta * (1 + |rho|) = {self.eta * (1 + abs(self.rho)):.4g} exceeds 2: the smile "
                "would allow butterfly arbitrage (Gatheral-Jacquier 2014, power-law phi)"
            )
        return self

    def describe(self) -> str:
        """The shape in the words provenance and `--explain` show."""
        return f"SSVI smile rho {self.rho:g}, eta {self.eta:g}, gamma {self.gamma:g}"


SHAPE_FIELDS = ("rho", "eta", "gamma")


def parse_shape(text: str, base: SurfaceShape | None = None) -> SurfaceShape:
    """A shape from `rho=-0.7,eta=1.2,gamma=0.4` (any subset; the rest from `base`, else the
    SPX default). Raises ValueError naming the field and the value that is wrong."""
    given: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        name, equals, value = part.partition("=")
        name = name.strip()
        if not equals or name not in SHAPE_FIELDS:
            raise ValueError(
                f"smile: {part!r} is not NAME=VALUE with NAME one of {', '.join(SHAPE_FIELDS)}"
            )
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"smile: {name} = {value.strip()!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"smile: {name} = {value.strip()!r} is not a finite number")
        given[name] = number
    start = (base or SPX_SHAPE).model_dump()
    try:
        return SurfaceShape(**{**start, **given})
    except ValueError as error:  # pydantic's message names the field; keep its first line
        raise ValueError(f"smile: {_shape_error(error, {**start, **given})}") from None


def _shape_error(error: ValueError, values: dict[str, float]) -> str:
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        if field in values:
            return f"{field} = {values[field]:g}: {first['msg']}"
        return str(first["msg"]).removeprefix("Value error, ")
    return str(error)


SPX_SHAPE = SurfaceShape()
"""SPX default: rho -0.7, eta 0.8, gamma 0.5. The 30-day ATM skew is rho*eta/(2 sqrt(t)), about
-1.0 decimal vol per unit ln(K/F) (a put 5% out of the money about 5 vol points over ATM), and
the solved ATM level lands near 0.9 x VIX (docs/greeks.md has the measured distribution)."""


def curvature(theta: FloatArray, shape: SurfaceShape) -> FloatArray:
    """phi(theta): how fast the smile bends, per unit of sqrt(ATM total variance)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        phi: FloatArray = shape.eta / (theta**shape.gamma * (1.0 + theta) ** (1.0 - shape.gamma))
    return phi


def total_variance(k: FloatArray, theta: FloatArray, shape: SurfaceShape) -> FloatArray:
    """w(k, theta), broadcasting k against theta (both arrays)."""
    return _total_variance(k, theta, curvature(theta, shape), shape.rho)


def _total_variance(
    k: FloatArray, theta: FloatArray | float, phi: FloatArray | float, rho: float
) -> FloatArray:
    """w from k, theta and phi(theta): the SSVI formula, written once. The root's argument is
    at least 1 - rho^2 > 0, so it needs no error state."""
    phi_k = phi * k
    w: FloatArray = 0.5 * theta * (1.0 + rho * phi_k + np.sqrt((phi_k + rho) ** 2 + 1 - rho * rho))
    return w


def _clip_vol(vol: FloatArray) -> FloatArray:
    # minimum/maximum: np.clip's result without its dispatch, which a Newton loop feels
    clipped: FloatArray = np.minimum(np.maximum(vol, VOL_FLOOR), VOL_CAP)
    return clipped


def total_variance_slope(k: FloatArray, theta: FloatArray, shape: SurfaceShape) -> FloatArray:
    """dw/dk at (k, theta), for Newton steps in log-strike."""
    rho, phi = shape.rho, curvature(theta, shape)
    root = np.sqrt((phi * k + rho) ** 2 + 1 - rho * rho)
    slope: FloatArray = 0.5 * theta * phi * (rho + (phi * k + rho) / root)
    return slope


def interpolate_atm_variance(
    t: FloatArray, tenors: FloatArray, variances: FloatArray
) -> FloatArray:
    """ATM total variance at `t` years: linear in t between the tenors (np.interp), at the
    first or last tenor's ATM vol outside them (theta proportional to t)."""
    inside = np.interp(t, tenors, variances)
    with np.errstate(divide="ignore", invalid="ignore"):
        below = variances[0] * (t / tenors[0])
        above = variances[-1] * (t / tenors[-1])
    theta: FloatArray = np.where(t <= tenors[0], below, np.where(t >= tenors[-1], above, inside))
    return theta


def smile_vol(k: FloatArray, theta: FloatArray, t: FloatArray, shape: SurfaceShape) -> FloatArray:
    """Decimal vol sqrt(w / t), clipped to the surfaces' floor and cap."""
    with np.errstate(divide="ignore", invalid="ignore"):
        vol = np.sqrt(total_variance(k, theta, shape) / t)
    return _clip_vol(vol)


@dataclass(frozen=True, slots=True)
class SmileSlice:
    """One expiry's smile: vol by strike at a fixed time, with the forward and the ATM total
    variance worked out once (a strike solve calls it a dozen times at the same expiry)."""

    forward: float
    theta: float
    t_years: float
    phi: float  # curvature(theta)
    rho: float

    def __call__(self, strike: FloatArray) -> FloatArray:
        """`smile_vol` at positive strikes (no error state needed: the forward, theta and t
        are positive, checked by the surface)."""
        k = np.log(strike / self.forward)
        w = _total_variance(k, self.theta, self.phi, self.rho)
        return _clip_vol(np.sqrt(w / self.t_years))


def _require_positive(name: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


@dataclass(frozen=True, slots=True)
class SsviSurface:
    """SSVI smile around the forward F(t) = spot * exp((rate - div_yield) * t).

    `atm_variances` are ATM total variances theta (vol^2 * t) at `expiries_years`; between them
    theta is linear in t, outside them the ATM vol of the nearest one holds. Sticky moneyness:
    `moved_to(spot)` gives the same smile around a new spot.
    """

    spot: float
    rate: float
    div_yield: float
    expiries_years: tuple[float, ...]
    atm_variances: tuple[float, ...]
    shape: SurfaceShape = SPX_SHAPE

    def __post_init__(self) -> None:
        _require_positive("spot", self.spot)
        if not self.expiries_years or len(self.expiries_years) != len(self.atm_variances):
            raise ValueError("expiries_years and atm_variances must be non-empty, equal length")
        for t, theta in zip(self.expiries_years, self.atm_variances, strict=True):
            _require_positive("expiries_years", t)
            _require_positive("atm_variances", theta)
        if list(self.expiries_years) != sorted(set(self.expiries_years)):
            raise ValueError("expiries_years must be strictly increasing")

    def moved_to(self, spot: float) -> SsviSurface:
        """The same smile in forward moneyness around a new spot."""
        return SsviSurface(
            spot, self.rate, self.div_yield, self.expiries_years, self.atm_variances, self.shape
        )

    def forward(self, t_years: npt.ArrayLike) -> FloatArray:
        t = np.asarray(t_years, dtype=np.float64)
        forward: FloatArray = self.spot * np.exp((self.rate - self.div_yield) * t)
        return forward

    def atm_variance(self, t_years: npt.ArrayLike) -> FloatArray:
        t = np.asarray(t_years, dtype=np.float64)
        tenors = np.asarray(self.expiries_years)
        return interpolate_atm_variance(t, tenors, np.asarray(self.atm_variances))

    def atm_vol(self, t_years: npt.ArrayLike) -> FloatArray:
        """ATM-forward decimal vol sqrt(theta(t) / t)."""
        t = np.asarray(t_years, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            atm: FloatArray = np.sqrt(self.atm_variance(t) / t)
        return atm

    def smile_at(self, t_years: float) -> SmileSlice:
        """The smile at one expiry, for repeated calls at that expiry."""
        forward = float(self.forward(t_years))
        theta = self.atm_variance(t_years)
        phi = float(curvature(theta, self.shape))
        return SmileSlice(forward, float(theta), t_years, phi, self.shape.rho)

    def vol(self, strike: npt.ArrayLike, t_years: npt.ArrayLike) -> FloatArray:
        k_strike = np.asarray(strike, dtype=np.float64)
        t = np.asarray(t_years, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.log(k_strike / self.forward(t))
        return smile_vol(k, self.atm_variance(t), t, self.shape)
