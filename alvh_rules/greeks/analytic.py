"""Closed-form prices and Greeks: Black-Scholes-Merton (spot, dividend yield) and Black-76.

Both models share one kernel evaluated in cache-sized blocks over flat arrays (no Python loop
over options); the conventions of every figure are in `alvh_rules.greeks.conventions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.special import erfcx, ndtr

from alvh_rules.greeks.exact import forward_less_strike
from alvh_rules.greeks.inputs import FlatInputs, block, flatten_broadcast, right_sign

FloatArray = npt.NDArray[np.float64]

BLOCK_ROWS: Final = 16384
"""Rows per block: temporaries stay in cache and are reused instead of fresh pages."""

_INV_SQRT_2PI: Final = 0.3989422804014327
_SQRT_HALF_PI: Final = 1.2533141373155003
_INV_SQRT2: Final = 0.7071067811865476
# Below this value of the out-of-the-money d2 (N(d2) < 1e-262) the price is rebuilt in log
# space so that deep out-of-the-money prices do not underflow to zero while representable.
_TAIL_D: Final = -34.5
# Where |ln(F/K)| exceeds this many total variances s^2 the plain formula loses more than
# about 50 ulp to cancellation, and the Mills-ratio integral takes over.
_CANCELLING: Final = 50.0
_GAUSS_LEGENDRE_4: Final = (
    (-0.8611363115940526, 0.3478548451374538),
    (-0.3399810435848563, 0.6521451548625461),
    (0.3399810435848563, 0.6521451548625461),
    (0.8611363115940526, 0.3478548451374538),
)


@dataclass(frozen=True, slots=True)
class Greeks:
    """Price and raw Greeks of one unit of underlying, broadcast to the inputs' shape.

    Units (see `conventions`): vega, vanna per 1.00 vol; volga per 1.00 vol squared; theta per
    year of calendar time passing; rho per 1.00 of rate. NaN marks an invalid input row.
    """

    price: FloatArray
    delta: FloatArray
    gamma: FloatArray
    vega: FloatArray
    theta: FloatArray
    rho: FloatArray
    vanna: FloatArray
    volga: FloatArray


FIGURES: Final = ("price", "delta", "gamma", "vega", "theta", "rho", "vanna", "volga")


def bsm(
    right: npt.ArrayLike,
    spot: npt.ArrayLike,
    strike: npt.ArrayLike,
    t: npt.ArrayLike,
    vol: npt.ArrayLike,
    rate: npt.ArrayLike,
    div: npt.ArrayLike = 0.0,
) -> Greeks:
    """Black-Scholes-Merton on spot with a continuous dividend yield (European options)."""
    flat = flatten_broadcast(right_sign(right), spot, strike, t, vol, rate, div)
    return _evaluate(flat, black76_rho=False)


def black76(
    right: npt.ArrayLike,
    forward: npt.ArrayLike,
    strike: npt.ArrayLike,
    t: npt.ArrayLike,
    vol: npt.ArrayLike,
    rate: npt.ArrayLike,
) -> Greeks:
    """Black-76 on a forward or future: delta and gamma are to the forward, rho holds it fixed."""
    flat = flatten_broadcast(right_sign(right), forward, strike, t, vol, rate)
    # A future behaves as a stock whose dividend yield equals the rate: reuse the kernel.
    columns = (*flat.columns, flat.columns[5])
    return _evaluate(FlatInputs(flat.shape, flat.size, columns), black76_rho=True)


def _evaluate(flat: FlatInputs, *, black76_rho: bool) -> Greeks:
    outputs = np.empty((len(FIGURES), flat.size), dtype=np.float64)
    if isinstance(flat.columns[0], float):
        # The kernel indexes rows of the right's sign, so keep that column an array.
        sign = np.full(flat.size, flat.columns[0])
        flat = FlatInputs(flat.shape, flat.size, (sign, *flat.columns[1:]))
    with np.errstate(all="ignore"):
        for start in range(0, flat.size, BLOCK_ROWS):
            stop = min(start + BLOCK_ROWS, flat.size)
            cols = [block(c, start, stop) for c in flat.columns]
            _kernel(cols, outputs[:, start:stop], black76_rho)
    return Greeks(*(row.reshape(flat.shape) for row in outputs))


def _kernel(columns: list[FloatArray | float], out: FloatArray, black76_rho: bool) -> None:
    """Fill out[0..7] (FIGURES order) for one block of rows; products are shared between figures.

    `columns` are the right's sign (+1 call, -1 put), spot, strike, t, vol, rate and yield.
    """
    sign, spot, strike, t, vol, rate, div = columns
    price, delta, gamma, vega, theta, rho, vanna, volga = out
    sqrt_t = np.sqrt(t)
    total_vol = vol * sqrt_t
    df_rate = np.exp(-rate * t)
    df_div = df_rate if black76_rho else np.exp(-div * t)
    log_moneyness = np.log(spot / strike)
    log_moneyness += (rate - div) * t  # ln(F/K)
    d1 = log_moneyness / total_vol
    d1 += 0.5 * total_vol
    d2 = d1 - total_vol
    fwd_disc, strike_disc = spot * df_div, strike * df_rate  # discounted forward and strike
    n1, n2 = _price_and_cdfs(
        columns, price, log_moneyness, total_vol, d1, d2, fwd_disc, strike_disc
    )
    density = np.exp(-0.5 * d1 * d1)
    density *= _INV_SQRT_2PI * df_div  # e^{-qt} phi(d1)
    fwd_leg = fwd_disc * n1  # discounted forward times N(s d1)
    strike_leg = strike_disc * n2  # discounted strike times N(s d2)
    np.multiply(sign * df_div, n1, out=delta)
    np.divide(density, spot * total_vol, out=gamma)
    np.multiply(density, spot * sqrt_t, out=vega)
    np.multiply(vega, (-0.5 * vol) / t, out=theta)
    fwd_leg *= div
    fwd_leg -= rate * strike_leg
    fwd_leg *= sign
    theta += fwd_leg
    if black76_rho:
        np.multiply(-t, price, out=rho)
    else:
        np.multiply(sign * t, strike_leg, out=rho)
    density /= vol
    np.multiply(density, d2, out=vanna)
    np.negative(vanna, out=vanna)
    np.multiply(vega * d1, d2 / vol, out=volga)
    _mark_invalid(out, spot, strike, t, vol)


def _price_and_cdfs(
    columns: list[FloatArray | float],
    price: FloatArray,
    log_moneyness: FloatArray,
    total_vol: FloatArray | float,
    d1: FloatArray,
    d2: FloatArray,
    fwd_disc: FloatArray | float,
    strike_disc: FloatArray | float,
) -> tuple[FloatArray, FloatArray]:
    """Write the price; return N(sign d1) and N(sign d2) for the Greeks.

    An in-the-money price is the out-of-the-money price of the other right plus the discounted
    intrinsic value, computed with expm1 so that it carries no rounding of the strike's size.
    """
    sign, spot, strike, t, _, rate, div = columns
    in_the_money = sign * log_moneyness > 0
    otm_sign = np.where(in_the_money, -sign, sign)
    otm_n1 = ndtr(otm_sign * d1)
    otm_n2 = ndtr(otm_sign * d2)
    np.multiply(fwd_disc, otm_n1, out=price)
    price -= strike_disc * otm_n2
    price *= otm_sign
    # Far out of the money over a short total vol, F N(d1) - K N(d2) cancels (it amplifies
    # rounding by about |x| / s^2); in the far tail it underflows: price those rows apart.
    hard = (np.abs(log_moneyness) > _CANCELLING * (total_vol * total_vol)) | (
        otm_sign * d2 < _TAIL_D
    )
    rows = np.flatnonzero(hard & ~in_the_money)
    if rows.size:
        shape = price.shape
        d1, d2 = np.broadcast_to(d1, shape), np.broadcast_to(d2, shape)
        _precise_otm_prices(price, rows, sign, d1, d2, strike, rate, t)
    # Discounted intrinsic value in two words; adding its low word first keeps deep
    # in-the-money prices correctly rounded instead of off by the strike's ulp.
    fk_hi, fk_lo = forward_less_strike(spot, strike, t, rate, div)
    price += np.where(in_the_money, sign * fk_lo, 0.0)
    price += np.where(in_the_money, sign * fk_hi, 0.0)
    # N(s d) of the option itself: 1 - N(-s d) where it is in the money.
    return np.where(in_the_money, 1.0 - otm_n1, otm_n1), np.where(
        in_the_money, 1.0 - otm_n2, otm_n2
    )


def _mark_invalid(
    out: FloatArray,
    spot: FloatArray | float,
    strike: FloatArray | float,
    t: FloatArray | float,
    vol: FloatArray | float,
) -> None:
    """NaN every figure of a row with a non-positive input or any NaN/inf input.

    A NaN or infinite input (the right's sign, a rate or a yield included) always reaches gamma,
    theta or rho as NaN or inf, and so does a zero or negative time, a zero vol or a zero spot
    (0/0 in gamma or theta, or the log of a negative number): one finiteness check of their sum
    covers those. A negative vol and a zero or negative strike are checked on their own (the
    tests in tests/greeks/test_greeks_bad_input.py pin every case).
    """
    price, _, gamma, _, theta, rho, _, _ = out
    valid = np.isfinite(gamma + theta + rho + price)
    valid &= (strike > 0) & (vol > 0)
    if not valid.all():
        out[:, ~valid] = np.nan


def _pick(column: FloatArray | float, rows: npt.NDArray[np.intp]) -> FloatArray | float:
    return column if isinstance(column, float) else column[rows]


def _precise_otm_prices(
    price: FloatArray,
    rows: npt.NDArray[np.intp],
    sign: FloatArray | float,
    d1: FloatArray,
    d2: FloatArray,
    strike: FloatArray | float,
    rate: FloatArray | float,
    t: FloatArray | float,
) -> None:
    """Out-of-the-money prices without cancellation or underflow, using F phi(d1) = K phi(d2).

    price = K e^{-rt} phi(d2) (R(a) - R(b)) with R(u) = N(-u)/phi(u) the Mills ratio and
    a < b the two of -s*d1, -s*d2; R(a) - R(b) is the integral over [a, b] of 1 - u R(u)
    (that is -R'), by 4-point Gauss-Legendre, and the product is taken in logs.
    """
    s = _pick(sign, rows)
    u_a, u_b = -s * d1[rows], -s * d2[rows]
    half = 0.5 * np.abs(u_b - u_a)
    middle = 0.5 * (u_a + u_b)
    integral = np.zeros(rows.size)
    for node, weight in _GAUSS_LEGENDRE_4:
        u = middle + half * node
        integral += weight * (1.0 - u * _SQRT_HALF_PI * erfcx(u * _INV_SQRT2))
    integral *= half
    log_scale = np.log(_pick(strike, rows)) - _pick(rate, rows) * _pick(t, rows)
    log_price = log_scale - 0.5 * d2[rows] ** 2 + np.log(integral)
    price[rows] = np.exp(log_price) * _INV_SQRT_2PI
