"""Closed-form prices and Greeks: Black-Scholes-Merton (spot, dividend yield) and Black-76.

Both models share one kernel evaluated in cache-sized blocks over flat arrays (no Python loop
over options); the conventions of every figure are in `alvh_rules.greeks.conventions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt
from scipy.special import erfcx, ndtr

from alvh_rules.greeks.inputs import (
    FlatInputs,
    RightCodes,
    block,
    flatten_with_rights,
    signs_of_codes,
)

FloatArray = npt.NDArray[np.float64]

BLOCK_ROWS: Final = 16384
"""Rows per block: a block's work arrays stay in cache and are reused by the next block."""

_INV_SQRT_2PI: Final = 0.3989422804014327
_SQRT_HALF_PI: Final = 1.2533141373155003
_INV_SQRT2: Final = 0.7071067811865476
# Below this value of the out-of-the-money d2 (N(d2) < 1e-262) the price is rebuilt in log
# space so that deep out-of-the-money prices do not underflow to zero while representable.
_TAIL_D: Final = -34.5
# Where |ln(F/K)| exceeds this many total variances s^2 the plain formula loses more than
# about 50 ulp to cancellation, and the Mills-ratio integral takes over.
_CANCELLING: Final = 50.0
# 4-point Gauss-Legendre nodes and weights on [-1, 1].
_LEGENDRE_NODES: Final = np.array(
    [-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526]
)
_LEGENDRE_WEIGHTS: Final = np.array(
    [0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538]
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
    rights, flat = flatten_with_rights(right, spot, strike, t, vol, rate, div)
    return _evaluate(rights, flat, black76_rho=False)


def black76(
    right: npt.ArrayLike,
    forward: npt.ArrayLike,
    strike: npt.ArrayLike,
    t: npt.ArrayLike,
    vol: npt.ArrayLike,
    rate: npt.ArrayLike,
) -> Greeks:
    """Black-76 on a forward or future: delta and gamma are to the forward, rho holds it fixed."""
    rights, flat = flatten_with_rights(right, forward, strike, t, vol, rate)
    # A future behaves as a stock whose dividend yield equals the rate: reuse the kernel.
    columns = (*flat.columns, flat.columns[4])
    return _evaluate(rights, FlatInputs(flat.shape, flat.size, columns), black76_rho=True)


def _evaluate(
    rights: FloatArray | float | RightCodes, flat: FlatInputs, *, black76_rho: bool
) -> Greeks:
    """`rights`: signs (+1 call, -1 put), one for all rows or one per row, or the code points
    of one-letter rights; `flat`: spot, strike, t, vol, rate and yield."""
    outputs = np.empty((len(FIGURES), flat.size), dtype=np.float64)
    rows = min(flat.size, BLOCK_ROWS)
    work = _Work.allocate(rows)
    code_index = np.empty(rows, dtype=np.uint32)
    if isinstance(rights, float):
        work.sign.fill(rights)
    with np.errstate(all="ignore"):
        for start in range(0, flat.size, BLOCK_ROWS):
            stop = min(start + BLOCK_ROWS, flat.size)
            block_work = work.cut(stop - start)
            sign = _block_signs(rights, start, stop, block_work.sign, code_index)
            cols = [sign, *(block(c, start, stop) for c in flat.columns)]
            _kernel(cols, outputs[:, start:stop], block_work, black76_rho)
    return Greeks(*(row.reshape(flat.shape) for row in outputs))


def _block_signs(
    rights: FloatArray | float | RightCodes,
    start: int,
    stop: int,
    out: FloatArray,
    code_index: RightCodes,
) -> FloatArray:
    """The signs of rows start:stop: in `out` (already holding the one sign for all rows, or
    from the rows' code points), or a view of signs given per row."""
    if isinstance(rights, float):
        return out
    rows = rights[start:stop]
    if rows.dtype == np.uint32:
        return signs_of_codes(rows, out, code_index[: stop - start])
    return rows.astype(np.float64, copy=False)


class _Work(NamedTuple):
    """Work arrays of one block, allocated once per call and reused by every block: a fresh
    temporary for each pass would come from the allocator (a block-sized one from mmap) and
    start cold in the cache. Every pass of the kernel writes into one of these or `out`."""

    sign: FloatArray  # the right's: +1 call, -1 put
    sqrt_t: FloatArray
    total_vol: FloatArray  # s = vol sqrt(t)
    log_strike_fwd: FloatArray  # ln(K/F)
    d1: FloatArray
    d2: FloatArray  # d2, later d2 / vol
    otm_sign: FloatArray  # +1 where the call is out of the money (F <= K), -1 where the put is
    otm_n1: FloatArray  # N(otm_sign d1), later otm_sign N(sign d1)
    otm_n2: FloatArray  # N(otm_sign d2), later otm_sign N(sign d2), later sign K e^{-rt} N(sign d2)
    strike_carry: FloatArray  # K (e^{-rt} - 1)
    strike_disc: FloatArray  # K e^{-rt}
    spot_carry: FloatArray  # S (e^{-qt} - 1)
    fwd_disc: FloatArray  # S e^{-qt}
    df_div: FloatArray  # e^{-qt}
    in_the_money: FloatArray  # 1 in the money, 0 out of it
    density: FloatArray  # e^{-qt} phi(d1)
    scratch: FloatArray

    @classmethod
    def allocate(cls, rows: int) -> _Work:
        return cls(*np.empty((len(cls._fields), rows)))

    def cut(self, rows: int) -> _Work:
        """Views of the first `rows` rows (the last block may be short)."""
        if rows == self.scratch.size:
            return self
        return _Work(*(array[:rows] for array in self))


def _kernel(columns: list[FloatArray | float], out: FloatArray, work: _Work, b76: bool) -> None:
    """Fill out[0..7] (FIGURES order) for one block of rows; products are shared between figures.

    `columns` are the right's sign (+1 call, -1 put), spot, strike, t, vol, rate and yield;
    `b76` is true for Black-76 (the yield is the rate, and rho holds the forward fixed).
    """
    _, _, strike, t, vol, _, _ = columns
    np.sqrt(t, out=work.sqrt_t)
    np.multiply(vol, work.sqrt_t, out=work.total_vol)
    _discounts(columns, work, b76)
    hard = _d1_d2(work)
    _price(columns, out[0], work, hard, spare=out[1:4])
    _greeks(columns, out, work, b76)
    _mark_invalid(out, strike, vol)


def _discounts(columns: list[FloatArray | float], w: _Work, b76: bool) -> None:
    """ln(K/F), e^{-qt}, and the discounted forward and strike with their carries S (e^{-qt} - 1)
    and K (e^{-rt} - 1) from expm1: F e^{-qt} = S + S (e^{-qt} - 1) is as exact as S e^{-qt},
    and the carries give intrinsic values without the rounding of the strike's size."""
    _, spot, strike, t, _, rate, div = columns
    np.divide(strike, spot, out=w.log_strike_fwd)
    np.log(w.log_strike_fwd, out=w.log_strike_fwd)
    np.negative(t, out=w.scratch)
    np.multiply(rate, w.scratch, out=w.strike_carry)
    if b76:  # a future is a stock whose dividend yield equals the rate
        np.expm1(w.strike_carry, out=w.strike_carry)
        np.multiply(spot, w.strike_carry, out=w.spot_carry)
        np.add(w.strike_carry, 1.0, out=w.df_div)
    else:
        np.multiply(div, w.scratch, out=w.spot_carry)
        np.subtract(w.strike_carry, w.spot_carry, out=w.scratch)  # (q - r) t
        np.add(w.log_strike_fwd, w.scratch, out=w.log_strike_fwd)
        np.expm1(w.spot_carry, out=w.spot_carry)
        np.add(w.spot_carry, 1.0, out=w.df_div)
        np.multiply(spot, w.spot_carry, out=w.spot_carry)
        np.expm1(w.strike_carry, out=w.strike_carry)
    np.multiply(strike, w.strike_carry, out=w.strike_carry)
    np.add(spot, w.spot_carry, out=w.fwd_disc)
    np.add(strike, w.strike_carry, out=w.strike_disc)


def _d1_d2(w: _Work) -> npt.NDArray[np.bool_]:
    """d1 = s/2 - ln(K/F)/s and d2 = d1 - s, with s the total vol, and the out-of-the-money
    sign; returns the rows where F N(d1) - K N(d2) would cancel or underflow, if they are out of
    the money (see `_price`)."""
    np.divide(w.log_strike_fwd, w.total_vol, out=w.d2)
    np.multiply(w.total_vol, 0.5, out=w.d1)
    np.subtract(w.d1, w.d2, out=w.d1)
    # Far out of the money over a short total vol, F N(d1) - K N(d2) cancels: it amplifies
    # rounding by about |ln(K/F)| / s^2.
    np.abs(w.d2, out=w.scratch)
    np.multiply(w.total_vol, _CANCELLING, out=w.otm_n1)
    hard = w.scratch > w.otm_n1
    np.subtract(w.d1, w.total_vol, out=w.d2)
    np.copysign(1.0, w.log_strike_fwd, out=w.otm_sign)
    np.multiply(w.otm_sign, w.d2, out=w.otm_n2)
    hard |= w.otm_n2 < _TAIL_D  # N(d2) underflows
    return hard


def _price(
    columns: list[FloatArray | float],
    price: FloatArray,
    w: _Work,
    hard: npt.NDArray[np.bool_],
    spare: FloatArray,
) -> None:
    """Write the price; leave N(otm_sign d1) and N(otm_sign d2) in `w` for the Greeks.

    An in-the-money price is the out-of-the-money price of the other right plus the discounted
    intrinsic value in two words. Out-of-the-money `hard` rows are priced apart. `spare` is
    three rows of `out` not written yet.
    """
    sign, spot, strike, _, _, _, _ = columns
    np.multiply(w.otm_sign, w.d1, out=w.otm_n1)
    rows = np.flatnonzero(hard)
    rows = rows[sign[rows] == w.otm_sign[rows]]  # type: ignore[index]
    far_u1, far_u2 = -w.otm_n1[rows], -w.otm_n2[rows]
    ndtr(w.otm_n1, out=w.otm_n1)
    ndtr(w.otm_n2, out=w.otm_n2)
    np.multiply(w.fwd_disc, w.otm_n1, out=price)
    np.multiply(w.strike_disc, w.otm_n2, out=w.scratch)
    price -= w.scratch
    price *= w.otm_sign
    if rows.size:
        _precise_otm_prices(price, rows, far_u1, far_u2, w.strike_disc[rows])
    # 1/2 (sign - otm_sign): the intrinsic value's sign in the money, 0 out of it.
    np.subtract(sign, w.otm_sign, out=w.scratch)
    np.multiply(w.scratch, 0.5, out=w.scratch)
    _add_intrinsic(price, spot, strike, w, w.scratch, spare)
    np.abs(w.scratch, out=w.in_the_money)


def _add_intrinsic(
    price: FloatArray,
    spot: FloatArray | float,
    strike: FloatArray | float,
    w: _Work,
    intrinsic_sign: FloatArray,
    spare: FloatArray,
) -> None:
    """price += intrinsic_sign (S e^{-qt} - K e^{-rt}) as (S - K) + the carries, in two words
    (as `exact.forward_less_strike`); adding the low word first keeps deep in-the-money prices
    correctly rounded instead of off by the strike's ulp."""
    difference, carry, high = spare
    np.subtract(spot, strike, out=difference)
    np.subtract(w.spot_carry, w.strike_carry, out=carry)
    np.add(difference, carry, out=high)
    difference -= high
    difference += carry  # the low word
    difference *= intrinsic_sign
    price += difference
    high *= intrinsic_sign
    price += high


def _greeks(columns: list[FloatArray | float], out: FloatArray, w: _Work, b76: bool) -> None:
    """Write rows 1..7 of `out` from the price's intermediate results in `w`."""
    _, spot, _, t, vol, rate, div = columns
    price, delta, gamma, vega, theta, rho, vanna, volga = out
    n1, n2 = w.otm_n1, w.otm_n2
    n1 -= w.in_the_money  # otm_sign N(sign d): N(-|d|) out of the money, N(|d|) - 1 in it
    n2 -= w.in_the_money
    np.multiply(w.otm_sign, w.df_div, out=delta)
    delta *= n1
    density = w.density
    np.multiply(w.d1, w.d1, out=density)
    density *= -0.5
    np.exp(density, out=density)
    density *= w.df_div
    density *= _INV_SQRT_2PI
    np.multiply(spot, w.total_vol, out=gamma)
    np.divide(density, gamma, out=gamma)
    np.multiply(spot, w.sqrt_t, out=vega)
    vega *= density
    np.divide(w.d2, vol, out=w.d2)
    np.multiply(density, w.d2, out=vanna)
    np.negative(vanna, out=vanna)
    np.multiply(vega, w.d1, out=volga)
    volga *= w.d2
    # theta = -vega vol / (2t) + q S delta - r s K e^{-rt} N(s d2), and rho = t s K e^{-rt} N(s d2)
    np.multiply(vol, -0.5, out=theta)
    theta /= t
    theta *= vega
    scratch = w.scratch
    np.multiply(spot, delta, out=scratch)
    scratch *= div
    theta += scratch
    n2 *= w.strike_disc
    n2 *= w.otm_sign
    np.multiply(n2, rate, out=scratch)
    theta -= scratch
    if b76:
        np.multiply(price, t, out=rho)
        np.negative(rho, out=rho)
    else:
        np.multiply(n2, t, out=rho)


def _mark_invalid(out: FloatArray, strike: FloatArray | float, vol: FloatArray | float) -> None:
    """NaN every figure of a row with a non-positive input or any NaN/inf input.

    A NaN or infinite input (the right's sign, a rate or a yield included) always reaches gamma,
    theta or rho as NaN or inf, and so does a zero or negative time, a zero vol or a zero spot
    (0/0 in gamma or theta, or the log of a negative number): one finiteness check of their sum
    covers those. A negative vol and a zero or negative strike are checked on their own (the
    tests in tests/greeks/test_greeks_bad_input.py pin every case).
    """
    price, _, gamma, _, theta, rho, _, _ = out
    # Sums are cheaper than a mask and NaN or inf in any row makes them NaN or inf (as may an
    # overflow of finite values, which only costs the row-by-row check below).
    total = np.sum(gamma) + np.sum(theta) + np.sum(rho) + np.sum(price)
    if np.isfinite(total) and np.min(strike) > 0 and np.min(vol) > 0:
        return
    valid = np.isfinite(gamma + theta + rho + price) & (strike > 0) & (vol > 0)
    out[:, ~valid] = np.nan


def _precise_otm_prices(
    price: FloatArray,
    rows: npt.NDArray[np.intp],
    u_a: FloatArray,
    u_b: FloatArray,
    strike_disc: FloatArray,
) -> None:
    """Out-of-the-money prices without cancellation or underflow, using F phi(d1) = K phi(d2).

    price = K e^{-rt} phi(d2) (R(a) - R(b)) with R(u) = N(-u)/phi(u) the Mills ratio and
    a < b the two of -s*d1, -s*d2 (`u_a`, `u_b`, given with the rows' discounted strikes);
    R(a) - R(b) is the integral over [a, b] of 1 - u R(u) (that is -R'), by 4-point
    Gauss-Legendre, and the product is taken in logs.
    """
    half = 0.5 * np.abs(u_b - u_a)
    middle = 0.5 * (u_a + u_b)
    # All four nodes of every row in one array (a row per option): few calls on small arrays.
    u = middle[:, np.newaxis] + half[:, np.newaxis] * _LEGENDRE_NODES
    minus_mills_slope = 1.0 - u * _SQRT_HALF_PI * erfcx(u * _INV_SQRT2)
    # The weighted sum spelled out (a matmul sums one row in another order than several), so
    # an option's price does not depend on how many are priced with it: a backtest prices the
    # whole history in one call where `evaluate` prices one day.
    m, w = minus_mills_slope, _LEGENDRE_WEIGHTS
    integral = ((m[:, 0] * w[0] + m[:, 2] * w[2]) + (m[:, 1] * w[1] + m[:, 3] * w[3])) * half
    log_price = np.log(strike_disc) - 0.5 * u_b**2 + np.log(integral)
    price[rows] = np.exp(log_price) * _INV_SQRT_2PI
