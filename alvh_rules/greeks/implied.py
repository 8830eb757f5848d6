"""Implied volatility, vectorized: reduction to a normalised out-of-the-money call, then a
bracketed third-order Householder iteration on Jaeckel's transformed objectives.

Below the inflection point s_c = sqrt(2|x|) the solver matches 1/ln b (nearly linear in s for
tiny prices); above it, ln(b_max - b). Bad rows give NaN and a reason, never an exception.
"""

from __future__ import annotations

from typing import Final, Literal, overload

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri

from alvh_rules.greeks import exact
from alvh_rules.greeks import normalised as nb
from alvh_rules.greeks.inputs import flatten_broadcast, right_sign

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int8]

REASONS: Final = (
    "ok",
    "invalid input: spot, strike, rate, yield or right not usable",
    "time to expiry is zero or negative",
    "price is not a finite positive number",
    "price at or below intrinsic value",
    "price at or above its upper bound",
)
"""Text of each reason code returned by `implied_vol(..., return_reason=True)`."""

OK, BAD_INPUT, NO_TIME, BAD_PRICE, BELOW_INTRINSIC, ABOVE_BOUND = range(6)
MAX_ITERATIONS: Final = 60
_STEP_TOLERANCE: Final = 1e-6
_GUESS_STEPS: Final = 3


@overload
def implied_vol(
    price: npt.ArrayLike,
    right: npt.ArrayLike,
    spot: npt.ArrayLike,
    strike: npt.ArrayLike,
    t: npt.ArrayLike,
    rate: npt.ArrayLike,
    div: npt.ArrayLike = ...,
    model: Literal["bsm", "black76"] = ...,
    return_reason: Literal[False] = ...,
) -> FloatArray: ...


@overload
def implied_vol(
    price: npt.ArrayLike,
    right: npt.ArrayLike,
    spot: npt.ArrayLike,
    strike: npt.ArrayLike,
    t: npt.ArrayLike,
    rate: npt.ArrayLike,
    div: npt.ArrayLike = ...,
    model: Literal["bsm", "black76"] = ...,
    *,
    return_reason: Literal[True],
) -> tuple[FloatArray, npt.NDArray[np.str_]]: ...


def implied_vol(
    price: npt.ArrayLike,
    right: npt.ArrayLike,
    spot: npt.ArrayLike,
    strike: npt.ArrayLike,
    t: npt.ArrayLike,
    rate: npt.ArrayLike,
    div: npt.ArrayLike = 0.0,
    model: Literal["bsm", "black76"] = "bsm",
    return_reason: bool = False,
) -> FloatArray | tuple[FloatArray, npt.NDArray[np.str_]]:
    """Decimal vol that reprices each option; `model="black76"` reads `spot` as the forward.

    With `return_reason=True` also returns an array of REASONS texts ("ok" for solved rows).
    """
    if model not in ("bsm", "black76"):
        raise ValueError(f"model must be 'bsm' or 'black76', not {model!r}")
    flat = flatten_broadcast(right_sign(right), price, spot, strike, t, rate, div)
    columns = [np.broadcast_to(c, (flat.size,)).astype(np.float64) for c in flat.columns]
    sign, prices, spots, strikes, times, rates, divs = columns
    with np.errstate(all="ignore"):
        vols, reasons = _solve_rows(sign, prices, spots, strikes, times, rates, divs, model)
    vols = vols.reshape(flat.shape)
    if not return_reason:
        return vols
    return vols, np.asarray(REASONS, dtype=np.str_)[reasons].reshape(flat.shape)


def _solve_rows(
    sign: FloatArray,
    prices: FloatArray,
    spots: FloatArray,
    strikes: FloatArray,
    times: FloatArray,
    rates: FloatArray,
    divs: FloatArray,
    model: str,
) -> tuple[FloatArray, IntArray]:
    carry = rates if model == "black76" else divs
    otm_price = _time_value(sign, prices, spots, strikes, times, rates, carry)
    scale = np.sqrt(spots * np.exp(-carry * times) * strikes * np.exp(-rates * times))
    # In logs: a subnormal time value over a strike-sized scale must not underflow to zero.
    log_beta = np.log(otm_price) - np.log(scale)
    beta = np.exp(log_beta)
    x = -np.abs(np.log(spots / strikes) + (rates - carry) * times)
    # An out-of-the-money option is worth less than the discounted forward and strike.
    bound = np.minimum(spots * np.exp(-carry * times), strikes * np.exp(-rates * times))
    reasons = _reasons(sign, prices, spots, strikes, times, rates, carry, otm_price, bound, x)
    vols = np.full(sign.shape, np.nan)
    rows = np.flatnonzero(reasons == OK)
    total_vol = solve_normalised(beta[rows], x[rows], log_beta[rows])
    vols[rows] = total_vol / np.sqrt(times[rows])
    return vols, reasons


def _time_value(
    sign: FloatArray,
    prices: FloatArray,
    spots: FloatArray,
    strikes: FloatArray,
    times: FloatArray,
    rates: FloatArray,
    carry: FloatArray,
) -> FloatArray:
    """Price less discounted intrinsic value: by parity, the out-of-the-money option's price.

    Two words of intrinsic value first; rows within their error of zero are decided again in
    double-double, so that "above intrinsic" means just that.
    """
    fk_hi, fk_lo = exact.forward_less_strike(spots, strikes, times, rates, carry)
    in_the_money = sign * fk_hi > 0
    time_value = np.where(in_the_money, (prices - sign * fk_hi) - sign * fk_lo, prices)
    close = in_the_money & (np.abs(time_value) <= 1e-15 * (spots + strikes))
    close &= (np.abs(rates * times) <= 0.7) & (np.abs(carry * times) <= 0.7)
    rows = np.flatnonzero(close)
    if rows.size:
        hi, lo = exact.forward_less_strike_exact(
            spots[rows], strikes[rows], times[rows], rates[rows], carry[rows]
        )
        s = sign[rows]
        gap = exact.add(exact.two_sum(prices[rows], -s * hi), (-s * lo, np.zeros(rows.size)))
        time_value[rows] = gap[0] + gap[1]
    return time_value


def _reasons(
    sign: FloatArray,
    prices: FloatArray,
    spots: FloatArray,
    strikes: FloatArray,
    times: FloatArray,
    rates: FloatArray,
    carry: FloatArray,
    otm_price: FloatArray,
    bound: FloatArray,
    x: FloatArray,
) -> IntArray:
    """Reason code per row; checks run from the last to the first so the first failing wins."""
    reasons = np.full(sign.shape, OK, dtype=np.int8)
    reasons[otm_price >= bound] = ABOVE_BOUND
    reasons[~(otm_price > 0)] = BELOW_INTRINSIC
    reasons[~(np.isfinite(prices) & (prices > 0))] = BAD_PRICE
    reasons[~(np.isfinite(times) & (times > 0))] = NO_TIME
    usable = np.isfinite(sign) & (spots > 0) & (strikes > 0) & np.isfinite(x)
    usable &= np.isfinite(spots) & np.isfinite(strikes) & np.isfinite(rates) & np.isfinite(carry)
    reasons[~usable] = BAD_INPUT
    return reasons


def solve_normalised(
    beta: FloatArray, x: FloatArray, log_beta: FloatArray | None = None
) -> FloatArray:
    """Total vol s with b(x, s) = beta, for 0 < beta < e^{x/2} and x <= 0 (vectorized).

    `log_beta` (ln beta) lets prices far below the smallest float be solved too.
    """
    log_beta = np.log(beta) if log_beta is None else log_beta
    s_c = np.sqrt(-2.0 * x)
    b_c = nb.price(x, s_c)
    lower = beta < b_c
    s = np.empty_like(beta)
    low, up = np.flatnonzero(lower), np.flatnonzero(~lower)
    s[low] = _iterate(log_beta[low], x[low], np.zeros(low.size), s_c[low], upper=False)
    s[up] = _iterate(beta[up], x[up], s_c[up], np.full(up.size, np.inf), upper=True)
    return s


def _iterate(
    price: FloatArray, x: FloatArray, lo: FloatArray, hi: FloatArray, *, upper: bool
) -> FloatArray:
    """Householder(3) on one branch's objective; a step leaving the bracket bisects instead.

    `price` is beta on the upper branch and ln beta on the lower one.
    """
    if upper:
        target = np.log(np.exp(0.5 * x) - price)
        s = np.maximum(_initial_upper(price, x), lo)
    else:
        target = price
        s = _initial_lower(price, x, hi)
    s = np.where(np.isfinite(s) & (s > lo) & (s <= hi), s, _midpoint(lo, hi, lo))
    active = np.arange(price.size)
    for _ in range(MAX_ITERATIONS):
        if active.size == 0:
            break
        xa, sa, lo_a, hi_a = x[active], s[active], lo[active], hi[active]
        step, below = _step(xa, sa, target[active], upper=upper)
        lo_a = np.where(below, sa, lo_a)
        hi_a = np.where(below, hi_a, sa)
        lo[active], hi[active] = lo_a, hi_a
        proposal = sa + step
        inside = (proposal >= lo_a) & (proposal <= hi_a)
        new = np.where(inside, proposal, _midpoint(lo_a, hi_a, sa))
        s[active] = new
        # A Householder(3) step of relative size e leaves an error of order e^4: below
        # _STEP_TOLERANCE the iterate is final; a bisection step never ends the iteration.
        done = inside & (np.abs(new - sa) <= _STEP_TOLERANCE * new)
        active = active[~done]
    return s


def _midpoint(lo: FloatArray, hi: FloatArray, s: FloatArray) -> FloatArray:
    """Bisection point of the bracket; an open bracket [lo, inf) doubles instead."""
    return np.where(np.isfinite(hi), 0.5 * (lo + hi), 2.0 * np.maximum(lo, s) + 0.1)


def _step(
    x: FloatArray, s: FloatArray, target: FloatArray, *, upper: bool
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Householder(3) step in s and whether b(s) is below the target price."""
    q2, q3 = nb.curvature_ratios(x, s)
    if upper:
        # f = ln(b_max - beta) - ln(b_max - b(s)); its derivatives carry sigma = b'/(b_max - b).
        comp = nb.complement(x, s)
        log_comp = np.log(comp)
        sigma = np.exp(nb.log_vega(x, s) - log_comp)
        newton = (log_comp - target) / sigma
        h2 = sigma + q2
        h3 = 2.0 * sigma * sigma + 3.0 * sigma * q2 + q3
        below = log_comp > target
    else:
        # f = 1/ln b(s) - 1/ln beta; with L = ln b and rho = b'/b the ratios need no b itself.
        log_b, rho = nb.log_price_and_vega_ratio(x, s)
        newton = log_b * (target - log_b) / (target * rho)
        h2 = q2 - rho * (2.0 + log_b) / log_b
        h3 = (
            rho * rho * (2.0 * log_b * log_b + 6.0 * log_b + 6.0) / (log_b * log_b)
            - 3.0 * rho * (2.0 + log_b) * q2 / log_b
            + q3
        )
        below = log_b < target
    step = newton * (1.0 + 0.5 * h2 * newton) / (1.0 + newton * (h2 + h3 * newton / 6.0))
    return step, below


def _initial_lower(log_beta: FloatArray, x: FloatArray, s_c: FloatArray) -> FloatArray:
    """Newton on a cheap model of ln b: the Mills ratio R(u) = N(-u)/phi(u) replaced by Boyd's
    R(u) ~ pi / ((pi - 1) u + sqrt(u^2 + 2 pi)) (exact at 0, right to 1/u^3 for large u,
    within 1.5% between). Three damped steps: cheaper than one true iteration, and they leave
    most rows two Householder steps from the root."""
    a = -x
    s = np.minimum(a / np.sqrt(-2.0 * log_beta), s_c)
    for _ in range(_GUESS_STEPS):
        inverse_s2 = 1.0 / (s * s)
        u1, u2 = a / s - 0.5 * s, a / s + 0.5 * s
        r1, slope1 = _boyd(u1)
        r2, slope2 = _boyd(u2)
        gap = r1 - r2
        gap_slope = slope1 * (-a * inverse_s2 - 0.5) - slope2 * (-a * inverse_s2 + 0.5)
        model = -0.5 * (a * a * inverse_s2 + 0.25 * s * s) - nb.LOG_SQRT_2PI + np.log(gap)
        model_slope = a * a * inverse_s2 / s - 0.25 * s + gap_slope / gap
        s = np.clip(s - (model - log_beta) / model_slope, 0.5 * s, np.minimum(2.0 * s, s_c))
    return s


def _boyd(u: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Boyd's approximation of the Mills ratio and its derivative."""
    root = np.sqrt(u * u + 2.0 * np.pi)
    denominator = (np.pi - 1.0) * u + root
    slope = -np.pi * ((np.pi - 1.0) + u / root) / (denominator * denominator)
    return np.pi / denominator, slope


def _initial_upper(beta: FloatArray, x: FloatArray) -> FloatArray:
    """Large-s asymptotics: b_max - b ~ (e^{x/2} + e^{-x/2}) N(-s/2), exact at the money."""
    comp = np.exp(0.5 * x) - beta
    guess: FloatArray = -2.0 * ndtri(comp / (np.exp(0.5 * x) + np.exp(-0.5 * x)))
    return guess
