"""Option quotes and chains: `OptionQuote`, `OptionChain`. A chain is also a `VolSurface`
(interpolating its quotes' implied vols) and the listing that strike selection picks from.

Quote IVs are decimal; a quote without `iv` gets the implied vol of its mid price.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Self

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, model_validator

from alvh_rules.greeks.conventions import DAYS_PER_YEAR
from alvh_rules.greeks.implied import implied_vol
from alvh_rules.greeks.legs import FiniteFloat, NonNegativeFloat, PositiveFloat, Right

FloatArray = npt.NDArray[np.float64]


class OptionQuote(BaseModel):
    """One listed option: strike, expiry, right, bid and ask per unit, optional decimal IV."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    strike: PositiveFloat
    expiry: date
    right: Right
    bid: NonNegativeFloat
    ask: NonNegativeFloat
    iv: PositiveFloat | None = None

    @model_validator(mode="after")
    def _ask_not_below_bid(self) -> Self:
        if self.ask < self.bid:
            raise ValueError(f"ask {self.ask} is below bid {self.bid}")
        return self

    @property
    def mid(self) -> float:
        return 0.5 * (self.bid + self.ask)


class OptionChain(BaseModel):
    """Quotes on one underlying at `as_of`; `spot`, `rate` and `div_yield` price the mids.

    As a surface, `vol(strike, t)` reads each expiry's smile from out-of-the-money quotes
    (puts below spot, calls at and above), linear in strike and flat beyond the listed
    strikes, then interpolates linearly in total variance between expiries (flat outside).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: date
    spot: PositiveFloat
    rate: FiniteFloat = 0.0
    div_yield: FiniteFloat = 0.0
    quotes: tuple[OptionQuote, ...] = Field(min_length=1)

    @cached_property
    def quote_ivs(self) -> FloatArray:
        """Decimal IV of every quote: its `iv`, else implied from the mid (NaN if none)."""
        mids = np.array([q.mid for q in self.quotes])
        rights = np.array([q.right for q in self.quotes])
        strikes = np.array([q.strike for q in self.quotes])
        t = np.array([(q.expiry - self.as_of).days for q in self.quotes]) / DAYS_PER_YEAR
        solved = implied_vol(mids, rights, self.spot, strikes, t, self.rate, self.div_yield)
        given = np.array([np.nan if q.iv is None else q.iv for q in self.quotes])
        return np.where(np.isnan(given), solved, given)

    def expiries(self) -> list[date]:
        return sorted({q.expiry for q in self.quotes})

    def listed(self, expiry: date, right: Right) -> tuple[FloatArray, FloatArray]:
        """Strikes (sorted) and decimal IVs of the quotes of one expiry and right."""
        rows = [i for i, q in enumerate(self.quotes) if q.expiry == expiry and q.right == right]
        strikes = np.array([self.quotes[i].strike for i in rows], dtype=np.float64)
        ivs = self.quote_ivs[rows] if rows else np.empty(0)
        order = np.argsort(strikes)
        return strikes[order], ivs[order]

    def quote(self, expiry: date, right: Right, strike: float) -> OptionQuote | None:
        for q in self.quotes:
            if q.expiry == expiry and q.right == right and q.strike == strike:
                return q
        return None

    def smile(self, expiry: date) -> tuple[FloatArray, FloatArray]:
        """Out-of-the-money strikes and IVs of one expiry (usable quotes only)."""
        put_k, put_v = self.listed(expiry, "p")
        call_k, call_v = self.listed(expiry, "c")
        strikes = np.concatenate([put_k[put_k < self.spot], call_k[call_k >= self.spot]])
        ivs = np.concatenate([put_v[put_k < self.spot], call_v[call_k >= self.spot]])
        if strikes.size == 0:  # one-sided chain: take what is there
            strikes, ivs = np.concatenate([put_k, call_k]), np.concatenate([put_v, call_v])
        usable = np.isfinite(ivs)
        order = np.argsort(strikes[usable])
        return strikes[usable][order], ivs[usable][order]

    def vol(self, strike: npt.ArrayLike, t_years: npt.ArrayLike) -> FloatArray:
        k, t = np.broadcast_arrays(np.asarray(strike, float), np.asarray(t_years, float))
        smiles = [(self.years_to(e), *self.smile(e)) for e in self.expiries()]
        smiles = [(te, ks, vs) for te, ks, vs in smiles if ks.size and te > 0]
        if not smiles:
            return np.full(k.shape, np.nan)
        tenors = np.array([te for te, _, _ in smiles])
        # Total variance of every listed expiry at the requested strikes: (expiries, *shape).
        variance = np.stack([np.interp(k, ks, vs) ** 2 * te for te, ks, vs in smiles])
        flat = np.clip(t, tenors[0], tenors[-1])
        upper = np.clip(np.searchsorted(tenors, flat), 1, max(len(tenors) - 1, 1))
        if len(tenors) == 1:
            single: FloatArray = np.sqrt(variance[0] / tenors[0])
            return single
        lower = upper - 1
        w = (flat - tenors[lower]) / (tenors[upper] - tenors[lower])
        pick = np.take_along_axis
        v_lo = pick(variance, lower[np.newaxis], axis=0)[0]
        v_hi = pick(variance, upper[np.newaxis], axis=0)[0]
        vol: FloatArray = np.sqrt(((1 - w) * v_lo + w * v_hi) / flat)
        return vol

    def years_to(self, expiry: date) -> float:
        return (expiry - self.as_of).days / DAYS_PER_YEAR
